public import FilterPattern
public import TriplineCore

/// How a metric filter turns a matching event into a datapoint, as CloudWatch's
/// `MetricTransformation` defines it.
public struct MetricTransformation: Sendable, Hashable {
    public var metricName: String
    public var metricNamespace: String
    /// A number (`"1"`), `$.selector` for JSON patterns, or `$name` / `$N` for space-delimited ones.
    public var metricValue: String
    /// Emitted for each event the pattern does not match; not allowed with dimensions.
    public var defaultValue: Double?
    /// Dimension name to field reference (`$.eventSource`, `$server`), at most three.
    public var dimensions: [(name: String, value: String)]
    public var unit: StandardUnit?

    public init(
        metricName: String, metricNamespace: String, metricValue: String, defaultValue: Double? = nil,
        dimensions: [(name: String, value: String)] = [], unit: StandardUnit? = nil
    ) {
        self.metricName = metricName
        self.metricNamespace = metricNamespace
        self.metricValue = metricValue
        self.defaultValue = defaultValue
        self.dimensions = dimensions
        self.unit = unit
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.metricName == rhs.metricName && lhs.metricNamespace == rhs.metricNamespace
            && lhs.metricValue == rhs.metricValue && lhs.defaultValue == rhs.defaultValue
            && lhs.unit == rhs.unit && lhs.dimensions.map(\.name) == rhs.dimensions.map(\.name)
            && lhs.dimensions.map(\.value) == rhs.dimensions.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(metricName)
        hasher.combine(metricNamespace)
        hasher.combine(metricValue)
        for dimension in dimensions {
            hasher.combine(dimension.name)
            hasher.combine(dimension.value)
        }
    }
}

/// A metric value, resolved once when the filter is defined.
public enum MetricValue: Sendable, Hashable, CustomStringConvertible {
    /// A constant such as 1.
    case constant(Double)
    /// A value read from the event.
    case reference(FieldReference)

    public var description: String {
        switch self {
        case .constant(let value): value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        case .reference(let reference): reference.description
        }
    }
}
