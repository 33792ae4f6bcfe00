import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real binary with `--listen`: every endpoint, its status codes, and what a batch does.
@Suite("Sidecar HTTP", .serialized)
struct SidecarHTTPTests {
    static let token = "s3cret-token"

    /// Two failed console logins and a StopLogging, timed now, so the wall clock keeps them.
    static func events(count: Int = 3) -> String {
        let now = ISO8601DateFormatter().string(from: Date())
        let failed = #"{"eventVersion":"1.08","eventTime":"\#(now)","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","eventType":"AwsConsoleSignIn","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"},"responseElements":{"ConsoleLogin":"Failure"},"errorMessage":"Failed authentication","eventID":"id-failed"}"#
        let stop = #"{"eventVersion":"1.08","eventTime":"\#(now)","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","eventType":"AwsApiCall","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/mallory"},"requestParameters":{"name":"main-trail"},"eventID":"id-stop"}"#
        return (0..<count).map { $0 % 3 == 2 ? stop : failed }.joined(separator: "\n") + "\n"
    }

    @Test func ingestAuthLimitsMetricsAndAlarms() async throws {
        let directory = temporaryDirectory("sidecar-http")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sidecar = try SidecarProcess(
            ["--config", repositoryRoot + "/Filters", "--listen", "127.0.0.1:0", "--state-dir", directory + "/state",
             "--max-body-size", "64KiB", "--log-level", "info"],
            log: directory + "/tripline.log", environment: ["TRIPLINE_INGEST_TOKEN": Self.token])
        defer { sidecar.signal(SIGKILL) }
        let auth = [("Authorization", "Bearer \(Self.token)")]

        #expect(try await http(.GET, sidecar.url + "/healthz").status == 200)
        let ready = try await http(.GET, sidecar.url + "/readyz")
        #expect(ready.status == 200, "\(ready.body)")

        // Auth: none, wrong, right.
        let body = Array(Self.events().utf8)
        let anonymous = try await http(.POST, sidecar.url + "/ingest", body: body)
        #expect(anonymous.status == 401)
        #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        #expect(try await http(.POST, sidecar.url + "/ingest", body: body, headers: [("Authorization", "Bearer wrong")]).status == 401)
        let accepted = try await http(.POST, sidecar.url + "/ingest", body: body, headers: auth)
        #expect(accepted.status == 200)
        #expect(accepted.body == #"{"accepted":3}"#)

        // The same events as a JSON array, gzip-compressed; and as a CloudTrail log file.
        let array = "[" + Self.events().split(separator: "\n").joined(separator: ",\n") + "]"
        let gzipped = try await http(
            .POST, sidecar.url + "/ingest", body: try gzip(Array(array.utf8)), headers: auth + [("Content-Encoding", "gzip")])
        #expect(gzipped.body == #"{"accepted":3}"#)
        let records = #"{"Records":["# + Self.events().split(separator: "\n").joined(separator: ",") + "]}"
        #expect(try await http(.POST, sidecar.url + "/ingest", body: Array(records.utf8), headers: auth).body == #"{"accepted":3}"#)

        // Limits and bad bodies.
        let large = Array(Self.events(count: 400).utf8)
        #expect(large.count > 64 << 10)
        let tooLarge = try await http(.POST, sidecar.url + "/ingest", body: large, headers: auth)
        #expect(tooLarge.status == 413, "\(tooLarge.body)")
        let broken = try await http(.POST, sidecar.url + "/ingest", body: Array(#"[{"a":1},"#.utf8), headers: auth)
        #expect(broken.status == 400)
        #expect(broken.body.contains("nothing of it was accepted"))
        let badGzip = try await http(.POST, sidecar.url + "/ingest", body: Array("plain".utf8), headers: auth + [("Content-Encoding", "gzip")])
        #expect(badGzip.status == 400)
        let deflate = try await http(.POST, sidecar.url + "/ingest", body: body, headers: auth + [("Content-Encoding", "deflate")])
        #expect(deflate.status == 415)
        #expect(try await http(.GET, sidecar.url + "/nowhere").status == 404)

        // Everything accepted is read and counted: 9 events, 6 failed logins, 3 StopLogging.
        var metrics = ""
        for _ in 0..<200 {
            metrics = try await http(.GET, sidecar.url + "/metrics").body
            if metricValue(metrics, #"tripline_events_read_total{input="http"}"#) == 9 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(metricValue(metrics, #"tripline_events_read_total{input="http"}"#) == 9, "\(metrics)")
        #expect(metricValue(metrics, #"tripline_filter_matches_total{filter="cis-console-auth-failures"}"#) == 6)
        #expect(metricValue(metrics, #"tripline_filter_matches_total{filter="ctp-trail-logging-stopped-or-deleted"}"#) == 3)
        #expect(metricValue(metrics, #"tripline_ingest_requests_total{code="200"}"#) == 3)
        #expect(metricValue(metrics, #"tripline_ingest_requests_total{code="401"}"#) == 2)
        #expect(metricValue(metrics, #"tripline_ingest_requests_total{code="413"}"#) == 1)
        #expect(metricValue(metrics, #"tripline_ingest_requests_total{code="400"}"#) == 2)
        #expect(metricValue(metrics, "tripline_config_reload_success") == 1)
        #expect(metricValue(metrics, #"tripline_alarm_state{alarm="ctp-trail-logging-stopped-or-deleted",state="ALARM"}"#) == 1)
        #expect((metricValue(metrics, "process_resident_memory_bytes") ?? 0) > 0)
        #expect(metrics.contains("# TYPE tripline_events_read_total counter"))

        // /alarms: the StopLogging alarm fired early (Sum >= 1), with its reason and time.
        let alarms = try await http(.GET, sidecar.url + "/alarms")
        let json = try JSONSerialization.jsonObject(with: Data(alarms.body.utf8)) as? [String: Any]
        let list = try #require(json?["alarms"] as? [[String: Any]])
        let stopped = try #require(list.first { $0["name"] as? String == "ctp-trail-logging-stopped-or-deleted" })
        #expect(stopped["state"] as? String == "ALARM")
        #expect(stopped["stateChangeTime"] is String)
        #expect((stopped["reason"] as? String)?.contains("Threshold Crossed") == true)

        // SIGTERM: a graceful stop, exit 0.
        sidecar.signal(SIGTERM)
        #expect(await sidecar.waitForExit() == 0, "\(sidecar.logText)")
        #expect(sidecar.logText.contains("ShutdownFinished"))
    }

    @Test func aFullSpoolAnswers429WithRetryAfter() async throws {
        let directory = temporaryDirectory("sidecar-429")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The spool holds 1 byte: with a backlog, a second batch is over the limit until it is read.
        let sidecar = try SidecarProcess(
            ["--config", repositoryRoot + "/Filters", "--listen", "127.0.0.1:0", "--state-dir", directory + "/state",
             "--spool-limit", "1"],
            log: directory + "/tripline.log")
        defer { sidecar.signal(SIGKILL) }
        let body = Array(Self.events(count: 300).utf8)
        var statuses: [Int: Int] = [:]
        var retryAfter: String?
        await withTaskGroup(of: HTTPExchange?.self) { group in
            for _ in 0..<40 { group.addTask { try? await http(.POST, sidecar.url + "/ingest", body: body) } }
            for await exchange in group {
                guard let exchange else { continue }
                statuses[exchange.status, default: 0] += 1
                if exchange.status == 429 { retryAfter = exchange.headers["retry-after"] }
            }
        }
        #expect(statuses[200, default: 0] >= 1)
        #expect(statuses[429, default: 0] >= 1, "\(statuses)")
        #expect(Set(statuses.keys).isSubset(of: [200, 429]))
        #expect(retryAfter == "1")
        // Every accepted batch is counted, none of the refused ones.
        let expected = Double(statuses[200, default: 0] * 300)
        var metrics = ""
        for _ in 0..<400 {
            metrics = try await http(.GET, sidecar.url + "/metrics").body
            if metricValue(metrics, #"tripline_events_read_total{input="http"}"#) == expected { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(metricValue(metrics, #"tripline_events_read_total{input="http"}"#) == expected)
        sidecar.signal(SIGINT)
        #expect(await sidecar.waitForExit() == 0)
    }

    @Test func listeningOnABusyPortIsAClearError() async throws {
        let directory = temporaryDirectory("sidecar-busy")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try SidecarProcess(
            ["--config", repositoryRoot + "/Filters", "--listen", "127.0.0.1:0", "--state-dir", directory + "/a"], log: directory + "/a.log")
        defer { first.signal(SIGKILL) }
        let second = try SidecarProcess(
            ["--config", repositoryRoot + "/Filters", "--listen", "127.0.0.1:\(first.port)", "--state-dir", directory + "/b"],
            log: directory + "/b.log", waitForPort: false)
        #expect(await second.waitForExit() == 74)
        #expect(second.logText.contains("cannot listen on 127.0.0.1:\(first.port)"), "\(second.logText)")
    }

    /// A line longer than `--max-line-length` in a followed file, or in a file read once, is
    /// skipped and shows in `tripline_events_dropped_total`, per input, as on stdin and the spool.
    @Test func oversizedLinesInFilesReachTheMetrics() async throws {
        let directory = temporaryDirectory("sidecar-oversized")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let event = #"{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventName":"DescribeInstances"}"#
        let long = #"{"eventName":"x","pad":""# + String(repeating: "a", count: 600) + #""}"#
        let followed = directory + "/followed.ndjson"
        let once = directory + "/once.ndjson"
        try ([event, long, event, long, long].joined(separator: "\n") + "\n").write(toFile: followed, atomically: true, encoding: .utf8)
        try ([long, event].joined(separator: "\n") + "\n").write(toFile: once, atomically: true, encoding: .utf8)
        let sidecar = try SidecarProcess(
            [
                "--config", repositoryRoot + "/Filters", "--listen", "127.0.0.1:0", "--state-dir", directory + "/state",
                "--max-line-length", "512", "--follow", followed, once,
            ], log: directory + "/log")
        defer { sidecar.signal(SIGKILL) }
        // The tailer polls every 250 ms; appended lines count too.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: followed))
        handle.seekToEndOfFile()
        handle.write(Data((long + "\n" + event + "\n").utf8))
        try handle.close()
        var metrics = ""
        let deadline = Date().addingTimeInterval(30)
        repeat {
            try await Task.sleep(for: .milliseconds(200))
            metrics = try await http(.GET, sidecar.url + "/metrics").body
        } while Date() < deadline
            && metricValue(metrics, #"tripline_events_dropped_total{input="\#(followed)",reason="oversized"}"#) != 4
        #expect(metricValue(metrics, #"tripline_events_dropped_total{input="\#(followed)",reason="oversized"}"#) == 4, "\(metrics)")
        #expect(metricValue(metrics, #"tripline_events_dropped_total{input="\#(once)",reason="oversized"}"#) == 1, "\(metrics)")
        sidecar.signal(SIGTERM)
        #expect(await sidecar.waitForExit() == 0)
    }
}
