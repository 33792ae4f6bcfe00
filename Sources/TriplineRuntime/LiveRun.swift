import Foundation
public import Alarms
public import MetricFilters
public import TriplineCore

/// `tripline run`: events in, evaluated on the wall clock, notifications out as they happen.
///
/// The reader thread and the ticker call into one lock-protected state; every notification is
/// handed to `deliver` as soon as the engine produces it.
public final class LiveRun: @unchecked Sendable {
    private let lock = NSLock()
    private var pipeline: EventPipeline
    private var engine: AlarmEngine
    private var latest: Timestamp?
    private var setStateOffset: UInt64 = 0
    private let stateDirectory: String
    private let deliver: (AlarmNotification) -> Void
    public private(set) var eventsRead = 0
    public private(set) var eventsWithImplausibleTime = 0

    /// - Parameter deliver: called with each notification, under the run's lock, in order.
    public init(filterSet: FilterSet, engine: AlarmEngine, stateDirectory: String, deliver: @escaping (AlarmNotification) -> Void) {
        self.pipeline = EventPipeline(filterSet: filterSet)
        self.engine = engine
        self.stateDirectory = stateDirectory
        self.deliver = deliver
        // Requests written before this run started are history, not instructions.
        self.setStateOffset = SetStateRequest.read(stateDirectory: stateDirectory).1
    }

    /// Feeds one event read at wall-clock time `now`.
    public func consume(_ line: UnsafeRawBufferPointer, source: EventReference, now: Timestamp) {
        lock.lock()
        defer { lock.unlock() }
        eventsRead += 1
        var time = pipeline.eventTime(of: line)
        if let value = time, value > now.adding(seconds: 900) {
            eventsWithImplausibleTime += 1
            time = nil
        }
        // In live mode an event without a usable time is taken as read now (spec §12.1).
        let eventTime = time ?? now
        let (datapoints, evidence) = pipeline.process(line, time: eventTime, source: source)
        latest = max(latest ?? eventTime, eventTime)
        emit(engine.ingest(eventTime: eventTime, datapoints: datapoints, evidence: evidence))
    }

    /// Moves the watermark with the wall clock and applies new `set-state` requests.
    public func tick(now: Timestamp) {
        lock.lock()
        defer { lock.unlock() }
        let (requests, offset) = SetStateRequest.read(stateDirectory: stateDirectory, from: setStateOffset)
        setStateOffset = offset
        for request in requests {
            if let output = engine.setAlarmState(request.alarm, to: request.state, reason: request.reason, at: now) {
                emit(output)
            }
        }
        emit(engine.advance(to: now))
    }

    /// The alarm states now, for a final report.
    public var states: [(name: String, state: AlarmState)] {
        lock.lock()
        defer { lock.unlock() }
        return engine.states
    }

    private func emit(_ output: AlarmEngineOutput) {
        for notification in output.notifications { deliver(notification) }
    }
}
