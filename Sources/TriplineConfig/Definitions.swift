public import MetricFilters
public import TriplineCore

/// Where a definition came from, for messages.
public enum ConfigFormat: String, Sendable {
    case tripline = "Tripline file"
    case cloudFormation = "CloudFormation template"
}

/// A name in `AlarmActions`, `OKActions` or `InsufficientDataActions`, with where it was written.
public struct ActionReference: Sendable, Hashable {
    public var name: String
    public var location: SourceLocation
}

/// A metric filter as defined (before its pattern is compiled).
public struct MetricFilterDefinition: Sendable {
    public var filterName: String
    public var filterPattern: String
    public var logGroupName: String?
    public var transformations: [MetricTransformation]
    public var location: SourceLocation
    /// Where the pattern text starts, for caret diagnostics inside the file.
    public var patternLocation: SourceLocation
    /// `metricFilters[3]` or `Resources.RootUsageFilter`.
    public var path: String
}

/// A metric alarm as `PutMetricAlarm` defines it (static thresholds only).
public struct MetricAlarmDefinition: Sendable {
    public var alarmName: String
    public var alarmDescription: String?
    public var actionsEnabled: Bool
    public var alarmActions: [ActionReference]
    public var okActions: [ActionReference]
    public var insufficientDataActions: [ActionReference]
    public var namespace: String
    public var metricName: String
    public var dimensions: [(name: String, value: String)]
    public var statistic: Statistic
    public var period: Int
    public var evaluationPeriods: Int
    public var datapointsToAlarm: Int
    public var threshold: Double
    public var comparisonOperator: ComparisonOperator
    public var treatMissingData: TreatMissingData
    /// `EvaluateLowSampleCountPercentile: ignore` sets this to false.
    public var evaluateLowSampleCountPercentile: Bool
    public var unit: StandardUnit?
    /// `StateValue` from `describe-alarms`, to resume in the same state.
    public var stateValue: AlarmState?
    public var location: SourceLocation
    public var path: String
}

/// A composite alarm: a rule over other alarms' states.
public struct CompositeAlarmDefinition: Sendable {
    public var alarmName: String
    public var alarmDescription: String?
    public var alarmRule: AlarmRule
    public var alarmRuleText: String
    public var actionsEnabled: Bool
    public var alarmActions: [ActionReference]
    public var okActions: [ActionReference]
    public var insufficientDataActions: [ActionReference]
    public var actionsSuppressor: String?
    public var actionsSuppressorWaitPeriod: Int?
    public var actionsSuppressorExtensionPeriod: Int?
    public var stateValue: AlarmState?
    public var location: SourceLocation
    /// Where the rule text starts.
    public var ruleLocation: SourceLocation
    public var path: String
}

/// Where notifications go.
public struct DestinationDefinition: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// One notification JSON per line on standard output.
        case stdout
    }

    public var name: String
    public var kind: Kind
    /// Action ARNs that mean this destination (an imported alarm's SNS topic, say).
    public var arns: [String]
    public var location: SourceLocation
    public var path: String
}

/// Everything the loaded configs define, checked and with every filter compiled.
public struct Configuration: Sendable {
    public var files: [String] = []
    public var metricFilters: [MetricFilterDefinition] = []
    public var metricAlarms: [MetricAlarmDefinition] = []
    public var compositeAlarms: [CompositeAlarmDefinition] = []
    public var destinations: [DestinationDefinition] = []
    /// The compiled filters, in definition order (only when the config has no errors).
    public var filters: [MetricFilter] = []
    /// Resources of CloudFormation templates that define nothing for Tripline (noted, not failed).
    public var ignoredResources: [String] = []

    public init() {}
}
