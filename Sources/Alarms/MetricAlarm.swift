public import TriplineCore

/// A metric alarm's definition: what `PutMetricAlarm` takes, plus Tripline's evaluation options.
///
/// Field names follow CloudWatch. A definition is a value; the engine keeps the state apart, so
/// replacing a definition (a config reload) keeps the alarm's state, as CloudWatch does.
///
/// ```swift
/// var alarm = MetricAlarm(
///     name: "cis-root-usage",
///     metric: MetricKey(namespace: "CISBenchmark", metricName: "root_usage_metric"),
///     statistic: .sum, period: 300, evaluationPeriods: 1,
///     threshold: 1, comparisonOperator: .greaterThanOrEqualToThreshold)
/// alarm.treatMissingData = .notBreaching
/// alarm.metricOnlyGrows = true   // every filter feeding the metric publishes a constant 1
/// ```
public struct MetricAlarm: Sendable, Hashable, Codable {
    /// `AlarmName`, unique among the engine's alarms (metric and composite).
    public var name: String
    /// `AlarmDescription`, `null` in notifications when nil.
    public var description: String?
    /// Account and Region used for the default ARN and for notifications.
    public var account: AlarmAccount
    /// `AlarmArn`; defaults to `arn:aws:cloudwatch:<region>:<account>:alarm:<name>`.
    public var arn: String
    /// The series watched: `Namespace`, `MetricName` and `Dimensions` (matched exactly).
    public var metric: MetricKey
    /// `Statistic` or the percentile `ExtendedStatistic`.
    public var statistic: Statistic
    /// `Unit`: metadata copied into notifications (Tripline does not filter datapoints by unit).
    public var unit: StandardUnit?
    /// `Period` in seconds (10, 20, 30 or a multiple of 60 in CloudWatch; any positive value here).
    public var period: Int
    /// `EvaluationPeriods` (N).
    public var evaluationPeriods: Int
    /// `DatapointsToAlarm` (M) when set explicitly; nil means N, and changes the reason text.
    public var datapointsToAlarm: Int?
    /// The evaluation range R in periods; nil means N + 2 (Tripline's choice, see the spec §5).
    public var evaluationRange: Int?
    /// `Threshold`.
    public var threshold: Double
    /// `ComparisonOperator`; anomaly-band operators are rejected by ``validate()``.
    public var comparisonOperator: ComparisonOperator
    /// `TreatMissingData`, default `missing`.
    public var treatMissingData: TreatMissingData
    /// `EvaluateLowSampleCountPercentile`; nil when unset (written as `""`), which behaves as `evaluate`.
    public var evaluateLowSampleCountPercentile: LowSampleCountPolicy?
    /// `ActionsEnabled`: when false, state still changes but no action runs.
    public var actionsEnabled: Bool
    /// Destinations notified on entering `ALARM`.
    public var alarmActions: [String]
    /// Destinations notified on entering `OK`.
    public var okActions: [String]
    /// Destinations notified on entering `INSUFFICIENT_DATA`.
    public var insufficientDataActions: [String]
    /// The state the alarm starts in: `INSUFFICIENT_DATA`, or a `StateValue` from describe-alarms.
    public var initialState: AlarmState
    /// `AlarmConfigurationUpdatedTimestamp` for notifications; omitted when nil.
    public var configurationUpdated: Timestamp?
    /// Whether Tripline may alarm before the period ends (§12.5). On by default.
    public var earlyAlarm: Bool
    /// Whether every metric filter feeding this metric publishes a constant non-negative value (and no
    /// negative default value). Early alarm on `Sum` needs it; the caller knows the filters.
    public var metricOnlyGrows: Bool

    /// Creates a definition with CloudWatch's defaults for everything not named.
    public init(
        name: String, description: String? = nil, account: AlarmAccount = AlarmAccount(), arn: String? = nil,
        metric: MetricKey, statistic: Statistic, unit: StandardUnit? = nil, period: Int, evaluationPeriods: Int,
        datapointsToAlarm: Int? = nil, evaluationRange: Int? = nil, threshold: Double,
        comparisonOperator: ComparisonOperator, treatMissingData: TreatMissingData = .missing,
        evaluateLowSampleCountPercentile: LowSampleCountPolicy? = nil, actionsEnabled: Bool = true,
        alarmActions: [String] = [], okActions: [String] = [], insufficientDataActions: [String] = [],
        initialState: AlarmState = .insufficientData, configurationUpdated: Timestamp? = nil,
        earlyAlarm: Bool = true, metricOnlyGrows: Bool = false
    ) {
        self.name = name
        self.description = description
        self.account = account
        self.arn = arn ?? account.alarmArn(named: name)
        self.metric = metric
        self.statistic = statistic
        self.unit = unit
        self.period = period
        self.evaluationPeriods = evaluationPeriods
        self.datapointsToAlarm = datapointsToAlarm
        self.evaluationRange = evaluationRange
        self.threshold = threshold
        self.comparisonOperator = comparisonOperator
        self.treatMissingData = treatMissingData
        self.evaluateLowSampleCountPercentile = evaluateLowSampleCountPercentile
        self.actionsEnabled = actionsEnabled
        self.alarmActions = alarmActions
        self.okActions = okActions
        self.insufficientDataActions = insufficientDataActions
        self.initialState = initialState
        self.configurationUpdated = configurationUpdated
        self.earlyAlarm = earlyAlarm
        self.metricOnlyGrows = metricOnlyGrows
    }

    /// M: `DatapointsToAlarm`, or N when unset.
    public var effectiveDatapointsToAlarm: Int { datapointsToAlarm ?? evaluationPeriods }

    /// R: the number of periods each evaluation reads.
    public var effectiveEvaluationRange: Int { evaluationRange ?? evaluationPeriods + 2 }

    /// Whether more data can only make this alarm's outcome worse, so it may alarm early (§12.5):
    /// `SampleCount`, or `Sum` of a metric that only grows, against `>`/`≥`; `Maximum` against `>`/`≥`;
    /// `Minimum` against `<`/`≤`; and ``earlyAlarm`` on.
    public var alarmsEarly: Bool {
        guard earlyAlarm else { return false }
        let upward = comparisonOperator == .greaterThanThreshold || comparisonOperator == .greaterThanOrEqualToThreshold
        let downward = comparisonOperator == .lessThanThreshold || comparisonOperator == .lessThanOrEqualToThreshold
        switch statistic {
        case .sampleCount, .maximum: return upward
        case .sum: return upward && metricOnlyGrows
        case .minimum: return downward
        case .average, .percentile: return false
        }
    }

    /// The destinations for entering `state`.
    public func actions(for state: AlarmState) -> [String] {
        switch state {
        case .alarm: alarmActions
        case .ok: okActions
        case .insufficientData: insufficientDataActions
        }
    }

    /// Problems that make the definition unusable, one sentence each; empty when valid.
    public func validate() -> [String] {
        var problems: [String] = []
        let prefix = "alarm \"\(name)\": "
        if name.isEmpty || name.utf8.count > 255 { problems.append(prefix + "AlarmName must have 1 to 255 characters") }
        if period <= 0 { problems.append(prefix + "Period must be a positive number of seconds") }
        if evaluationPeriods < 1 { problems.append(prefix + "EvaluationPeriods must be at least 1") }
        if let m = datapointsToAlarm, m < 1 || m > evaluationPeriods {
            problems.append(prefix + "DatapointsToAlarm must be between 1 and EvaluationPeriods (\(evaluationPeriods))")
        }
        if let r = evaluationRange, r < evaluationPeriods {
            problems.append(prefix + "the evaluation range must be at least EvaluationPeriods (\(evaluationPeriods))")
        }
        if comparisonOperator.isAnomalyDetection {
            problems.append(prefix + "anomaly-detection operators are not supported; use a static threshold")
        }
        if !threshold.isFinite { problems.append(prefix + "Threshold must be a finite number") }
        return problems
    }
}

/// `EvaluateLowSampleCountPercentile`: what a percentile alarm does with too few samples (§3).
public enum LowSampleCountPolicy: String, Sendable, Hashable, CaseIterable, Codable {
    /// Evaluate anyway (CloudWatch's default).
    case evaluate
    /// Keep the current state while the sample is too small.
    case ignore
}
