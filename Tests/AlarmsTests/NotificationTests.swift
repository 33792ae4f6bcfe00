import Alarms
import Testing
import TriplineCore

/// The SNS message of spec §7.5 and the reason wording of §7.4.
struct NotificationTests {
    static let account = AlarmAccount(region: "us-east-1", accountID: "111122223333")
    static let topic = "arn:aws:sns:us-east-1:111122223333:security-alerts"

    static func cisAlarm() -> MetricAlarm {
        MetricAlarm(
            name: "cis-root-usage", description: "Root user activity (CIS 1.2.0 3.3 / 1.4.0 4.3, Security Hub CloudWatch.1)",
            account: account, metric: MetricKey(namespace: "CISBenchmark", metricName: "root_usage_metric"),
            statistic: .sum, period: 300, evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 1,
            comparisonOperator: .greaterThanOrEqualToThreshold, treatMissingData: .notBreaching,
            alarmActions: [topic], okActions: [topic], initialState: .ok,
            configurationUpdated: time("2025-02-27T16:02:44.118Z"), earlyAlarm: false, metricOnlyGrows: true)
    }

    static func rootLogin(_ id: String, at clock: String, line: Int) -> (Datapoint, EventEvidence) {
        let eventTime = "2025-03-04T\(clock)Z"
        let raw = #"{"eventVersion":"1.08","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root"},"eventTime":""#
            + eventTime + #"","eventName":"ConsoleLogin","sourceIPAddress":"198.51.100.7","eventID":""# + id + #""}"#
        let point = Datapoint(
            key: cisAlarm().metric, value: 1, timestamp: time(eventTime),
            source: EventReference(input: "trail.jsonl", line: line, offset: 0, eventID: id))
        let evidence = EventEvidence(
            eventID: id, eventTime: eventTime, eventName: "ConsoleLogin", userIdentityArn: "arn:aws:iam::111122223333:root",
            sourceIPAddress: "198.51.100.7", raw: Array(raw.utf8))
        return (point, evidence)
    }

    @Test func rootUsageMessageMatchesGolden() throws {
        var engine = try AlarmEngine(metricAlarms: [Self.cisAlarm()])
        var output = AlarmEngineOutput()
        for (id, clock, line) in [("e-1", "09:16:02", 1), ("e-2", "09:17:45", 2)] {
            let (point, evidence) = Self.rootLogin(id, at: clock, line: line)
            output.append(engine.ingest(eventTime: point.timestamp, datapoints: [point], evidence: evidence))
        }
        output.append(engine.ingest(eventTime: time("2025-03-04T09:25:30Z"), datapoints: []))
        let notification = try #require(output.notifications.first)
        #expect(notification.destinations == [Self.topic])
        let message = json(notification)
        #expect(message["NewStateReason"] as? String
            == "Threshold Crossed: 1 out of the last 1 datapoints [2.0 (04/03/25 09:15:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).")
        #expect(message["Region"] as? String == "US East (N. Virginia)")
        #expect(text(notification).contains(#""Threshold":1.0,"#))
        let evidence = message["Tripline"] as? [String: Any]
        #expect((evidence?["events"] as? [Any])?.count == 2)
        let failure = assertSnapshot(prettyJSON(notification.message), named: "cis-root-usage-alarm.json")
        #expect(failure == nil, "\(failure ?? "")")
    }

    struct ReasonCase: CustomTestStringConvertible, Sendable {
        var name: String
        var alarm: MetricAlarm
        var inputs: String
        var expected: String
        var testDescription: String { name }
    }

    static let reasons: [ReasonCase] = [
        ReasonCase(
            name: "N = 1, M unset", alarm: sumAlarm(early: false), inputs: "5",
            expected: "Threshold Crossed: 1 datapoint [5.0 (01/05/24 10:00:00)] was greater than or equal to the threshold (1.0)."),
        ReasonCase(
            name: "no datapoints", alarm: sumAlarm(n: 1, early: false), inputs: "_",
            expected: "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching]."),
        ReasonCase(
            name: "insufficient", alarm: imported(sumAlarm(n: 3, treat: .missing, early: false)), inputs: "_",
            expected: "Insufficient Data: 3 datapoints were unknown."),
        ReasonCase(
            name: "2 of 3", alarm: sumAlarm(n: 3, m: 2, threshold: 2, treat: .missing, early: false), inputs: "3 4",
            expected: "Threshold Crossed: 2 out of the last 2 datapoints [4.0 (01/05/24 10:01:00), 3.0 (01/05/24 10:00:00)] were greater than or equal to the threshold (2.0) (minimum 2 datapoints for OK -> ALARM transition)."),
        ReasonCase(
            name: "substituted", alarm: sumAlarm(n: 3, m: 3, treat: .breaching, early: false), inputs: "_ _ _",
            expected: "Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching]."),
    ]

    static func imported(_ alarm: MetricAlarm) -> MetricAlarm {
        var alarm = alarm
        alarm.initialState = .ok
        return alarm
    }

    @Test("reason wording", arguments: reasons)
    func reasonWording(_ testCase: ReasonCase) throws {
        let (_, transitions) = try EngineStepTests.drive(testCase.alarm, series(testCase.inputs))
        #expect(transitions.last?.reason.text == testCase.expected)
    }

    @Test func reasonDataShape() throws {
        let (_, transitions) = try EngineStepTests.drive(sumAlarm(period: 300, early: false), series("2"))
        #expect(transitions.first?.reason.data
            == #"{"version":"1.0","queryDate":"2024-05-01T10:05:00.000+0000","startDate":"2024-05-01T10:00:00.000+0000","statistic":"Sum","period":300,"recentDatapoints":[2.0],"threshold":1.0,"evaluatedDatapoints":[{"timestamp":"2024-05-01T10:00:00.000+0000","sampleCount":1.0,"value":2.0}]}"#)
    }
}
