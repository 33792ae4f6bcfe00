import AsyncHTTPClient
import Foundation
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGHUP and `POST /-/reload`: all or nothing; unchanged alarms keep their state and windows.
@Suite("Config reload", .serialized)
struct ReloadTests {
    static func config(consoleThreshold: Int, broken: Bool = false) -> String {
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
            Period: 300
            EvaluationPeriods: 1
            Threshold: 1
            ComparisonOperator: GreaterThanOrEqualToThreshold
            TreatMissingData: notBreaching
          - AlarmName: console-logins
            MetricName: ConsoleLogins
            Namespace: Test
            Statistic: Sum
            Period: 300
            EvaluationPeriods: 1
            Threshold: \(consoleThreshold)
            ComparisonOperator: GreaterThanOrEqualToThreshold
            TreatMissingData: \(broken ? "sometimes" : "notBreaching")
        """
    }

    static func event(_ name: String, _ time: String) -> [UInt8] {
        Array(#"{"eventVersion":"1.08","eventTime":"\#(time)","eventName":"\#(name)","eventID":"\#(UUID().uuidString)"}"#.utf8 + [0x0A])
    }

    func alarmStates(_ url: String) async throws -> [String: String] {
        let body = try await http(.GET, url + "/alarms").body
        let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        let list = json?["alarms"] as? [[String: Any]] ?? []
        return Dictionary(uniqueKeysWithValues: list.compactMap { item in
            (item["name"] as? String).flatMap { name in (item["state"] as? String).map { (name, $0) } }
        })
    }

    func waitForEvents(_ url: String, _ count: Double) async throws -> String {
        var metrics = ""
        for _ in 0..<300 {
            metrics = try await http(.GET, url + "/metrics").body
            if metricValue(metrics, #"tripline_events_read_total{input="http"}"#) == count { break }
            try await Task.sleep(for: .milliseconds(30))
        }
        return metrics
    }

    @Test func reloadKeepsUnchangedAlarmsAndRefusesBrokenConfigs() async throws {
        let directory = temporaryDirectory("sidecar-reload")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/tripline.yaml"
        try Self.config(consoleThreshold: 5).write(toFile: path, atomically: true, encoding: .utf8)
        let sidecar = try SidecarProcess(
            ["--config", path, "--listen", "127.0.0.1:0", "--state-dir", directory + "/state", "--clock", "event"],
            log: directory + "/tripline.log")
        defer { sidecar.signal(SIGKILL) }

        // trail-stopped goes to ALARM (early alarm); two logins are below console-logins' threshold.
        var batch = Self.event("StopLogging", "2024-05-01T10:00:05Z")
        batch += Self.event("ConsoleLogin", "2024-05-01T10:00:06Z") + Self.event("ConsoleLogin", "2024-05-01T10:00:07Z")
        #expect(try await http(.POST, sidecar.url + "/ingest", body: batch).status == 200)
        _ = try await waitForEvents(sidecar.url, 3)
        #expect(try await alarmStates(sidecar.url)["trail-stopped"] == "ALARM")

        // Lower console-logins' threshold: it starts afresh; trail-stopped keeps ALARM.
        try Self.config(consoleThreshold: 3).write(toFile: path, atomically: true, encoding: .utf8)
        let reloaded = try await http(.POST, sidecar.url + "/-/reload")
        #expect(reloaded.status == 200, "\(reloaded.body)")
        #expect(reloaded.body.contains(#""alarmsKept":1"#) && reloaded.body.contains(#""alarmsReset":1"#), "\(reloaded.body)")
        var states = try await alarmStates(sidecar.url)
        #expect(states["trail-stopped"] == "ALARM")
        #expect(states["console-logins"] == "INSUFFICIENT_DATA")

        // A broken config changes nothing: 400 with the problem's place, the old config stays, /metrics says so.
        try Self.config(consoleThreshold: 3, broken: true).write(toFile: path, atomically: true, encoding: .utf8)
        let refused = try await http(.POST, sidecar.url + "/-/reload")
        #expect(refused.status == 400)
        #expect(refused.body.contains("tripline.yaml:"), "\(refused.body)")
        var metrics = try await http(.GET, sidecar.url + "/metrics").body
        #expect(metricValue(metrics, "tripline_config_reload_success") == 0)
        // The config in force still counts logins with the threshold of 3: three more logins alarm.
        batch = Self.event("ConsoleLogin", "2024-05-01T10:01:00Z") + Self.event("ConsoleLogin", "2024-05-01T10:01:01Z")
        batch += Self.event("ConsoleLogin", "2024-05-01T10:01:02Z")
        #expect(try await http(.POST, sidecar.url + "/ingest", body: batch).status == 200)
        metrics = try await waitForEvents(sidecar.url, 6)
        #expect(metricValue(metrics, #"tripline_filter_matches_total{filter="console-logins"}"#) == 5)
        states = try await alarmStates(sidecar.url)
        #expect(states["console-logins"] == "ALARM")
        #expect(states["trail-stopped"] == "ALARM")

        // SIGHUP with the config fixed: reloaded, and /metrics shows success again.
        try Self.config(consoleThreshold: 3).write(toFile: path, atomically: true, encoding: .utf8)
        sidecar.signal(SIGHUP)
        for _ in 0..<200 {
            metrics = try await http(.GET, sidecar.url + "/metrics").body
            if metricValue(metrics, "tripline_config_reload_success") == 1 { break }
            try await Task.sleep(for: .milliseconds(30))
        }
        #expect(metricValue(metrics, "tripline_config_reload_success") == 1, "\(sidecar.logText)")
        #expect(try await alarmStates(sidecar.url) == ["trail-stopped": "ALARM", "console-logins": "ALARM"])
        #expect(sidecar.logText.contains("ConfigReloadFailed"))
        sidecar.signal(SIGTERM)
        #expect(await sidecar.waitForExit() == 0)
    }
}
