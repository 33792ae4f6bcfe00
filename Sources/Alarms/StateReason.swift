public import TriplineCore

/// `NewStateReason` and `StateReasonData` in CloudWatch's wording (spec §7.4).
///
/// Receivers match these strings (`no datapoints were received` detects heartbeat loss), so the
/// forms are reproduced exactly:
/// ```
/// Threshold Crossed: 1 datapoint [5.0 (01/05/24 10:00:00)] was greater than or equal to the threshold (1.0).
/// Threshold Crossed: 2 out of the last 3 datapoints [5.0 (01/05/24 10:10:00), 3.0 (01/05/24 10:00:00)] were greater than the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition).
/// Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching].
/// Insufficient Data: 3 datapoints were unknown.
/// ```
public struct StateReason: Sendable, Hashable, Codable {
    /// `NewStateReason`.
    public var text: String
    /// `StateReasonData`: a JSON object as a string.
    public var data: String

    /// Creates a reason.
    public init(text: String, data: String) {
        self.text = text
        self.data = data
    }

    /// The reason of a newly created alarm.
    public static let initial = StateReason(text: "Unchecked: Initial alarm creation", data: "{}")

    /// The reason for a metric alarm's move to `newState` after `outcome`, evaluated at `queryDate`.
    public static func metric(
        _ alarm: MetricAlarm, outcome: RangeOutcome, from oldState: AlarmState, to newState: AlarmState,
        queryDate: Timestamp
    ) -> StateReason {
        StateReason(
            text: metricText(alarm, outcome: outcome, from: oldState, to: newState),
            data: metricData(alarm, outcome: outcome, to: newState, queryDate: queryDate))
    }

    static func metricText(_ alarm: MetricAlarm, outcome: RangeOutcome, from oldState: AlarmState, to newState: AlarmState) -> String {
        let n = alarm.evaluationPeriods
        let m = alarm.effectiveDatapointsToAlarm
        if newState == .insufficientData {
            return "Insufficient Data: \(n) \(plural("datapoint", n)) \(wasWere(n)) unknown."
        }
        let considered = outcome.periods.filter { $0.role == .considered }
        let substitutes = outcome.substitutes
        let treatedAs = alarm.treatMissingData == .breaching ? "[Breaching]" : "[NonBreaching]"
        if considered.isEmpty, substitutes > 0 {
            return "Threshold Crossed: no datapoints were received for \(substitutes) \(plural("period", substitutes)) and "
                + "\(substitutes) missing \(plural("datapoint", substitutes)) \(wasWere(substitutes)) treated as \(treatedAs)."
        }
        let toAlarm = newState == .alarm
        let supporting = considered.filter { $0.breaching == toAlarm }.reversed()
        let list = "[" + supporting.map { "\(CloudWatchText.number($0.value ?? 0)) (\(CloudWatchText.shortDate($0.start)))" }
            .joined(separator: ", ") + "]"
        let comparison = "\(toAlarm ? "" : "not ")\(operatorPhrase(alarm.comparisonOperator)) the threshold (\(CloudWatchText.number(alarm.threshold)))"
        let k = supporting.count
        if n == 1, alarm.datapointsToAlarm == nil, substitutes == 0, considered.count == 1 {
            return "Threshold Crossed: 1 datapoint \(list) was \(comparison)."
        }
        var text = "Threshold Crossed: \(k) out of the last \(considered.count + substitutes) datapoints \(list) \(wasWere(k)) \(comparison)"
        if substitutes > 0 {
            text += " and \(substitutes) missing \(plural("datapoint", substitutes)) \(wasWere(substitutes)) treated as \(treatedAs)"
        }
        if toAlarm {
            text += " (minimum \(m) \(plural("datapoint", m)) for OK -> ALARM transition)"
        } else if oldState == .alarm || m < n {
            let needed = n - m + 1
            text += " (minimum \(needed) \(plural("datapoint", needed)) for ALARM -> OK transition)"
        }
        return text + "."
    }

    static func metricData(_ alarm: MetricAlarm, outcome: RangeOutcome, to newState: AlarmState, queryDate: Timestamp) -> String {
        var out: [UInt8] = []
        func key(_ name: String) {
            JSONText.appendString(name, to: &out)
            out.append(UInt8(ascii: ":"))
        }
        out.append(contentsOf: #"{"version":"1.0","queryDate":"#.utf8)
        JSONText.appendString(queryDate.iso8601, to: &out)
        let real = outcome.periods.filter(\.isReal)
        if let first = real.first {
            out.append(UInt8(ascii: ","))
            key("startDate")
            JSONText.appendString(first.start.iso8601, to: &out)
        }
        out.append(UInt8(ascii: ","))
        key("statistic")
        JSONText.appendString(alarm.statistic.description, to: &out)
        out.append(contentsOf: #","period":"#.utf8)
        out.append(contentsOf: String(alarm.period).utf8)
        out.append(contentsOf: #","recentDatapoints":["#.utf8)
        for (index, period) in real.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            CloudWatchText.appendNumber(period.value ?? 0, to: &out)
        }
        out.append(contentsOf: #"],"threshold":"#.utf8)
        CloudWatchText.appendNumber(alarm.threshold, to: &out)
        out.append(contentsOf: #","evaluatedDatapoints":["#.utf8)
        var evaluated = outcome.periods.filter {
            switch $0.role {
            case .considered, .substituted: true
            case .notConsidered, .missing: false
            }
        }
        if newState == .insufficientData { evaluated = Array(outcome.periods.suffix(alarm.evaluationPeriods)) }
        for (index, period) in evaluated.reversed().enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"timestamp":"#.utf8)
            JSONText.appendString(period.start.iso8601, to: &out)
            if let value = period.value {
                out.append(contentsOf: #","sampleCount":"#.utf8)
                CloudWatchText.appendNumber(Double(period.sampleCount), to: &out)
                out.append(contentsOf: #","value":"#.utf8)
                CloudWatchText.appendNumber(value, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// The reason for a composite alarm's state, triggered by `child` (nil: its first evaluation).
    static func composite(
        arn: String, state: AlarmState, trigger child: (arn: String, state: AlarmState, time: Timestamp)?
    ) -> StateReason {
        guard let child else {
            return StateReason(text: "\(arn) was created and its alarm rule evaluates to \(state.rawValue)", data: #"{"triggeringAlarms":[]}"#)
        }
        var out: [UInt8] = Array(#"{"triggeringAlarms":[{"arn":"#.utf8)
        JSONText.appendString(child.arn, to: &out)
        out.append(contentsOf: #","state":{"value":"#.utf8)
        JSONText.appendString(child.state.rawValue, to: &out)
        out.append(contentsOf: #","timestamp":"#.utf8)
        JSONText.appendString(child.time.iso8601, to: &out)
        out.append(contentsOf: "}}]}".utf8)
        return StateReason(
            text: "\(child.arn) transitioned to \(child.state.rawValue) at \(CloudWatchText.longDate(child.time))",
            data: String(decoding: out, as: UTF8.self))
    }

    static func operatorPhrase(_ comparison: ComparisonOperator) -> String {
        switch comparison {
        case .greaterThanOrEqualToThreshold: "greater than or equal to"
        case .greaterThanThreshold: "greater than"
        case .lessThanThreshold: "less than"
        case .lessThanOrEqualToThreshold: "less than or equal to"
        case .lessThanLowerOrGreaterThanUpperThreshold: "outside"
        case .lessThanLowerThreshold: "less than the lower edge of"
        case .greaterThanUpperThreshold: "greater than the upper edge of"
        }
    }

    static func plural(_ word: String, _ count: Int) -> String { count == 1 ? word : word + "s" }
    static func wasWere(_ count: Int) -> String { count == 1 ? "was" : "were" }
}
