public import TriplineCore

extension AlarmEngine {
    /// Early alarm (§12.5): alarms of the series whose outcome can only get worse are evaluated as if
    /// a period ended at `τ`, over sliding windows `(τ − kP, τ − (k−1)P]`; only `ALARM` is taken.
    mutating func evaluateEarly(series index: Int, at tau: Timestamp) {
        guard let watermark, tau >= watermark, series[index] != nil else { return }
        fireTimers(upTo: tau)
        clock = max(clock ?? tau, tau)
        var changed: [AlarmRef] = []
        for slot in metrics.indices where metrics[slot].series == index {
            guard let early = metrics[slot].early else { continue }
            var range: [EvaluatedPeriod] = []
            range.reserveCapacity(early.range)
            for k in stride(from: early.range, through: 1, by: -1) {
                let after = tau.milliseconds - Int64(k) * early.periodLength
                // safe because: checked non-nil above, and nothing here removes a series
                let statistics = series[index]!.slidingStatistics(after: after, through: after + early.periodLength)
                range.append(
                    MetricAlarm.evaluatedPeriod(
                        start: Timestamp(milliseconds: after), statistics: statistics, statistic: early.statistic,
                        comparisonOperator: early.comparisonOperator, threshold: early.threshold))
            }
            counters.earlyEvaluations += 1
            if case .transition(let change) = metrics[slot].machine.evaluate(range, at: tau, trigger: .early) {
                emitMetric(slot, change: change, sliding: true)
                changed.append(.metric(slot))
            }
        }
        cascade(at: tau, changed: changed)
    }

    /// `SetAlarmState`: forces the alarm (metric or composite, by name or ARN) into `state` at `time`.
    ///
    /// A metric alarm snaps back at its next evaluation; a composite alarm at its next child change.
    /// Actions run if the state differs.
    /// - Returns: nil when no alarm has that name.
    public mutating func setAlarmState(
        _ alarm: String, to state: AlarmState, reason: String, at time: Timestamp
    ) -> AlarmEngineOutput? {
        switch references[alarm] {
        case nil:
            return nil
        case .metric(let index):
            let action = metrics[index].machine.setState(state, reason: reason, at: time)
            if case .transition(let change) = action {
                emitMetric(index, change: change, sliding: false)
                let period = Int64(metrics[index].machine.alarm.period)
                var due = change.time.floor(toPeriod: period).adding(seconds: period)
                if let watermark { due = max(due, watermark.floor(toPeriod: period).adding(seconds: period)) }
                if metrics[index].anchored { metrics[index].nextEvaluation = min(metrics[index].nextEvaluation ?? due, due) }
                cascade(at: change.time, changed: [.metric(index)])
            }
        case .composite(let index):
            composites[index].initialized = true
            guard composites[index].state != state else { break }
            let time = max(time, composites[index].lastTransitionTime ?? time)
            transitionComposite(
                index, to: state, at: time, reason: StateReason(text: reason, data: "{}"), triggering: nil,
                trigger: "setAlarmState")
            cascade(at: time, changed: [.composite(index)])
        }
        return pending.take()
    }

    /// Records a metric alarm's transition: message, evidence, actions.
    mutating func emitMetric(_ index: Int, change: AlarmStateMachine.StateChange, sliding: Bool) {
        let alarm = metrics[index].machine.alarm
        let length = Int64(alarm.period) * 1000
        var events: [EvidenceItem] = []
        if let outcome = change.outcome, change.newState != .insufficientData, let stored = series[metrics[index].series] {
            let supporting = outcome.periods.filter { $0.role == .considered && $0.breaching == (change.newState == .alarm) }
            for period in supporting.reversed() where events.count < Self.eventsPerNotification {
                // Aligned periods are [start, start + P); sliding windows (start, start + P].
                let after = period.start.milliseconds - (sliding ? 0 : 1)
                let found = stored.evidence(after: after, through: after + length)
                events.append(contentsOf: found.prefix(Self.eventsPerNotification - events.count))
            }
        }
        let evidence = NotificationMessage.MetricEvidence(
            trigger: change.trigger.rawValue, periods: change.outcome?.periods ?? [], periodLength: length,
            treatMissingData: alarm.treatMissingData, events: events)
        let message = NotificationMessage.metric(alarm, change: change, evidence: evidence)
        let disposition: ActionDisposition =
            !alarm.actionsEnabled ? .disabled : alarm.actions(for: change.newState).isEmpty ? .noActions : .run
        record(
            name: alarm.name, arn: alarm.arn, isComposite: false, oldState: change.oldState, newState: change.newState,
            time: change.time, reason: change.reason, trigger: change.trigger.rawValue, disposition: disposition,
            destinations: change.destinations, message: message)
    }

    /// The most matching events one notification carries.
    static let eventsPerNotification = 5

    /// Adds a transition to the pending output and, when its actions run, its notification.
    @discardableResult
    mutating func record(
        name: String, arn: String, isComposite: Bool, oldState: AlarmState, newState: AlarmState, time: Timestamp,
        reason: StateReason, trigger: String, disposition: ActionDisposition, destinations: [String], message: [UInt8]
    ) -> (AlarmNotification, Int) {
        let sequence = nextSequence
        nextSequence += 1
        let key = IdempotencyKey.make(alarmArn: arn, stateChangeTime: time.iso8601, newState: newState.rawValue)
        let notification = AlarmNotification(
            idempotencyKey: key, alarmName: name, oldState: oldState, newState: newState, stateChangeTime: time,
            destinations: disposition == .run ? destinations : [], message: message)
        pending.add(
            AlarmTransition(
                alarmName: name, alarmArn: arn, isComposite: isComposite, oldState: oldState, newState: newState,
                stateChangeTime: time, reason: reason, trigger: trigger, actions: disposition, sequence: sequence,
                notification: notification))
        counters.transitions += 1
        if disposition == .run {
            pending.deliver(notification, sequence: sequence)
            counters.notifications += 1
        }
        var withDestinations = notification
        withDestinations.destinations = destinations
        return (withDestinations, sequence)
    }
}
