import Alarms
import Foundation
import Testing
import TriplineCore
import TriplineTestSupport

/// A time from ISO 8601 text; traps on a typo in a test.
func time(_ text: String) -> Timestamp {
    guard let value = Timestamp(iso8601: text) else { preconditionFailure("bad test time \(text)") }
    return value
}

/// Expands series notation: `"1 1 _ 0 5x3"` is 1, 1, missing, 0, 5, 5, 5.
func series(_ notation: String) -> [Double?] {
    notation.split(separator: " ").flatMap { token -> [Double?] in
        let parts = token.split(separator: "x")
        let value: Double? = parts[0] == "_" ? nil : Double(parts[0])
        let repeats = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
        return Array(repeating: value, count: repeats)
    }
}

/// Expands a state row: `"I O A Ax2"` (I = INSUFFICIENT_DATA, O = OK, A = ALARM).
func states(_ notation: String) -> [AlarmState] {
    notation.split(separator: " ").flatMap { token -> [AlarmState] in
        let parts = token.split(separator: "x")
        let state: AlarmState = parts[0] == "A" ? .alarm : parts[0] == "O" ? .ok : .insufficientData
        return Array(repeating: state, count: parts.count > 1 ? Int(parts[1]) ?? 1 : 1)
    }
}

let testKey = MetricKey(namespace: "CISBenchmark", metricName: "root_usage_metric")

/// A Sum ≥ threshold alarm on `testKey` with the given shape.
func sumAlarm(
    name: String = "root", period: Int = 60, n: Int = 1, m: Int? = nil, threshold: Double = 1,
    treat: TreatMissingData = .notBreaching, early: Bool = true, statistic: Statistic = .sum,
    comparison: ComparisonOperator = .greaterThanOrEqualToThreshold
) -> MetricAlarm {
    MetricAlarm(
        name: name, metric: testKey, statistic: statistic, period: period, evaluationPeriods: n, datapointsToAlarm: m,
        threshold: threshold, comparisonOperator: comparison, treatMissingData: treat,
        alarmActions: ["alarm-topic"], okActions: ["ok-topic"], insufficientDataActions: ["insufficient-topic"],
        earlyAlarm: early, metricOnlyGrows: true)
}

func datapoint(_ value: Double = 1, at moment: Timestamp, key: MetricKey = testKey, line: Int = 1) -> Datapoint {
    Datapoint(key: key, value: value, timestamp: moment, source: EventReference(input: "test", line: line, offset: 0))
}

/// The message as a string.
func text(_ notification: AlarmNotification) -> String { String(decoding: notification.message, as: UTF8.self) }

/// Parses a notification's JSON with Foundation (a test-only oracle).
func json(_ notification: AlarmNotification) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(notification.message))) as? [String: Any] ?? [:]
}

enum Paths {
    static let snapshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
}


/// Compares with a golden file in Snapshots/; TRIPLINE_RECORD_SNAPSHOTS=1 records and fails.
func assertSnapshot(_ actual: String, named name: String) -> String? {
    compareWithSnapshot(actual, named: name, in: Paths.snapshots)
}

/// Indents one-line JSON for a reviewable golden file (keys keep their order).
func prettyJSON(_ bytes: [UInt8]) -> String {
    var out = ""
    var depth = 0
    var inString = false
    var escaped = false
    let characters = Array(String(decoding: bytes, as: UTF8.self))
    for (index, character) in characters.enumerated() {
        if inString {
            out.append(character)
            if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            continue
        }
        switch character {
        case "\"":
            inString = true
            out.append(character)
        case "{", "[":
            let next = index + 1 < characters.count ? characters[index + 1] : " "
            out.append(character)
            if next == "}" || next == "]" { continue }
            depth += 1
            out += "\n" + String(repeating: "  ", count: depth)
        case "}", "]":
            let previous = index > 0 ? characters[index - 1] : " "
            if previous != "{" && previous != "[" {
                depth -= 1
                out += "\n" + String(repeating: "  ", count: depth)
            }
            out.append(character)
        case ",":
            out += ",\n" + String(repeating: "  ", count: depth)
        case ":":
            out += ": "
        default:
            out.append(character)
        }
    }
    return out + "\n"
}
