import TriplineCore

/// One metric series in a snapshot: its saved layout, period buckets and early-alarm sub-buckets.
struct SeriesRecord: Codable, Sendable, Equatable {
    var metric: MetricKey
    /// Period in seconds.
    var period: Int64
    var keepPeriods: Int
    /// Early alarm's window in milliseconds (0: none).
    var earlyWindow: Int64
    /// Sub-bucket width in milliseconds, which follows from `earlyWindow`.
    var subBucketWidth: Int64
    var buckets: [BucketRecord]
    var subBuckets: [SubBucketRecord]
}

/// One period bucket: exact statistics, the sketch when percentiles are tracked, and evidence.
struct BucketRecord: Codable, Sendable, Equatable {
    var start: Timestamp
    var count: Int
    @ExactDouble var sum: Double
    @ExactDouble var minimum: Double
    @ExactDouble var maximum: Double
    var sketch: SketchRecord?
    /// Nil when empty, to keep evidence-less series small.
    var evidence: [EvidenceRecord]?
}

/// A ``PercentileSketch``, bucket for bucket.
struct SketchRecord: Codable, Sendable, Equatable {
    var count: UInt64
    var zeroCount: UInt64
    @ExactDouble var min: Double
    @ExactDouble var max: Double
    var positive: StoreRecord
    var negative: StoreRecord
}

struct StoreRecord: Codable, Sendable, Equatable {
    var offset: Int
    var total: UInt64
    var counts: [UInt64]
}

/// One early-alarm sub-bucket.
struct SubBucketRecord: Sendable, Equatable {
    var index: Int64
    var count: Int
    @ExactDouble var sum: Double
    @ExactDouble var minimum: Double
    @ExactDouble var maximum: Double
    var earliest: Int64
    var latest: Int64
}

/// Encoded as `[index, count, sum, minimum, maximum, earliest, latest]`: sub-buckets (one per second
/// with data, over the early window) are most of a busy series' snapshot.
extension SubBucketRecord: Codable {
    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        index = try container.decode(Int64.self)
        count = try container.decode(Int.self)
        _sum = try container.decode(ExactDouble.self)
        _minimum = try container.decode(ExactDouble.self)
        _maximum = try container.decode(ExactDouble.self)
        earliest = try container.decode(Int64.self)
        latest = try container.decode(Int64.self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(index)
        try container.encode(count)
        try container.encode(_sum)
        try container.encode(_minimum)
        try container.encode(_maximum)
        try container.encode(earliest)
        try container.encode(latest)
    }
}

/// One evidence item; the raw record is a string when it is valid UTF-8.
struct EvidenceRecord: Codable, Sendable, Equatable {
    var time: Timestamp
    var eventID: String?
    var eventTime: String?
    var eventName: String?
    var userIdentityArn: String?
    var sourceIPAddress: String?
    var raw: CodableBytes
    var source: EventReference?
}

/// A `Double` that survives a default `JSONEncoder` exactly: finite values as JSON numbers (the
/// shortest digits that round-trip, `-0` included), the rest as `"inf"`, `"-inf"`, `"nan"` or `"-nan"`,
/// which the encoder would otherwise refuse. Sums can overflow to infinity, and empty min/max are ±∞.
@propertyWrapper
struct ExactDouble: Codable, Sendable, Equatable {
    var wrappedValue: Double

    init(wrappedValue: Double) { self.wrappedValue = wrappedValue }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Numbers first: a failed attempt throws, which is slow, and non-finite values are rare.
        if let value = try? container.decode(Double.self) {
            wrappedValue = value
            return
        }
        let text = try container.decode(String.self)
        guard let value = Double(text), !value.isFinite else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected a number, inf, -inf, nan or -nan")
        }
        wrappedValue = value
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if wrappedValue.isFinite {
            try container.encode(wrappedValue)
        } else {
            let sign = wrappedValue.sign == .minus ? "-" : ""
            try container.encode(sign + (wrappedValue.isNaN ? "nan" : "inf"))
        }
    }

    /// Bit-exact, so `-0.0` differs from `0.0`; any NaN equals any NaN.
    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.wrappedValue.bitPattern == rhs.wrappedValue.bitPattern || (lhs.wrappedValue.isNaN && rhs.wrappedValue.isNaN)
    }
}
