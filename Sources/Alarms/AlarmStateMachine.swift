public import TriplineCore

/// One metric alarm's state and the rules that move it (spec §4, §5 and §12.6).
///
/// A struct that returns actions: the engine (or a test) hands it a range of periods and a time, and
/// it answers with ``Action``. It never reads a clock and does no I/O.
///
/// ```swift
/// var machine = AlarmStateMachine(alarm)
/// let range = alarm.periods(endingAt: periodEnd) { start in statistics[start] }
/// if case .transition(let change) = machine.evaluate(range, at: periodEnd) { deliver(change) }
/// ```
public struct AlarmStateMachine: Sendable {
    /// What an evaluation was triggered by.
    public enum Trigger: String, Sendable, Hashable {
        /// An aligned period end, once the watermark passed it.
        case periodEnd
        /// A datapoint that arrived at or after the watermark (§12.5); only `ALARM` is taken.
        case early
        /// `SetAlarmState`.
        case setAlarmState
    }

    /// A change of state.
    public struct StateChange: Sendable, Hashable {
        /// The state left.
        public var oldState: AlarmState
        /// The state entered.
        public var newState: AlarmState
        /// `StateChangeTime`.
        public var time: Timestamp
        /// `NewStateReason` and its data.
        public var reason: StateReason
        /// What decided it (nil for `SetAlarmState`).
        public var outcome: RangeOutcome?
        /// What triggered the evaluation.
        public var trigger: Trigger
        /// Destinations whose actions run: the list for ``newState``, empty when actions are disabled.
        public var destinations: [String]
    }

    /// What an evaluation asks the owner to do.
    public enum Action: Sendable, Hashable {
        /// Nothing: the state stays (same state, `KEEP_STATE`, or an early evaluation short of `ALARM`).
        case none
        /// The period end is at or before the alarm's latest transition or early `ALARM` (§12.6).
        case skipped
        /// The state changed: record it and run the destinations' actions.
        case transition(StateChange)
    }

    /// The definition.
    public private(set) var alarm: MetricAlarm
    // The state is settable in the module so that `AlarmEngine.restore(from:)` can put a saved one back.
    /// `StateValue`.
    public internal(set) var state: AlarmState
    /// `StateReason` of the current state.
    public internal(set) var reason: StateReason
    /// Time of the latest transition (nil before the first).
    public internal(set) var lastTransitionTime: Timestamp?
    /// The greatest time at which an early evaluation said `ALARM`.
    public internal(set) var lastEarlyAlarmTime: Timestamp?

    /// Creates the machine in the definition's initial state.
    public init(_ alarm: MetricAlarm) {
        self.alarm = alarm
        self.state = alarm.initialState
        self.reason = .initial
    }

    /// Replaces the definition and keeps the state (CloudWatch's update rule).
    public mutating func update(_ alarm: MetricAlarm) { self.alarm = alarm }

    /// Evaluates `range` (the R periods ending at `time`, oldest first).
    /// - Parameters:
    ///   - range: periods as built by ``MetricAlarm/evaluatedPeriod(start:statistics:)``.
    ///   - time: the period end, or the early datapoint's time.
    ///   - trigger: `.periodEnd` or `.early`.
    /// - Returns: what to do.
    public mutating func evaluate(_ range: [EvaluatedPeriod], at time: Timestamp, trigger: Trigger = .periodEnd) -> Action {
        if trigger == .periodEnd, let floor = timeFloor, time <= floor { return .skipped }
        let outcome = RangeEvaluator.evaluate(
            range, evaluationPeriods: alarm.evaluationPeriods, datapointsToAlarm: alarm.effectiveDatapointsToAlarm,
            treatMissingData: alarm.treatMissingData,
            ignoreLowSamples: alarm.evaluateLowSampleCountPercentile == .ignore)
        if trigger == .early {
            guard outcome.decision == .alarm else { return .none }
            lastEarlyAlarmTime = max(lastEarlyAlarmTime ?? time, time)
        }
        guard let newState = outcome.decision.state, newState != state else { return .none }
        let changeTime = max(time, lastTransitionTime ?? time)
        let reason = StateReason.metric(alarm, outcome: outcome, from: state, to: newState, queryDate: changeTime)
        return transition(to: newState, at: changeTime, reason: reason, outcome: outcome, trigger: trigger)
    }

    /// `SetAlarmState`: forces a state until the next evaluation, which snaps it back.
    /// - Returns: a transition (with actions) when the state differs, else `.none`.
    public mutating func setState(_ newState: AlarmState, reason: String, reasonData: String = "{}", at time: Timestamp) -> Action {
        let changeTime = max(time, lastTransitionTime ?? time)
        guard newState != state else {
            lastTransitionTime = changeTime
            return .none
        }
        return transition(
            to: newState, at: changeTime, reason: StateReason(text: reason, data: reasonData), outcome: nil,
            trigger: .setAlarmState)
    }

    /// Period ends at or before this time are skipped.
    var timeFloor: Timestamp? {
        switch (lastTransitionTime, lastEarlyAlarmTime) {
        case (nil, nil): nil
        case (let a?, nil): a
        case (nil, let b?): b
        case (let a?, let b?): max(a, b)
        }
    }

    private mutating func transition(
        to newState: AlarmState, at time: Timestamp, reason: StateReason, outcome: RangeOutcome?, trigger: Trigger
    ) -> Action {
        let change = StateChange(
            oldState: state, newState: newState, time: time, reason: reason, outcome: outcome, trigger: trigger,
            destinations: alarm.actionsEnabled ? alarm.actions(for: newState) : [])
        state = newState
        self.reason = reason
        lastTransitionTime = time
        return .transition(change)
    }
}

extension MetricAlarm {
    /// The period starting at `start` as this alarm judges it, from the series' statistics (nil: no data).
    public func evaluatedPeriod(start: Timestamp, statistics: PeriodStatistics?) -> EvaluatedPeriod {
        Self.evaluatedPeriod(
            start: start, statistics: statistics, statistic: statistic, comparisonOperator: comparisonOperator,
            threshold: threshold)
    }

    /// ``evaluatedPeriod(start:statistics:)`` from the three fields it reads.
    static func evaluatedPeriod(
        start: Timestamp, statistics: PeriodStatistics?, statistic: Statistic, comparisonOperator: ComparisonOperator,
        threshold: Double
    ) -> EvaluatedPeriod {
        let value = statistics.flatMap { $0.value(of: statistic) }
        return EvaluatedPeriod(
            start: start, value: value, sampleCount: statistics?.count ?? 0,
            breaching: value.map { comparisonOperator.breaches($0, threshold) } ?? false,
            lowSample: statistics?.isLowSample(for: statistic) ?? false)
    }

    /// The R aligned periods ending at `end` (a multiple of `Period`), oldest first.
    public func periods(endingAt end: Timestamp, statistics: (Timestamp) -> PeriodStatistics?) -> [EvaluatedPeriod] {
        let length = Int64(period) * 1000
        let r = effectiveEvaluationRange
        return (1...r).reversed().map { k in
            let start = Timestamp(milliseconds: end.milliseconds - Int64(k) * length)
            return evaluatedPeriod(start: start, statistics: statistics(start))
        }
    }
}
