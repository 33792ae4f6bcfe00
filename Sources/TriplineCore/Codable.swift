// Codable conformances of the vocabulary types, for the alarm engine's snapshots (and anyone persisting
// them). Written by hand because synthesis only works in the declaring file; the encodings are stable.

/// Encoded as milliseconds since the epoch: `1714557600000`.
extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(milliseconds: try decoder.singleValueContainer().decode(Int64.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(milliseconds)
    }
}

/// Encoded as `{"name": …, "value": …}`.
extension Dimension: Codable {
    enum CodingKeys: String, CodingKey { case name, value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try container.decode(String.self, forKey: .name), value: try container.decode(String.self, forKey: .value))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(value, forKey: .value)
    }
}

/// Encoded as `{"namespace": …, "metricName": …, "dimensions": [...]}`; decoding sorts the dimensions.
extension MetricKey: Codable {
    enum CodingKeys: String, CodingKey { case namespace, metricName, dimensions }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            namespace: try container.decode(String.self, forKey: .namespace),
            metricName: try container.decode(String.self, forKey: .metricName),
            dimensions: try container.decodeIfPresent([Dimension].self, forKey: .dimensions) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(namespace, forKey: .namespace)
        try container.encode(metricName, forKey: .metricName)
        try container.encode(dimensions, forKey: .dimensions)
    }
}

extension EventReference: Codable {
    enum CodingKeys: String, CodingKey { case input, line, offset, eventID }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            input: try container.decode(String.self, forKey: .input), line: try container.decode(Int.self, forKey: .line),
            offset: try container.decode(Int.self, forKey: .offset),
            eventID: try container.decodeIfPresent(String.self, forKey: .eventID))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(input, forKey: .input)
        try container.encode(line, forKey: .line)
        try container.encode(offset, forKey: .offset)
        try container.encodeIfPresent(eventID, forKey: .eventID)
    }
}

/// The message is encoded as a JSON string (it is UTF-8 JSON text).
extension AlarmNotification: Codable {
    enum CodingKeys: String, CodingKey {
        case idempotencyKey, alarmName, oldState, newState, stateChangeTime, destinations, message
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            idempotencyKey: try container.decode(String.self, forKey: .idempotencyKey),
            alarmName: try container.decode(String.self, forKey: .alarmName),
            oldState: try container.decode(AlarmState.self, forKey: .oldState),
            newState: try container.decode(AlarmState.self, forKey: .newState),
            stateChangeTime: try container.decode(Timestamp.self, forKey: .stateChangeTime),
            destinations: try container.decode([String].self, forKey: .destinations),
            message: try container.decode(CodableBytes.self, forKey: .message).bytes)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(idempotencyKey, forKey: .idempotencyKey)
        try container.encode(alarmName, forKey: .alarmName)
        try container.encode(oldState, forKey: .oldState)
        try container.encode(newState, forKey: .newState)
        try container.encode(stateChangeTime, forKey: .stateChangeTime)
        try container.encode(destinations, forKey: .destinations)
        try container.encode(CodableBytes(message), forKey: .message)
    }
}

extension ComparisonOperator: Codable {}
extension TreatMissingData: Codable {}
extension StandardUnit: Codable {}

/// Encoded as CloudWatch writes it (`"Sum"`, `"SampleCount"`) or, for a percentile, `"p"` and the
/// value's exact decimal form (`"p99.9"`, `"p50.0"`).
extension Statistic: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        switch text {
        case "SampleCount": self = .sampleCount
        case "Sum": self = .sum
        case "Average": self = .average
        case "Minimum": self = .minimum
        case "Maximum": self = .maximum
        default:
            // Not `init?(_:)`: that validates user input; this reads back any value exactly.
            guard text.first == "p", let value = Double(text.dropFirst()) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown statistic \(text)")
            }
            self = .percentile(value)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .percentile(let value): try container.encode("p\(value)")
        default: try container.encode(description)
        }
    }
}

/// Bytes as JSON: a string when they are valid UTF-8 (the usual case, and compact), else an array of
/// numbers, so any bytes round-trip exactly.
package struct CodableBytes: Codable, Sendable, Hashable {
    package var bytes: [UInt8]

    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            bytes = Array(text.utf8)
        } else {
            bytes = try container.decode([UInt8].self)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let text = String(validating: bytes, as: UTF8.self) {
            try container.encode(text)
        } else {
            try container.encode(bytes)
        }
    }
}
