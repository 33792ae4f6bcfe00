import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGKILL at random moments during a `run --follow` over a growing file, restarted each time: the
/// transitions delivered equal those of one uninterrupted run, and no event is counted twice.
@Suite("Restart after SIGKILL", .serialized)
struct RestartTests {
    static let eventCount = 2_400

    /// Bursts of StopLogging and ConsoleLogin among quiet events, one per second of event time.
    static func line(_ index: Int) -> String {
        let time = Date(timeIntervalSince1970: 1_714_557_600 + Double(index))  // 2024-05-01T10:00:00Z
        let name: String
        switch index % 400 {
        case 10..<14: name = "StopLogging"
        case 150..<160 where (index / 400) % 2 == 0: name = "ConsoleLogin"
        default: name = "DescribeInstances"
        }
        return #"{"eventVersion":"1.08","eventTime":"\#(ISO8601DateFormatter().string(from: time))","eventName":"\#(name)","eventID":"e\#(index)"}"#
    }

    static func config(hook: String) -> String {
        """
        metricFilters:
          - filterName: trail-stopped
            filterPattern: '{ $.eventName = "StopLogging" }'
            metricTransformations:
              - {metricName: TrailStopped, metricNamespace: Test, metricValue: "1"}
          - filterName: console-logins
            filterPattern: '{ $.eventName = "ConsoleLogin" }'
            metricTransformations:
              - {metricName: ConsoleLogins, metricNamespace: Test, metricValue: "1"}
        MetricAlarms:
          - AlarmName: trail-stopped
            MetricName: TrailStopped
            Namespace: Test
            Statistic: Sum
            Period: 60
            EvaluationPeriods: 1
            Threshold: 1
            ComparisonOperator: GreaterThanOrEqualToThreshold
            TreatMissingData: notBreaching
            AlarmActions: [hook]
            OKActions: [hook]
          - AlarmName: console-logins
            MetricName: ConsoleLogins
            Namespace: Test
            Statistic: Sum
            Period: 120
            EvaluationPeriods: 2
            DatapointsToAlarm: 1
            Threshold: 5
            ComparisonOperator: GreaterThanOrEqualToThreshold
            TreatMissingData: notBreaching
            AlarmActions: [hook]
            OKActions: [hook]
        CompositeAlarms:
          - AlarmName: both
            AlarmRule: ALARM(trail-stopped) OR ALARM(console-logins)
            AlarmActions: [hook]
            OKActions: [hook]
        Destinations:
          hook:
            Type: webhook
            Url: \(hook)
            RetryBaseDelay: 0.05s
            RetryMaxDelay: 0.2s
        """
    }

    func arguments(_ directory: String, _ input: String) -> [String] {
        ["--config", directory + "/tripline.yaml", "--follow", input, "--state-dir", directory + "/state", "--clock", "event",
         "--allowed-lateness", "30s", "--listen", "127.0.0.1:0", "--checkpoint-interval", "0.2", "--log-level", "info"]
    }

    /// Waits until the run has read `count` events from `input` (by its own, checkpointed, count).
    func waitForEvents(_ sidecar: SidecarProcess, _ input: String, _ count: Int) async throws -> Double? {
        var read: Double?
        for _ in 0..<1_500 {
            let metrics = (try? await http(.GET, sidecar.url + "/metrics").body) ?? ""
            read = metricValue(metrics, #"tripline_events_read_total{input="\#(input)"}"#)
            if read == Double(count) { break }
            try await Task.sleep(for: .milliseconds(40))
        }
        return read
    }

    /// One run: the file grows in chunks while `kills` SIGKILLs land at random moments; returns the
    /// deliveries, the events the last process counted, and the number of kills that landed.
    func run(kills: Int, seed: UInt64) async throws -> (deliveries: [WebhookRecorder.Delivery], eventsRead: Double?, killed: Int, log: String) {
        let hook = try await WebhookRecorder.start()
        let directory = temporaryDirectory("sidecar-restart")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.config(hook: hook.url).write(toFile: directory + "/tripline.yaml", atomically: true, encoding: .utf8)
        let input = directory + "/trail.ndjson"
        _ = FileManager.default.createFile(atPath: input, contents: nil)
        let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: input))
        var random = SplitMix(seed: seed)
        var sidecar = try SidecarProcess(arguments(directory, input), log: directory + "/tripline.log")
        var killed = 0
        var written = 0
        let chunk = 60
        var killAt = Set((0..<kills).map { _ in Int(random.next() % UInt64(Self.eventCount / chunk)) })
        while written < Self.eventCount {
            let lines = (written..<min(written + chunk, Self.eventCount)).map(Self.line).joined(separator: "\n") + "\n"
            // Half a line now and the rest later, sometimes: a partial last line must wait for its newline.
            let bytes = Array(lines.utf8)
            let split = random.next() % 3 == 0 ? bytes.count - 20 : bytes.count
            try writer.write(contentsOf: bytes[..<split])
            try await Task.sleep(for: .milliseconds(Int(random.next() % 30)))
            try writer.write(contentsOf: bytes[split...])
            written += chunk
            if killAt.remove(written / chunk) != nil {
                try await Task.sleep(for: .milliseconds(Int(random.next() % 400)))
                sidecar.signal(SIGKILL)
                await sidecar.waitForExit()
                killed += 1
                sidecar = try SidecarProcess(arguments(directory, input), log: directory + "/tripline.log")
            }
        }
        try writer.close()
        let eventsRead = try await waitForEvents(sidecar, input, Self.eventCount)
        // Let the sender deliver what is queued, then stop gracefully.
        try await Task.sleep(for: .milliseconds(500))
        sidecar.signal(SIGTERM)
        let status = await sidecar.waitForExit()
        let log = sidecar.logText
        #expect(status == 0, "\(log)")
        await hook.stop()
        return (hook.all, eventsRead, killed, log)
    }

    @Test func transitionsSurviveSIGKILL() async throws {
        let reference = try await run(kills: 0, seed: 1)
        let interrupted = try await run(kills: 5, seed: 7)
        #expect(interrupted.killed >= 3)
        #expect(reference.eventsRead == Double(Self.eventCount))
        // The checkpointed count equals the events written: none was read twice, none lost.
        #expect(interrupted.eventsRead == Double(Self.eventCount), "\(interrupted.log)")

        let expected = Self.transitions(reference.deliveries)
        #expect(expected.count == 3, "\(expected)")
        #expect(expected.values.map(\.count).reduce(0, +) >= 15, "the reference run made too few transitions to compare: \(expected)")
        // A delivery may repeat only with the same idempotency key (a kill between the 2xx and the commit).
        let actual = Self.transitions(interrupted.deliveries)
        #expect(actual == expected)
        let repeats = interrupted.deliveries.count - Set(interrupted.deliveries.map(\.idempotencyKey)).count
        #expect(repeats <= interrupted.killed)
    }

    /// Distinct transitions per alarm, in delivery order: (alarm, new state, StateChangeTime).
    static func transitions(_ deliveries: [WebhookRecorder.Delivery]) -> [String: [String]] {
        var seen = Set<String>()
        var result: [String: [String]] = [:]
        for delivery in deliveries where seen.insert(delivery.idempotencyKey).inserted {
            guard let json = try? JSONSerialization.jsonObject(with: Data(delivery.body.utf8)) as? [String: Any] else { continue }
            let message = (json["Message"] as? String).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? json
            let alarm = message["AlarmName"] as? String ?? "?"
            let state = message["NewStateValue"] as? String ?? "?"
            let time = message["StateChangeTime"] as? String ?? "?"
            result[alarm, default: []].append("\(state)@\(time)")
        }
        return result
    }
}

/// A small deterministic generator (SplitMix64) for the kill schedule.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
