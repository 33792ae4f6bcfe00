/// One dimension of a metric: a name and the value an event gave it.
public struct Dimension: Sendable, Hashable, Comparable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.name, lhs.value) < (rhs.name, rhs.value) }
}

/// The identity of a metric series: namespace, name and dimensions (sorted, as CloudWatch
/// treats them as a set).
public struct MetricKey: Sendable, Hashable, CustomStringConvertible {
    public var namespace: String
    public var metricName: String
    public private(set) var dimensions: [Dimension]

    public init(namespace: String, metricName: String, dimensions: [Dimension] = []) {
        self.namespace = namespace
        self.metricName = metricName
        self.dimensions = dimensions.sorted()
    }

    public var description: String {
        "\(namespace)/\(metricName)" + (dimensions.isEmpty ? "" : "{" + dimensions.map { "\($0.name)=\($0.value)" }.joined(separator: ",") + "}")
    }
}

/// Where an event came from, kept as evidence so a notification can say which events set it off.
public struct EventReference: Sendable, Hashable {
    /// The input's name (a path, `-` for stdin, `http` for the ingest endpoint).
    public var input: String
    /// The 1-based line (or record) number in that input.
    public var line: Int
    /// Byte offset of the line in the input.
    public var offset: Int
    /// CloudTrail's `eventID`, when the event has one.
    public var eventID: String?

    public init(input: String, line: Int, offset: Int, eventID: String? = nil) {
        self.input = input
        self.line = line
        self.offset = offset
        self.eventID = eventID
    }
}

/// One value of one metric at one time: what a metric filter emits for an event.
public struct Datapoint: Sendable, Hashable {
    public var key: MetricKey
    public var value: Double
    /// The event's time (CloudTrail `eventTime`), which decides the period it falls in.
    public var timestamp: Timestamp
    public var unit: StandardUnit?
    /// The event that produced it (nil for default values of non-matching events).
    public var source: EventReference?

    public init(key: MetricKey, value: Double, timestamp: Timestamp, unit: StandardUnit? = nil, source: EventReference? = nil) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.unit = unit
        self.source = source
    }
}

/// A notification ready for delivery: the CloudWatch SNS message JSON (with Tripline's evidence)
/// plus what a destination needs to route, order and de-duplicate it.
public struct AlarmNotification: Sendable, Hashable {
    /// Stays the same across retries and restarts: receivers drop duplicates by it.
    public var idempotencyKey: String
    public var alarmName: String
    public var oldState: AlarmState
    public var newState: AlarmState
    public var stateChangeTime: Timestamp
    /// Destination names from the alarm's actions for `newState`.
    public var destinations: [String]
    /// The JSON object CloudWatch would publish to SNS, one line, UTF-8.
    public var message: [UInt8]

    public init(
        idempotencyKey: String, alarmName: String, oldState: AlarmState, newState: AlarmState,
        stateChangeTime: Timestamp, destinations: [String], message: [UInt8]
    ) {
        self.idempotencyKey = idempotencyKey
        self.alarmName = alarmName
        self.oldState = oldState
        self.newState = newState
        self.stateChangeTime = stateChangeTime
        self.destinations = destinations
        self.message = message
    }
}
