public import TriplineCore

/// A composite alarm's definition: a rule over other alarms' states, actions and action suppression.
///
/// ```swift
/// let composite = try CompositeAlarm(
///     name: "root-and-no-mfa",
///     rule: AlarmRule(parsing: "ALARM(cis-root-usage) AND ALARM(cis-no-mfa-login)"),
///     alarmActions: ["security-alerts"])
/// ```
public struct CompositeAlarm: Sendable, Hashable, Codable {
    /// `AlarmName`, unique among the engine's alarms.
    public var name: String
    /// `AlarmDescription`.
    public var description: String?
    /// Account and Region for the ARN and notifications.
    public var account: AlarmAccount
    /// `AlarmArn`; defaults to `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`.
    public var arn: String
    /// `AlarmRule`, parsed.
    public var rule: AlarmRule
    /// The rule's source text, as notifications quote it; ``rule``'s description when nil.
    public var ruleText: String?
    /// `ActionsEnabled`.
    public var actionsEnabled: Bool
    /// Destinations notified on entering `ALARM`.
    public var alarmActions: [String]
    /// Destinations notified on entering `OK`.
    public var okActions: [String]
    /// Destinations notified on entering `INSUFFICIENT_DATA`.
    public var insufficientDataActions: [String]
    /// `ActionsSuppressor`: name or ARN of the alarm whose `ALARM` state suppresses this one's actions.
    public var actionsSuppressor: String?
    /// `ActionsSuppressorWaitPeriod` in seconds.
    public var actionsSuppressorWaitPeriod: Int
    /// `ActionsSuppressorExtensionPeriod` in seconds.
    public var actionsSuppressorExtensionPeriod: Int
    /// The state the alarm starts in.
    public var initialState: AlarmState
    /// `AlarmConfigurationUpdatedTimestamp` for notifications; omitted when nil.
    public var configurationUpdated: Timestamp?

    /// Creates a composite alarm definition.
    public init(
        name: String, description: String? = nil, account: AlarmAccount = AlarmAccount(), arn: String? = nil,
        rule: AlarmRule, ruleText: String? = nil, actionsEnabled: Bool = true, alarmActions: [String] = [],
        okActions: [String] = [], insufficientDataActions: [String] = [], actionsSuppressor: String? = nil,
        actionsSuppressorWaitPeriod: Int = 60, actionsSuppressorExtensionPeriod: Int = 60,
        initialState: AlarmState = .insufficientData, configurationUpdated: Timestamp? = nil
    ) {
        self.name = name
        self.description = description
        self.account = account
        self.arn = arn ?? account.alarmArn(named: name)
        self.rule = rule
        self.ruleText = ruleText
        self.actionsEnabled = actionsEnabled
        self.alarmActions = alarmActions
        self.okActions = okActions
        self.insufficientDataActions = insufficientDataActions
        self.actionsSuppressor = actionsSuppressor
        self.actionsSuppressorWaitPeriod = actionsSuppressorWaitPeriod
        self.actionsSuppressorExtensionPeriod = actionsSuppressorExtensionPeriod
        self.initialState = initialState
        self.configurationUpdated = configurationUpdated
    }

    /// The destinations for entering `state`.
    public func actions(for state: AlarmState) -> [String] {
        switch state {
        case .alarm: alarmActions
        case .ok: okActions
        case .insufficientData: insufficientDataActions
        }
    }

    /// Problems that make the definition unusable; empty when valid.
    public func validate() -> [String] {
        var problems: [String] = []
        let prefix = "composite alarm \"\(name)\": "
        if name.isEmpty || name.utf8.count > 255 { problems.append(prefix + "AlarmName must have 1 to 255 characters") }
        if actionsSuppressorWaitPeriod < 0 || actionsSuppressorExtensionPeriod < 0 {
            problems.append(prefix + "suppressor wait and extension periods must not be negative")
        }
        return problems
    }
}
