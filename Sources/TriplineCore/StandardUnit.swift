/// The unit a CloudWatch metric carries, as the `StandardUnit` enum of the CloudWatch API names it.
///
/// A metric transformation's `unit` is metadata: it is copied onto every datapoint the filter
/// emits and never changes a value.
public enum StandardUnit: String, Sendable, CaseIterable, Hashable {
    case seconds = "Seconds"
    case microseconds = "Microseconds"
    case milliseconds = "Milliseconds"
    case bytes = "Bytes"
    case kilobytes = "Kilobytes"
    case megabytes = "Megabytes"
    case gigabytes = "Gigabytes"
    case terabytes = "Terabytes"
    case bits = "Bits"
    case kilobits = "Kilobits"
    case megabits = "Megabits"
    case gigabits = "Gigabits"
    case terabits = "Terabits"
    case percent = "Percent"
    case count = "Count"
    case bytesPerSecond = "Bytes/Second"
    case kilobytesPerSecond = "Kilobytes/Second"
    case megabytesPerSecond = "Megabytes/Second"
    case gigabytesPerSecond = "Gigabytes/Second"
    case terabytesPerSecond = "Terabytes/Second"
    case bitsPerSecond = "Bits/Second"
    case kilobitsPerSecond = "Kilobits/Second"
    case megabitsPerSecond = "Megabits/Second"
    case gigabitsPerSecond = "Gigabits/Second"
    case terabitsPerSecond = "Terabits/Second"
    case countPerSecond = "Count/Second"
    case none = "None"
}
