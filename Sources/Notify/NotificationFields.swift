import TriplineCore
import Foundation

/// The fields of a CloudWatch SNS alarm message (`alarms.md` §7.1) that the formats use, read
/// leniently with `JSONSerialization`: a missing or odd field gives nil, never an error.
struct NotificationFields {
    /// The whole message as Foundation values (`[String: Any]`), or empty if it is not an object.
    let object: [String: Any]
    let delivery: Delivery

    init(_ delivery: Delivery) {
        self.delivery = delivery
        object = (try? JSONSerialization.jsonObject(with: Data(delivery.message), options: [.fragmentsAllowed])) as? [String: Any] ?? [:]
    }

    func string(_ key: String) -> String? {
        switch object[key] {
        case let text as String: text
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }

    var alarmName: String { string("AlarmName") ?? delivery.alarmName }
    var alarmDescription: String? { string("AlarmDescription") }
    var newState: String { string("NewStateValue") ?? delivery.newState }
    var oldState: String { string("OldStateValue") ?? delivery.oldState }
    var reason: String? { string("NewStateReason") }
    var stateChangeTime: String { string("StateChangeTime") ?? delivery.stateChangeTime.iso8601 }
    var region: String? { string("Region") }
    var accountID: String? { string("AWSAccountId") }
    var alarmArn: String? { string("AlarmArn") }
    var trigger: [String: Any] { object["Trigger"] as? [String: Any] ?? [:] }
    var tripline: [String: Any] { object["Tripline"] as? [String: Any] ?? [:] }

    /// `CISBenchmark/root_usage_metric`, the metric-math expression ids, or the composite rule.
    var metricDescription: String? {
        let trigger = trigger
        if let namespace = trigger["Namespace"] as? String, let name = trigger["MetricName"] as? String {
            return "\(namespace)/\(name)"
        }
        if let metrics = trigger["Metrics"] as? [[String: Any]] {
            let names = metrics.compactMap { metric -> String? in
                if let expression = metric["Expression"] as? String { return expression }
                let stat = (metric["MetricStat"] as? [String: Any])?["Metric"] as? [String: Any]
                return stat.flatMap { stat in (stat["MetricName"] as? String).map { "\(stat["Namespace"] as? String ?? "")/\($0)" } }
            }
            return names.isEmpty ? nil : names.joined(separator: ", ")
        }
        return string("AlarmRule")
    }

    /// `>= 1` from `ComparisonOperator` and `Threshold`.
    var thresholdDescription: String? {
        let trigger = trigger
        guard let comparison = trigger["ComparisonOperator"] as? String, let threshold = trigger["Threshold"] as? NSNumber else { return nil }
        let symbol = [
            "GreaterThanOrEqualToThreshold": ">=", "GreaterThanThreshold": ">", "LessThanThreshold": "<",
            "LessThanOrEqualToThreshold": "<=",
        ][comparison] ?? comparison
        let statistic = (trigger["Statistic"] as? String) ?? (trigger["ExtendedStatistic"] as? String)
        let period = (trigger["Period"] as? NSNumber).map { " per \($0.intValue)s" } ?? ""
        let value = threshold.doubleValue
        let text = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        return "\(statistic.map { $0 + " " } ?? "")\(symbol) \(text)\(period)"
    }

    /// The events Tripline attached as evidence, newest data first as the engine wrote them: the
    /// first list of objects found under `Tripline` (`Events`, `Evidence`, `SampleEvents`, …).
    var events: [[String: Any]] {
        let tripline = tripline
        for key in ["Events", "Evidence", "SampleEvents", "events", "evidence"] {
            if let list = tripline[key] as? [[String: Any]] { return list }
            if let nested = tripline[key] as? [String: Any], let list = nested.values.compactMap({ $0 as? [[String: Any]] }).first {
                return list
            }
        }
        for key in tripline.keys.sorted() {
            if let list = tripline[key] as? [[String: Any]], list.contains(where: { Self.eventSummary($0) != nil }) { return list }
        }
        return []
    }

    /// How many events matched, when Tripline says (it may attach only a sample).
    var eventCount: Int? {
        for key in ["EventCount", "MatchedEvents", "eventCount"] {
            if let number = tripline[key] as? NSNumber { return number.intValue }
        }
        return nil
    }

    /// A value of an event by any of the spellings CloudTrail and Tripline use, looking into
    /// `Event`/`event` when the evidence wraps the CloudTrail record.
    static func value(_ event: [String: Any], _ keys: [String]) -> String? {
        for key in keys {
            for candidate in [key, key.prefix(1).uppercased() + key.dropFirst()] {
                if let text = event[candidate] as? String, !text.isEmpty { return text }
                if let number = event[candidate] as? NSNumber { return number.stringValue }
            }
        }
        if let inner = (event["Event"] ?? event["event"]) as? [String: Any] { return value(inner, keys) }
        return nil
    }

    /// Who did it: the identity's ARN, user name or type.
    static func actor(_ event: [String: Any]) -> String? {
        if let identity = (event["userIdentity"] ?? event["UserIdentity"]) as? [String: Any] {
            if let type = identity["type"] as? String, type == "Root" { return "root" }
            return (identity["arn"] as? String) ?? (identity["userName"] as? String) ?? (identity["type"] as? String)
        }
        if let inner = (event["Event"] ?? event["event"]) as? [String: Any] { return actor(inner) }
        return value(event, ["userName", "principal", "user"])
    }

    /// One line: `ConsoleLogin by root from 198.51.100.7 at 2025-03-04T09:16:02Z (eventID …)`.
    static func eventSummary(_ event: [String: Any]) -> String? {
        let name = value(event, ["eventName"])
        let source = value(event, ["eventSource"])
        let id = value(event, ["eventID", "eventId"])
        let time = value(event, ["eventTime"])
        let input = value(event, ["input", "file"])
        let line = value(event, ["line"])
        guard name != nil || id != nil || input != nil else { return nil }
        var text = name ?? "event"
        if let source, name != nil { text = "\(text) (\(source))" }
        if let actor = actor(event) { text += " by \(actor)" }
        if let ip = value(event, ["sourceIPAddress"]) { text += " from \(ip)" }
        if let time { text += " at \(time)" }
        if let id { text += " · eventID \(id)" } else if let input { text += " · \(input)\(line.map { ":\($0)" } ?? "")" }
        return text
    }
}

/// JSON text for formats that build their own bodies: sorted keys (stable bodies, stable
/// signatures in tests) and unescaped slashes.
enum JSONBody {
    static func encode(_ object: [String: Any]) -> [UInt8] {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return [UInt8](data)
    }

    /// Escapes text for the inside of a JSON string.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case let scalar where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Cuts text to at most `limit` characters, marking the cut.
    static func truncate(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
