import TriplineCore

/// Writes the SNS alarm message of spec §7.1, plus Tripline's evidence under the key `Tripline`.
enum NotificationMessage {
    /// Evidence for a metric alarm's transition.
    struct MetricEvidence {
        var trigger: String
        var periods: [EvaluatedPeriod]
        var periodLength: Int64
        var treatMissingData: TreatMissingData
        var events: [EvidenceItem]
    }

    static func metric(
        _ alarm: MetricAlarm, change: AlarmStateMachine.StateChange, evidence: MetricEvidence
    ) -> [UInt8] {
        var json = JSONBuilder()
        json.beginObject()
        header(
            &json, name: alarm.name, description: alarm.description, account: alarm.account,
            updated: alarm.configurationUpdated, newState: change.newState, reason: change.reason.text,
            time: change.time, arn: alarm.arn, oldState: change.oldState, ok: alarm.okActions,
            alarm: alarm.alarmActions, insufficient: alarm.insufficientDataActions)
        json.key("Trigger")
        json.beginObject()
        json.field("MetricName", alarm.metric.metricName)
        json.field("Namespace", alarm.metric.namespace)
        if case .percentile = alarm.statistic {
            json.field("StatisticType", "ExtendedStatistic")
            json.field("ExtendedStatistic", alarm.statistic.description)
        } else {
            json.field("StatisticType", "Statistic")
            json.field("Statistic", upperSnake(alarm.statistic))
        }
        json.field("Unit", alarm.unit?.rawValue)
        json.key("Dimensions")
        json.beginArray()
        for dimension in alarm.metric.dimensions {
            json.beginObject()
            json.field("value", dimension.value)
            json.field("name", dimension.name)
            json.endObject()
        }
        json.endArray()
        json.key("Period")
        json.integer(alarm.period)
        json.key("EvaluationPeriods")
        json.integer(alarm.evaluationPeriods)
        if let m = alarm.datapointsToAlarm {
            json.key("DatapointsToAlarm")
            json.integer(m)
        }
        json.field("ComparisonOperator", alarm.comparisonOperator.rawValue)
        json.key("Threshold")
        json.double(alarm.threshold)
        json.field("TreatMissingData", alarm.treatMissingData.rawValue)
        json.field("EvaluateLowSampleCountPercentile", alarm.evaluateLowSampleCountPercentile?.rawValue ?? "")
        json.endObject()
        json.key("Tripline")
        json.beginObject()
        json.key("version")
        json.integer(1)
        json.field("trigger", evidence.trigger)
        json.field("stateReasonData", change.reason.data)
        json.key("evaluatedPeriods")
        json.beginArray()
        for period in evidence.periods { write(period, length: evidence.periodLength, to: &json) }
        json.endArray()
        json.key("events")
        json.beginArray()
        for item in evidence.events { write(item, to: &json) }
        json.endArray()
        json.endObject()
        json.endObject()
        return json.bytes
    }

    /// A child as a composite message lists it.
    struct Child {
        var name: String
        var arn: String
        var state: AlarmState
        var time: Timestamp?
    }

    static func composite(
        _ alarm: CompositeAlarm, oldState: AlarmState, newState: AlarmState, time: Timestamp, reason: StateReason,
        triggering: Child?, children: [Child], suppressedBy: ActionsSuppressedBy?
    ) -> [UInt8] {
        var json = JSONBuilder()
        json.beginObject()
        header(
            &json, name: alarm.name, description: alarm.description, account: alarm.account,
            updated: alarm.configurationUpdated, newState: newState, reason: reason.text, time: time, arn: alarm.arn,
            oldState: oldState, ok: alarm.okActions, alarm: alarm.alarmActions,
            insufficient: alarm.insufficientDataActions)
        json.field("AlarmRule", alarm.ruleText ?? alarm.rule.description)
        json.key("TriggeringChildren")
        json.beginArray()
        if let triggering {
            json.beginObject()
            json.field("Arn", triggering.arn)
            json.key("State")
            json.beginObject()
            json.field("Value", triggering.state.rawValue)
            json.field("Timestamp", (triggering.time ?? time).iso8601)
            json.endObject()
            json.endObject()
        }
        json.endArray()
        json.key("Tripline")
        json.beginObject()
        json.key("version")
        json.integer(1)
        json.field("trigger", triggering == nil ? "created" : "childChanged")
        json.field("stateReasonData", reason.data)
        json.key("children")
        json.beginArray()
        for child in children {
            json.beginObject()
            json.field("name", child.name)
            json.field("arn", child.arn)
            json.field("state", child.state.rawValue)
            json.endObject()
        }
        json.endArray()
        if let suppressedBy {
            json.field("actionsSuppressedBy", suppressedBy.rawValue)
            json.field("actionsSuppressedReason", suppressedBy.reason)
        }
        json.endObject()
        json.endObject()
        return json.bytes
    }

    private static func header(
        _ json: inout JSONBuilder, name: String, description: String?, account: AlarmAccount, updated: Timestamp?,
        newState: AlarmState, reason: String, time: Timestamp, arn: String, oldState: AlarmState, ok: [String],
        alarm: [String], insufficient: [String]
    ) {
        json.field("AlarmName", name)
        json.field("AlarmDescription", description)
        json.field("AWSAccountId", account.accountID)
        if let updated { json.field("AlarmConfigurationUpdatedTimestamp", updated.iso8601) }
        json.field("NewStateValue", newState.rawValue)
        json.field("NewStateReason", reason)
        json.field("StateChangeTime", time.iso8601)
        json.field("Region", account.regionDisplayName)
        json.field("AlarmArn", arn)
        json.field("OldStateValue", oldState.rawValue)
        json.key("OKActions")
        json.strings(ok)
        json.key("AlarmActions")
        json.strings(alarm)
        json.key("InsufficientDataActions")
        json.strings(insufficient)
    }

    private static func write(_ period: EvaluatedPeriod, length: Int64, to json: inout JSONBuilder) {
        json.beginObject()
        json.field("start", period.start.iso8601)
        json.field("end", Timestamp(milliseconds: period.start.milliseconds + length).iso8601)
        if let value = period.value {
            json.key("value")
            json.double(value)
            json.key("sampleCount")
            json.integer(period.sampleCount)
            json.key("breaching")
            json.bool(period.breaching)
            json.field("role", period.role == .considered ? "considered" : "notConsidered")
        } else {
            json.key("missing")
            json.bool(true)
            switch period.role {
            case .substituted(let breaching): json.field("treatedAs", breaching ? "breaching" : "notBreaching")
            default: json.field("treatedAs", "missing")
            }
        }
        json.endObject()
    }

    private static func write(_ item: EvidenceItem, to json: inout JSONBuilder) {
        json.beginObject()
        json.field("eventID", item.evidence.eventID ?? item.source?.eventID)
        json.field("eventTime", item.evidence.eventTime ?? item.time.iso8601Z)
        json.field("eventName", item.evidence.eventName)
        json.field("userIdentityArn", item.evidence.userIdentityArn)
        json.field("sourceIPAddress", item.evidence.sourceIPAddress)
        if let source = item.source {
            json.field("input", source.input)
            json.key("line")
            json.integer(source.line)
        }
        json.key("raw")
        json.string(bytes: item.evidence.raw)
        json.endObject()
    }

    static func upperSnake(_ statistic: Statistic) -> String {
        switch statistic {
        case .sampleCount: "SAMPLE_COUNT"
        case .sum: "SUM"
        case .average: "AVERAGE"
        case .minimum: "MINIMUM"
        case .maximum: "MAXIMUM"
        case .percentile: statistic.description
        }
    }
}
