public import TriplineCore

/// A composite alarm's `ActionsSuppressor` logic (spec §8.3) as a struct that returns decisions.
///
/// - A composite transition to `ALARM` starts a wait timer; if the suppressor enters `ALARM` before it
///   expires, the timer is discarded and actions stay suppressed while the suppressor is in `ALARM`.
/// - When the suppressor leaves `ALARM`, an extension timer starts.
/// - When a timer expires, the composite acts on its **current** state.
/// - Any composite state change while a timer runs discards it and starts a new wait timer.
/// - If the suppressor is already in `ALARM` at a transition, actions are suppressed at once.
/// - Replacing the suppressor discards running timers (``init(suppressorInAlarm:waitPeriod:extensionPeriod:)``
///   builds a fresh machine).
public struct ActionSuppression: Sendable, Hashable {
    /// A running timer.
    public enum Timer: Sendable, Hashable {
        case wait(until: Timestamp)
        case `extension`(until: Timestamp)

        /// When it expires.
        public var deadline: Timestamp {
            switch self {
            case .wait(let until), .`extension`(let until): until
            }
        }
    }

    /// What to do with a transition's actions.
    public enum Decision: Sendable, Hashable {
        /// Run them now.
        case act
        /// Withhold them (`ActionsSuppressedBy`); a later ``timerExpired(at:)`` may release them.
        case suppress(ActionsSuppressedBy)
    }

    // Settable in the module so that `AlarmEngine.restore(from:)` can put saved timers back.
    /// Whether the suppressor is in `ALARM`, as last told.
    public internal(set) var suppressorInAlarm: Bool
    /// The running timer, if any.
    public internal(set) var timer: Timer?
    /// `ActionsSuppressorWaitPeriod` in seconds.
    public let waitPeriod: Int64
    /// `ActionsSuppressorExtensionPeriod` in seconds.
    public let extensionPeriod: Int64

    /// Creates the machine with the suppressor's current state and no timer.
    public init(suppressorInAlarm: Bool, waitPeriod: Int, extensionPeriod: Int) {
        self.suppressorInAlarm = suppressorInAlarm
        self.waitPeriod = Int64(waitPeriod)
        self.extensionPeriod = Int64(extensionPeriod)
    }

    /// The composite changed to `newState` at `time`.
    public mutating func compositeTransitioned(to newState: AlarmState, at time: Timestamp) -> Decision {
        if suppressorInAlarm {
            timer = nil
            return .suppress(.alarm)
        }
        if timer != nil || newState == .alarm {
            guard waitPeriod > 0 else {
                timer = nil
                return .act
            }
            timer = .wait(until: time.adding(seconds: waitPeriod))
            return .suppress(.waitPeriod)
        }
        return .act
    }

    /// The suppressor is (or is no longer) in `ALARM` from `time` on.
    /// - Returns: `.act` when an extension period of zero releases the actions at once, else nil.
    public mutating func suppressorChanged(inAlarm: Bool, at time: Timestamp) -> Decision? {
        guard inAlarm != suppressorInAlarm else { return nil }
        suppressorInAlarm = inAlarm
        if inAlarm {
            timer = nil
            return nil
        }
        guard extensionPeriod > 0 else { return .act }
        timer = .`extension`(until: time.adding(seconds: extensionPeriod))
        return nil
    }

    /// The timer expired: the composite acts on its current state.
    public mutating func timerExpired(at time: Timestamp) -> Decision? {
        guard let timer, timer.deadline <= time else { return nil }
        self.timer = nil
        return .act
    }

    /// What withholds actions right now, if anything.
    public var suppressedBy: ActionsSuppressedBy? {
        if suppressorInAlarm { return .alarm }
        switch timer {
        case .wait: return .waitPeriod
        case .`extension`: return .extensionPeriod
        case nil: return nil
        }
    }
}
