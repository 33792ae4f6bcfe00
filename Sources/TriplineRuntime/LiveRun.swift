import Foundation
public import Alarms
public import MetricFilters
public import TriplineCore

/// `tripline run`: events in, evaluated on the wall clock (or on event time), notifications out as
/// they happen.
///
/// Reader threads, the ticker, the checkpointer and the HTTP server call into one lock-protected
/// state; every notification is handed to `deliver` as soon as the engine produces it.
/// ``state`` is what a checkpoint saves and `restoring:` takes back after a restart; ``reload(_:)``
/// swaps in a new config, keeping the state of alarms whose definition did not change.
public final class LiveRun: @unchecked Sendable {
    /// What moves the watermark.
    public enum Clock: String, Sendable, CaseIterable {
        /// The wall clock: periods close on time even when no events arrive (live streams).
        case wall
        /// Event time only, as `backtest` does: for inputs that arrive late or in bursts (S3 deliveries).
        case event
    }

    private let lock = NSLock()
    /// The filters in force; events are matched by ``LiveMatcher``s, on the readers' threads.
    private var filterSet: FilterSet
    private var engine: AlarmEngine
    private var latest: Timestamp?
    private var setStateOffset: UInt64 = 0
    private var counters = LiveCounters()
    /// Matches per filter name since the state directory was first used.
    private var matches: [String: Int] = [:]
    private var alarmStatus: [String: AlarmStatus] = [:]
    private let stateDirectory: String
    /// What moves the watermark.
    public let clock: Clock
    /// Counts reloads, so matchers on other threads know when to rebuild their pipelines.
    private var generation = 0
    private let deliver: (AlarmNotification) -> Void

    /// - Parameters:
    ///   - engine: a new engine for the current config; `restoring` puts the saved state into it.
    ///   - restoring: the state of a previous run (its last checkpoint), or nil to start fresh.
    ///   - deliver: called with each notification, under the run's lock, in order.
    public init(
        filterSet: FilterSet, engine: AlarmEngine, stateDirectory: String, clock: Clock = .wall, restoring saved: LiveRunState? = nil,
        deliver: @escaping (AlarmNotification) -> Void
    ) {
        self.filterSet = filterSet
        self.engine = engine
        self.stateDirectory = stateDirectory
        self.clock = clock
        self.deliver = deliver
        for (name, state) in engine.states { alarmStatus[name] = AlarmStatus(name: name, state: state) }
        if let saved {
            _ = self.engine.restore(from: saved.engine)
            latest = saved.latest
            counters = saved.counters
            matches = saved.counters.filterMatches
            setStateOffset = saved.setStateOffset
            for (name, status) in saved.alarms where self.engine.state(of: name) == status.state { alarmStatus[name] = status }
        } else {
            // Requests written before this run started are history, not instructions.
            setStateOffset = SetStateRequest.read(stateDirectory: stateDirectory).1
        }
    }

    /// The filters in force and their generation (it changes with each reload).
    public var currentFilterSet: (FilterSet, Int) {
        lock.lock()
        defer { lock.unlock() }
        return (filterSet, generation)
    }

    /// Feeds chunks matched on other threads (``LiveMatcher``), in order, under one lock.
    public func consume(_ chunks: [PreparedChunk], now: Timestamp) {
        lock.lock()
        defer { lock.unlock() }
        for chunk in chunks {
            if chunk.events > 0 { counters.eventsRead[chunk.input, default: 0] += chunk.events }
            if chunk.malformed > 0 { counters.eventsMalformed[chunk.input, default: 0] += chunk.malformed }
            if chunk.oversized > 0 { counters.eventsOversized[chunk.input, default: 0] += chunk.oversized }
            counters.eventsWithImplausibleTime += chunk.implausible
            for (filter, count) in chunk.matches { matches[filter, default: 0] += count }
            for record in chunk.records {
                let time = record.time ?? (clock == .wall ? now : latest ?? now)
                var datapoints = record.datapoints
                if record.time == nil {
                    for index in datapoints.indices { datapoints[index].timestamp = time }
                }
                counters.datapoints += datapoints.count
                latest = max(latest ?? time, time)
                emit(engine.ingest(eventTime: time, datapoints: datapoints, evidence: record.evidence))
            }
        }
    }

    /// Counts lines skipped for being too long (found by a reader before matching).
    public func noteOversized(input: String, count: Int) {
        guard count > 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        counters.eventsOversized[input, default: 0] += count
    }

    /// Applies new `set-state` requests and, on the wall clock, moves the watermark to `now`.
    public func tick(now: Timestamp) {
        lock.lock()
        defer { lock.unlock() }
        let (requests, offset) = SetStateRequest.read(stateDirectory: stateDirectory, from: setStateOffset)
        setStateOffset = offset
        for request in requests {
            // Stamped with the time it was asked for (not later than now), so a replay repeats it exactly.
            let time = min(request.requested ?? now, now)
            if let output = engine.setAlarmState(request.alarm, to: request.state, reason: request.reason, at: time) {
                emit(output)
            }
        }
        if clock == .wall { emit(engine.advance(to: now)) }
    }

    /// Swaps in a new config. Alarms whose definition did not change keep their state and windows.
    /// - Returns: which alarms kept their state and which started afresh.
    @discardableResult
    public func reload(filterSet: FilterSet, engine newEngine: AlarmEngine) -> AlarmEngine.RestoreReport {
        lock.lock()
        defer { lock.unlock() }
        let snapshot = engine.snapshot()
        var replacement = newEngine
        let report = replacement.restore(from: snapshot)
        self.filterSet = filterSet
        generation += 1
        engine = replacement
        var statuses: [String: AlarmStatus] = [:]
        for (name, state) in engine.states {
            statuses[name] = alarmStatus[name].flatMap { $0.state == state ? $0 : nil } ?? AlarmStatus(name: name, state: state)
        }
        alarmStatus = statuses
        return report
    }

    /// What a checkpoint saves: consistent with every event consumed so far.
    public var state: LiveRunState {
        lock.lock()
        defer { lock.unlock() }
        var saved = counters
        saved.filterMatches = matches
        return LiveRunState(
            engine: engine.snapshot(), setStateOffset: setStateOffset, latest: latest, counters: saved, alarms: alarmStatus)
    }

    /// Counts and gauges for `/metrics`.
    public var metrics: LiveMetrics {
        lock.lock()
        defer { lock.unlock() }
        var current = counters
        current.filterMatches = matches
        return LiveMetrics(
            counters: current, engine: engine.counters, watermark: engine.watermark, latestEventTime: latest,
            alarms: engine.states.map { alarmStatus[$0.name] ?? AlarmStatus(name: $0.name, state: $0.state) })
    }

    /// Every alarm's state, reason and last transition, in definition order.
    public var alarms: [AlarmStatus] { metrics.alarms }


    private func emit(_ output: AlarmEngineOutput) {
        for transition in output.transitions {
            alarmStatus[transition.alarmName] = AlarmStatus(
                name: transition.alarmName, state: transition.newState, reason: transition.reason.text,
                stateChangeTime: transition.stateChangeTime, oldState: transition.oldState)
            counters.transitions[transition.alarmName, default: 0] += 1
        }
        for notification in output.notifications { deliver(notification) }
    }
}
