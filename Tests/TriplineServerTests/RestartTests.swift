import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing
import TriplineTestSupport

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
        var random = SplitMix64(seed: seed)
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


/// SIGKILL while collectors post: every batch answered 2xx is counted once, after any number of restarts.
@Suite("Ingest across SIGKILL", .serialized)
struct IngestRestartTests {
    @Test func everyAcceptedBatchIsCountedOnce() async throws {
        let directory = temporaryDirectory("sidecar-ingest-kill")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let arguments = [
            "--config", repositoryRoot + "/Filters", "--listen", "127.0.0.1:0", "--state-dir", directory + "/state", "--clock", "event",
            "--checkpoint-interval", "0.1",
        ]
        let batch = Array((0..<500).map { RestartTests.line($0) }.joined(separator: "\n").utf8)
        var accepted = 0
        var unanswered = 0
        var sidecar = try SidecarProcess(arguments, log: directory + "/tripline.log")
        for round in 0..<4 {
            // Twelve batches in flight from four clients, and a SIGKILL in the middle of them.
            let url = sidecar.url
            let current = sidecar
            let statuses = await withTaskGroup(of: Int.self, returning: [Int].self) { group in
                for index in 0..<12 {
                    group.addTask {
                        try? await Task.sleep(for: .milliseconds(index * 15))
                        // A request the kill cut off may never be answered: give up on it soon.
                        return (try? await http(.POST, url + "/ingest", body: batch, timeout: 3).status) ?? 0
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(60 + round * 25))
                    current.signal(SIGKILL)
                    return -1
                }
                var all: [Int] = []
                for await status in group { all.append(status) }
                return all
            }
            accepted += statuses.filter { $0 == 200 }.count
            unanswered += statuses.filter { $0 != 200 && $0 != -1 }.count
            await sidecar.waitForExit()
            sidecar = try SidecarProcess(arguments, log: directory + "/tripline.log")
        }
        // Read until the count stops moving (the spool drained).
        var read = 0.0
        var stable = 0
        while stable < 10 {
            let metrics = (try? await http(.GET, sidecar.url + "/metrics").body) ?? ""
            let now = metricValue(metrics, #"tripline_events_read_total{input="http"}"#) ?? 0
            stable = now == read && now >= Double(accepted * 500) ? stable + 1 : 0
            read = now
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(accepted > 0)
        // Every 2xx batch counted, whole; beyond them only batches whose answer the kill cut off
        // (spooled, but the client never heard): a collector would resend those.
        #expect(read.truncatingRemainder(dividingBy: 500) == 0)
        #expect(read >= Double(accepted * 500), "accepted \(accepted) batches; \(sidecar.logText)")
        #expect(read <= Double((accepted + unanswered) * 500), "accepted \(accepted), unanswered \(unanswered)")
        sidecar.signal(SIGTERM)
        #expect(await sidecar.waitForExit() == 0)
    }
}

/// Files named without --follow are read once: a restart with the same state dir does not count them again.
@Suite("Files read once", .serialized)
struct FilesReadOnceTests {
    @Test func aRestartDoesNotReadAFileAgain() async throws {
        let directory = temporaryDirectory("sidecar-once")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = directory + "/trail.ndjson"
        try ((0..<300).map(RestartTests.line).joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let arguments = [
            "--config", repositoryRoot + "/Filters", "--listen", "127.0.0.1:0", "--state-dir", directory + "/state", "--clock", "event", input,
        ]
        for run in 1...2 {
            let sidecar = try SidecarProcess(arguments, log: directory + "/tripline.log")
            var read: Double?
            for _ in 0..<300 {
                read = metricValue((try? await http(.GET, sidecar.url + "/metrics").body) ?? "", #"tripline_events_read_total{input="\#(input)"}"#)
                if read == 300 { break }
                try await Task.sleep(for: .milliseconds(30))
            }
            #expect(read == 300, "run \(run)")
            // The second run must not add anything more, even given time.
            if run == 2 {
                try await Task.sleep(for: .milliseconds(500))
                let again = metricValue((try? await http(.GET, sidecar.url + "/metrics").body) ?? "", #"tripline_events_read_total{input="\#(input)"}"#)
                #expect(again == 300)
            }
            sidecar.signal(run == 1 ? SIGKILL : SIGTERM)
            await sidecar.waitForExit()
        }
    }

    @Test func withoutListenTheRunEndsWhenTheFilesAreRead() async throws {
        let directory = temporaryDirectory("sidecar-once-exit")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = directory + "/trail.ndjson"
        // The last line has no newline: it is still read.
        try (0..<50).map(RestartTests.line).joined(separator: "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let sidecar = try SidecarProcess(
            ["--config", repositoryRoot + "/Filters", "--state-dir", directory + "/state", "--clock", "event", input],
            log: directory + "/tripline.log", waitForPort: false)
        #expect(await sidecar.waitForExit() == 0, "\(sidecar.logText)")
        let store = directory + "/state"
        #expect(FileManager.default.fileExists(atPath: store + "/state.sqlite"))
    }
}
