import Alarms
import Foundation
import MetricFilters
import Testing
import TriplineConfig
import TriplineCore
import TriplineIngest
import TriplineRuntime

/// `backtest` over a file split into byte ranges quotes each event by its line in the file, as
/// when one thread reads it whole.
struct BacktestRangesTests {
    static let filters = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Filters").path

    /// 3,000 events, one per minute; root sign-ins on `rootLines`, 1-based.
    static func events(rootLines: Set<Int>) -> [UInt8] {
        var text = ""
        for line in 1...3_000 {
            let minute = line - 1
            let time = String(format: "2024-01-0%dT%02d:%02d:00Z", 1 + minute / 1440, minute / 60 % 24, minute % 60)
            if rootLines.contains(line) {
                text += #"{"eventTime":"\#(time)","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","eventID":"root-\#(line)","userIdentity":{"type":"Root","arn":"arn:aws:iam::1:root"},"eventType":"AwsConsoleSignIn"}"#
            } else {
                text += #"{"eventTime":"\#(time)","eventName":"GetObject","eventSource":"s3.amazonaws.com","eventID":"e-\#(line)","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u"},"pad":"\#(String(repeating: "p", count: line % 97))"}"#
            }
            text += line % 5 == 0 ? "\r\n" : "\n"
        }
        return Array(text.utf8)
    }

    /// The `line` of every event quoted in `transitions`' notifications, with its eventID.
    static func quoted(_ transitions: [AlarmTransition]) throws -> [String: Int] {
        var lines: [String: Int] = [:]
        for transition in transitions {
            let message = try JSONSerialization.jsonObject(with: Data(transition.notification.message)) as? [String: Any]
            let events = (message?["Tripline"] as? [String: Any])?["events"] as? [[String: Any]] ?? []
            for event in events {
                if let id = event["eventID"] as? String, let line = event["line"] as? Int { lines[id] = line }
            }
        }
        return lines
    }

    static func run(_ path: String, threads: Int, split: Bool) throws -> [AlarmTransition] {
        let loaded = ConfigLoader().load([Self.filters])
        #expect(loaded.problems.errors.isEmpty)
        let configuration = loaded.configuration
        let alarms = AlarmBuilder.alarms(for: configuration)
        let engine = try AlarmEngine(metricAlarms: alarms.metric, compositeAlarms: alarms.composite)
        var options = IngestOptions()
        if split {
            options.splitThreshold = 1
            options.rangeSize = 40_000
            options.mappedWindowSize = 8_192
        }
        let plan = WorkPlan(inputs: try InputSet(arguments: [path]), options: options)
        #expect(split == (plan.units.count > 5))
        var backtest = BacktestRun(
            filterSet: FilterSet(configuration.filters), engine: engine,
            options: BacktestRun.Options(now: Timestamp(milliseconds: 2_000_000_000_000)))
        return backtest.run(plan, threads: threads, ingest: options, progress: nil).transitions
    }

    @Test(arguments: [1, 2])
    func rangesQuoteLinesOfTheFile(threads: Int) throws {
        let rootLines: Set<Int> = [7, 950, 1_777, 2_999]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tripline-bt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("trail.ndjson").path
        try Data(Self.events(rootLines: rootLines)).write(to: URL(fileURLWithPath: path))
        let whole = try Self.run(path, threads: 1, split: false)
        let split = try Self.run(path, threads: threads, split: true)
        let expected = Dictionary(uniqueKeysWithValues: rootLines.map { ("root-\($0)", $0) })
        #expect(try Self.quoted(whole) == expected)
        #expect(try Self.quoted(split) == expected)
        #expect(split.map(\.notification.message) == whole.map(\.notification.message))
    }
}
