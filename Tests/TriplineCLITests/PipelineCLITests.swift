import Foundation
import Testing

/// count, backtest, run, check and test end to end, on real CloudTrail and hostile input.
@Suite(.serialized)
struct PipelineCLITests {
    static let data = CLI.shared.appendingPathComponent("data/cloudtrail/invictus-ir-aws-dataset")
    static let filters = CLI.repository.appendingPathComponent("Filters").path

    static func filterCounts(_ result: CLI.Result) throws -> [String: Int] {
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdoutBytes) as? [String: Any])
        return try #require(object["filters"] as? [String: Int])
    }

    @Test func countsAreTheSameForNDJSONAndGzippedEnvelopes() throws {
        let ndjson = try CLI.run(["count", "--config", Self.filters, Self.data.appendingPathComponent("invictus-aws-dataset.ndjson").path])
        let gzipped = try CLI.run(["count", "--config", Self.filters, Self.data.appendingPathComponent("records-gz").path])
        #expect(ndjson.status == 0 && gzipped.status == 0)
        let a = try Self.filterCounts(ndjson), b = try Self.filterCounts(gzipped)
        #expect(a == b)
        #expect(a.values.reduce(0, +) > 100)
        for result in [ndjson, gzipped] {
            let object = try JSONSerialization.jsonObject(with: result.stdoutBytes) as? [String: Any]
            #expect(object?["eventsRead"] as? Int == 2900)
        }
    }

    @Test func countIsTheSameOnOneAndTwoThreads() throws {
        let folder = CLI.shared.appendingPathComponent("data/cloudtrail").path
        let one = try CLI.run(["count", "--threads", "1", "--config", Self.filters, folder])
        let two = try CLI.run(["count", "--threads", "2", "--config", Self.filters, folder])
        #expect(try Self.filterCounts(one) == Self.filterCounts(two))
    }

    @Test func badLinesAreCountedAndReadingGoesOn() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tripline-bad-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = #"{"eventName":"ConsoleLogin","errorMessage":"Failed authentication","eventTime":"2024-01-01T00:00:00Z"}"#
        var lines = Data()
        for line in [good, "not json at all", #"{"eventName":"ConsoleLogin","errorMessage":"Failed authenticat"#,
                     String(repeating: "[", count: 100_000), "{\"a\":" + String(repeating: "[", count: 100_000) + "1" + String(repeating: "]", count: 100_000) + "}"] {
            lines.append(Data(line.utf8))
            lines.append(0x0A)
        }
        lines.append(contentsOf: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D, 0x0A])  // {"a":"\xFF\xFE"}
        lines.append(Data(repeating: UInt8(ascii: "a"), count: 10_000_000))
        lines.append(0x0A)
        lines.append(Data((good + "\n").utf8))
        try lines.write(to: directory.appendingPathComponent("events.ndjson"))
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xFF, 0xFF]).write(to: directory.appendingPathComponent("corrupt.json.gz"))
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("tripline-bad-config-\(UUID()).yaml")
        defer { try? FileManager.default.removeItem(at: config) }
        try Data("""
            metricFilters:
              - filterName: auth-failures
                filterPattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }'
                metricTransformations: [{metricName: M, metricNamespace: N, metricValue: "1"}]
              - filterName: term
                filterPattern: 'ConsoleLogin'
                metricTransformations: [{metricName: T, metricNamespace: N, metricValue: "1"}]
            """.utf8).write(to: config)
        let result = try CLI.run(["count", "--config", config.path, directory.path])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: result.stdoutBytes) as? [String: Any])
        #expect(object["malformedLines"] as? Int == 5)
        #expect(object["oversizedLines"] as? Int == 1)
        #expect(object["eventsRead"] as? Int == 7)
        // JSON patterns skip the truncated line; term patterns still see its text.
        #expect(try Self.filterCounts(result) == ["auth-failures": 2, "term": 3])
        #expect(result.stderr.contains("corrupt.json.gz"))
    }

    @Test func missingInputExits66() throws {
        let result = try CLI.run(["count", "--config", Self.filters, "/nonexistent/trail"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("/nonexistent/trail"))
    }

    @Test func backtestIsDeterministicAndAlarmsOnRealEvents() throws {
        let input = Self.data.appendingPathComponent("invictus-aws-dataset.ndjson").path
        let summary = FileManager.default.temporaryDirectory.appendingPathComponent("tripline-summary-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: summary) }
        let one = try CLI.run(["backtest", "--threads", "1", "--config", Self.filters, "--summary", summary.path, input])
        let two = try CLI.run(["backtest", "--threads", "2", "--config", Self.filters, input])
        #expect(one.status == 0)
        #expect(one.stdout == two.stdout)
        let notifications = try one.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let alarms = notifications.filter { $0["NewStateValue"] as? String == "ALARM" }.compactMap { $0["AlarmName"] as? String }
        #expect(alarms.contains("cis-iam-policy-changes"))
        #expect(alarms.contains("ctp-trail-logging-stopped-or-deleted"))
        // Ordered by StateChangeTime, then alarm name.
        let keys = notifications.map { ($0["StateChangeTime"] as? String ?? "") + " " + ($0["AlarmName"] as? String ?? "") }
        #expect(keys == keys.sorted())
        let evidence = try #require(notifications.first { $0["NewStateValue"] as? String == "ALARM" }?["Tripline"] as? [String: Any])
        #expect(evidence["events"] != nil)
        let counts = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: summary)) as? [String: Any])
        #expect(counts["events"] as? Int == 2900)
        #expect((counts["transitions"] as? [String: Int])?["cis-iam-policy-changes"] ?? 0 >= 2)
    }

    @Test func backtestHonoursFromAndTo() throws {
        let input = Self.data.appendingPathComponent("invictus-aws-dataset.ndjson").path
        let all = try CLI.run(["backtest", "--config", Self.filters, "--summary", "-", input])
        let window = try CLI.run([
            "backtest", "--config", Self.filters, "--from", "2023-07-10T12:00:00Z", "--to", "2023-07-10T12:10:00Z",
            "--summary", "-", input,
        ])
        #expect(window.status == 0)
        #expect(window.stderr.contains("\"eventsOutsideRange\":"))
        #expect(window.stdout.split(separator: "\n").count < all.stdout.split(separator: "\n").count)
    }

    @Test func runAlarmsAsSoonAsTheCrossingEventArrives() throws {
        let now = ISO8601DateFormatter().string(from: Date())
        let event = #"{"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"},"eventTime":"\#(now)","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","eventID":"e1"}"#
        let config = CLI.repository.appendingPathComponent("Filters/cis").path
        // A state dir of its own: alarm states carry over between runs that share one.
        let state = NSTemporaryDirectory() + "tripline-run-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let result = try CLI.run(["run", "--config", config, "--state-dir", state], stdin: Data((event + "\n").utf8))
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains(#""AlarmName":"cis-root-account-usage""#) == true)
        #expect(lines.first?.contains(#""NewStateValue":"ALARM""#) == true)
    }

    @Test func checkAndTestTheShippedPacks() throws {
        let check = try CLI.run(["check", "--config", Self.filters])
        #expect(check.status == 0)
        #expect(check.stdout.contains("33 metric filter(s)"))
        let junit = FileManager.default.temporaryDirectory.appendingPathComponent("tripline-junit-\(UUID()).xml")
        defer { try? FileManager.default.removeItem(at: junit) }
        let test = try CLI.run(["test", Self.filters, "--junit", junit.path])
        #expect(test.status == 0)
        #expect(test.stdout.contains("0 failed"))
        #expect((try? String(contentsOf: junit, encoding: .utf8))?.contains("<testsuites>") == true)
    }

    @Test func checkReportsABadConfigWithExit65() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tripline-bad-\(UUID()).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("metricFilters:\n  - filterName: x\n    filterPattern: '{ $.a == 1 }'\n    metricTransformations: [{metricName: M, metricNamespace: N, metricValue: \"1\"}]\n".utf8).write(to: file)
        let result = try CLI.run(["check", "--config", file.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains(":3:27: error: metricFilters[0].filterPattern: '==' is not an operator"))
        #expect(result.stdout.contains("1 error(s)"))
    }

    @Test func setStateIsAppliedWhenTheReplayReachesIt() throws {
        let stateDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("tripline-state-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        let set = try CLI.run([
            "alarm", "set-state", "cis-root-account-usage", "ALARM", "--reason", "testing the pager",
            "--at", "2024-01-01T00:10:00Z", "--state-dir", stateDirectory,
        ])
        #expect(set.status == 0)
        let sample = CLI.examples.appendingPathComponent("cloudtrail-sample.ndjson").path
        let result = try CLI.run(["backtest", "--config", Self.filters, "--state-dir", stateDirectory, sample])
        #expect(result.status == 0)
        let forced = result.stdout.split(separator: "\n").first { $0.contains("testing the pager") }
        #expect(forced?.contains(#""StateChangeTime":"2024-01-01T00:10:00.000+0000""#) == true)
        let bad = try CLI.run(["alarm", "set-state", "x", "RED", "--reason", "r", "--state-dir", stateDirectory])
        #expect(bad.status == 64)
    }

    @Test func aWrongAlarmExpectationFailsTheTestRun() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tripline-alarmtest-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let event = #"{"eventTime":"2024-01-01T00:00:00Z","eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com"}"#
        try Data("""
            Config: ["\(CLI.repository.appendingPathComponent("Filters/cloudtrail-protection").path)"]
            AlarmTests:
              - Name: expects the wrong state
                Events:
                  - {At: 2024-01-01T00:01:00Z, Event: '\(event)'}
                Transitions:
                  - {Alarm: ctp-trail-logging-stopped-or-deleted, State: OK}
            """.utf8).write(to: directory.appendingPathComponent("tests.yaml"))
        let result = try CLI.run(["test", directory.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("expected ctp-trail-logging-stopped-or-deleted -> OK"))
        #expect(result.stdout.contains("INSUFFICIENT_DATA -> ALARM at 2024-01-01T00:01:00.000Z"))
    }
}
