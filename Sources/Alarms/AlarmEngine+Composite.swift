import TriplineCore

/// A composite alarm's state inside the engine.
struct CompositeSlot: Sendable {
    var alarm: CompositeAlarm
    var state: AlarmState
    var lastTransitionTime: Timestamp?
    /// Whether the rule was evaluated once (§8.2: `INSUFFICIENT_DATA` only until then).
    var initialized = false
    var children: [AlarmEngine.AlarmRef] = []
    var suppressor: AlarmEngine.AlarmRef?
    var suppression: ActionSuppression?
    /// The current state's notification whose actions are withheld by suppression.
    var withheld: (notification: AlarmNotification, sequence: Int)?
}

extension AlarmEngine {
    mutating func addCompositeAlarm(_ alarm: CompositeAlarm) {
        references[alarm.name] = .composite(composites.count)
        references[alarm.arn] = .composite(composites.count)
        composites.append(CompositeSlot(alarm: alarm, state: alarm.initialState))
    }

    /// Resolves children and suppressors and orders composites children-first; cycles are left out.
    mutating func resolveComposites() {
        for index in composites.indices {
            let alarm = composites[index].alarm
            for child in alarm.rule.children {
                if let reference = references[child] {
                    composites[index].children.append(reference)
                } else {
                    warnings.append("composite alarm \"\(alarm.name)\": no alarm named \"\(child)\"; it reads as INSUFFICIENT_DATA")
                }
            }
            if let name = alarm.actionsSuppressor {
                if let reference = references[name] {
                    composites[index].suppressor = reference
                    composites[index].suppression = ActionSuppression(
                        suppressorInAlarm: state(of: name) == .alarm, waitPeriod: alarm.actionsSuppressorWaitPeriod,
                        extensionPeriod: alarm.actionsSuppressorExtensionPeriod)
                } else {
                    warnings.append("composite alarm \"\(alarm.name)\": no alarm named \"\(name)\" to suppress its actions")
                }
            }
        }
        var placed = Array(repeating: false, count: composites.count)
        var progress = true
        while progress {
            progress = false
            for index in composites.indices where !placed[index] {
                let ready = composites[index].children.allSatisfy {
                    if case .composite(let child) = $0 { return placed[child] }
                    return true
                }
                if ready {
                    placed[index] = true
                    compositeOrder.append(index)
                    progress = true
                }
            }
        }
        for index in composites.indices where !placed[index] {
            warnings.append(
                "composite alarm \"\(composites[index].alarm.name)\" is part of (or depends on) a cycle of composite alarms; it is not evaluated")
        }
    }

    /// Re-evaluates composites whose children changed at `t` (and those never evaluated), children first.
    mutating func cascade(at t: Timestamp, changed initial: [AlarmRef]) {
        var changed = initial
        for index in compositeOrder {
            let trigger = composites[index].children.first(where: changed.contains)
            guard trigger != nil || !composites[index].initialized else { continue }
            composites[index].initialized = true
            let value = composites[index].alarm.rule.evaluate { self.state(of: $0) }
            let newState: AlarmState = value ? .alarm : .ok
            guard newState != composites[index].state else { continue }
            let time = max(t, composites[index].lastTransitionTime ?? t)
            var triggering: NotificationMessage.Child?
            if let trigger { triggering = child(of: trigger) }
            var cause: (arn: String, state: AlarmState, time: Timestamp)?
            if let triggering { cause = (triggering.arn, triggering.state, triggering.time ?? time) }
            let reason = StateReason.composite(arn: composites[index].alarm.arn, state: newState, trigger: cause)
            transitionComposite(
                index, to: newState, at: time, reason: reason, triggering: triggering,
                trigger: triggering == nil ? "created" : "childChanged")
            changed.append(.composite(index))
        }
        for index in composites.indices {
            if let suppressor = composites[index].suppressor, changed.contains(suppressor) { syncSuppressor(index, at: t) }
        }
    }

    /// Tells a composite's suppression machine the suppressor's current state.
    mutating func syncSuppressor(_ index: Int, at time: Timestamp) {
        guard let suppressor = composites[index].suppressor, composites[index].suppression != nil else { return }
        let inAlarm = child(of: suppressor).state == .alarm
        if composites[index].suppression?.suppressorChanged(inAlarm: inAlarm, at: time) == .act { releaseWithheld(index) }
    }

    mutating func transitionComposite(
        _ index: Int, to newState: AlarmState, at time: Timestamp, reason: StateReason,
        triggering: NotificationMessage.Child?, trigger: String
    ) {
        let alarm = composites[index].alarm
        let oldState = composites[index].state
        composites[index].state = newState
        composites[index].lastTransitionTime = time
        let destinations = alarm.actions(for: newState)
        var disposition: ActionDisposition = destinations.isEmpty ? .noActions : .run
        if !alarm.actionsEnabled {
            disposition = .disabled
        } else if composites[index].suppression != nil {
            syncSuppressor(index, at: time)
            if case .suppress(let by) = composites[index].suppression?.compositeTransitioned(to: newState, at: time) {
                disposition = destinations.isEmpty ? .noActions : .suppressed(by)
            }
        }
        let suppressedBy: ActionsSuppressedBy? = if case .suppressed(let by) = disposition { by } else { nil }
        let children = composites[index].children.map { child(of: $0) }
        let message = NotificationMessage.composite(
            alarm, oldState: oldState, newState: newState, time: time, reason: reason, triggering: triggering,
            children: children, suppressedBy: suppressedBy)
        let (notification, sequence) = record(
            name: alarm.name, arn: alarm.arn, isComposite: true, oldState: oldState, newState: newState, time: time,
            reason: reason, trigger: trigger, disposition: disposition, destinations: destinations, message: message)
        composites[index].withheld = suppressedBy == nil ? nil : (notification, sequence)
    }

    /// Fires suppression timers due at or before `time`, in time order.
    mutating func fireTimers(upTo time: Timestamp) {
        while let deadline = composites.compactMap({ $0.suppression?.timer?.deadline }).filter({ $0 <= time }).min() {
            fireTimers(at: deadline)
        }
    }

    /// Fires the timers expiring at `deadline`: each composite acts on its current state.
    mutating func fireTimers(at deadline: Timestamp) {
        for index in composites.indices where composites[index].suppression?.timer?.deadline == deadline {
            if composites[index].suppression?.timerExpired(at: deadline) == .act { releaseWithheld(index) }
        }
    }

    /// Delivers a composite's withheld notification (its current state's actions).
    mutating func releaseWithheld(_ index: Int) {
        guard let withheld = composites[index].withheld else { return }
        composites[index].withheld = nil
        pending.deliver(withheld.notification, sequence: withheld.sequence)
        counters.notifications += 1
    }

    func child(of reference: AlarmRef) -> NotificationMessage.Child {
        switch reference {
        case .metric(let index):
            let machine = metrics[index].machine
            return .init(name: machine.alarm.name, arn: machine.alarm.arn, state: machine.state, time: machine.lastTransitionTime)
        case .composite(let index):
            let slot = composites[index]
            return .init(name: slot.alarm.name, arn: slot.alarm.arn, state: slot.state, time: slot.lastTransitionTime)
        }
    }
}
