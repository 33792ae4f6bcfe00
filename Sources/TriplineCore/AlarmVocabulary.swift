/// An alarm's state, spelled as CloudWatch spells `StateValue`.
public enum AlarmState: String, Sendable, Hashable, CaseIterable, Codable {
    case ok = "OK"
    case alarm = "ALARM"
    case insufficientData = "INSUFFICIENT_DATA"
}

/// How a metric alarm compares its statistic (left) with its threshold (right).
public enum ComparisonOperator: String, Sendable, Hashable, CaseIterable {
    case greaterThanOrEqualToThreshold = "GreaterThanOrEqualToThreshold"
    case greaterThanThreshold = "GreaterThanThreshold"
    case lessThanThreshold = "LessThanThreshold"
    case lessThanOrEqualToThreshold = "LessThanOrEqualToThreshold"
    // Anomaly-detection band operators: parsed so imports can name them, rejected by validation.
    case lessThanLowerOrGreaterThanUpperThreshold = "LessThanLowerOrGreaterThanUpperThreshold"
    case lessThanLowerThreshold = "LessThanLowerThreshold"
    case greaterThanUpperThreshold = "GreaterThanUpperThreshold"

    /// Whether the operator needs an anomaly-detection band, which Tripline does not model.
    public var isAnomalyDetection: Bool {
        switch self {
        case .lessThanLowerOrGreaterThanUpperThreshold, .lessThanLowerThreshold, .greaterThanUpperThreshold: true
        default: false
        }
    }

    /// Whether `value` breaches `threshold` under this operator.
    public func breaches(_ value: Double, _ threshold: Double) -> Bool {
        switch self {
        case .greaterThanOrEqualToThreshold: value >= threshold
        case .greaterThanThreshold: value > threshold
        case .lessThanThreshold: value < threshold
        case .lessThanOrEqualToThreshold: value <= threshold
        case .lessThanLowerOrGreaterThanUpperThreshold, .lessThanLowerThreshold, .greaterThanUpperThreshold: false
        }
    }
}

/// The statistic a metric alarm evaluates: one of CloudWatch's five, or a percentile `pNN`.
public enum Statistic: Sendable, Hashable, CustomStringConvertible {
    case sampleCount, sum, average, minimum, maximum
    /// `pNN` or `pNN.NN`, 0 to 100.
    case percentile(Double)

    /// Parses `Statistic` values (`Sum`) and `ExtendedStatistic` percentiles (`p99`, `p99.9`).
    public init?(_ text: String) {
        switch text {
        case "SampleCount": self = .sampleCount
        case "Sum": self = .sum
        case "Average": self = .average
        case "Minimum": self = .minimum
        case "Maximum": self = .maximum
        default:
            guard text.first == "p", let value = Double(text.dropFirst()), value >= 0, value <= 100,
                text.dropFirst().allSatisfy({ $0.isNumber || $0 == "." })
            else { return nil }
            self = .percentile(value)
        }
    }

    public var description: String {
        switch self {
        case .sampleCount: "SampleCount"
        case .sum: "Sum"
        case .average: "Average"
        case .minimum: "Minimum"
        case .maximum: "Maximum"
        case .percentile(let value):
            value == value.rounded() ? "p\(Int(value))" : "p\(value)"
        }
    }
}

/// What an alarm does with periods that have no datapoints.
public enum TreatMissingData: String, Sendable, Hashable, CaseIterable {
    case missing
    case notBreaching
    case breaching
    case ignore
}
