/// A problem with a metric filter's definition (its transformation, not its pattern).
///
/// The codes follow the rejections of `PutMetricFilter` listed in the pattern spec, section 5.
public struct MetricFilterProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case defaultValueWithDimensions = "default-value-with-dimensions"
        case dimensionNotAReference = "dimension-not-a-reference"
        case dimensionNameInvalid = "dimension-name-invalid"
        case dimensionsNotSupported = "dimensions-not-supported"
        case metricNameInvalid = "metric-name-invalid"
        case metricNamespaceInvalid = "metric-namespace-invalid"
        case metricValueInvalid = "metric-value-invalid"
        case metricValueTooLong = "metric-value-too-long"
        case referenceNotInPattern = "reference-not-in-pattern"
        case tooManyDimensions = "too-many-dimensions"
        case transformationCount = "transformation-count"
    }

    public var code: Code
    /// The field the problem is about, in CloudWatch's spelling (`metricValue`, `dimensions.Service`).
    public var field: String
    public var message: String
    public var fix: String

    public init(_ code: Code, field: String, message: String, fix: String) {
        self.code = code
        self.field = field
        self.message = message
        self.fix = fix
    }

    public var description: String { "\(field): \(message); \(fix)" }
}

/// The problems that made a metric filter definition invalid; all of them, not just the first.
public struct MetricFilterError: Error, Sendable, CustomStringConvertible {
    public var problems: [MetricFilterProblem]

    public init(problems: [MetricFilterProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
