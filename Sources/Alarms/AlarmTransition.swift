public import TriplineCore

/// Why a transition's actions did or did not run.
public enum ActionDisposition: Sendable, Hashable {
    /// The actions for the new state run now (the notification lists their destinations).
    case run
    /// The alarm has no actions for the new state.
    case noActions
    /// `ActionsEnabled` is false.
    case disabled
    /// A composite's `ActionsSuppressor` withholds them (`ActionsSuppressedBy`).
    case suppressed(ActionsSuppressedBy)
}

/// `ActionsSuppressedBy`: what withholds a composite alarm's actions.
public enum ActionsSuppressedBy: String, Sendable, Hashable {
    /// Waiting, after the composite entered `ALARM`, for the suppressor to enter `ALARM`.
    case waitPeriod = "WaitPeriod"
    /// The suppressor left `ALARM` recently.
    case extensionPeriod = "ExtensionPeriod"
    /// The suppressor is in `ALARM`.
    case alarm = "Alarm"

    /// `ActionsSuppressedReason`.
    public var reason: String { "Actions suppressed by \(rawValue)" }
}

/// One state change of one alarm, as the engine reports it.
///
/// Every transition is reported (for logs, the state store and EventBridge-style consumers), whether
/// or not its actions run; ``notification`` is its SNS message. Order transitions by
/// (``stateChangeTime``, ``alarmName``, ``sequence``) to get the spec's deterministic order across calls.
public struct AlarmTransition: Sendable, Hashable {
    /// `AlarmName`.
    public var alarmName: String
    /// `AlarmArn`.
    public var alarmArn: String
    /// Whether the alarm is a composite alarm.
    public var isComposite: Bool
    /// `OldStateValue`.
    public var oldState: AlarmState
    /// `NewStateValue`.
    public var newState: AlarmState
    /// `StateChangeTime`.
    public var stateChangeTime: Timestamp
    /// `NewStateReason` and `StateReasonData`.
    public var reason: StateReason
    /// What triggered it: `periodEnd`, `early`, `setAlarmState`, or `childChanged` for composites.
    public var trigger: String
    /// Whether the actions ran.
    public var actions: ActionDisposition
    /// Order of creation within the engine (ties on time and name keep this order).
    public var sequence: Int
    /// The SNS message; its destinations are those acted on now (empty unless ``actions`` is `.run`).
    public var notification: AlarmNotification
}

/// What one call into the engine produced.
public struct AlarmEngineOutput: Sendable, Hashable {
    /// Every state change, ordered by (`StateChangeTime`, `AlarmName`, creation order).
    public var transitions: [AlarmTransition] = []
    /// Notifications to deliver (destinations non-empty), in the same order. A composite's withheld
    /// actions appear here when a suppression timer releases them, after the transition itself.
    public var notifications: [AlarmNotification] = []

    /// Creates an empty output.
    public init() {}

    /// Appends another output.
    public mutating func append(_ other: AlarmEngineOutput) {
        transitions.append(contentsOf: other.transitions)
        notifications.append(contentsOf: other.notifications)
    }
}
