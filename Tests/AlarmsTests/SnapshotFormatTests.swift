import Alarms
import Foundation
import Testing
import TriplineCore

/// The snapshot's JSON: exact numbers under a default `JSONEncoder`, and its size in practice.
struct SnapshotFormatTests {
    @Test func extremeDoublesRoundTripExactlyWithADefaultEncoder() throws {
        let alarms = [
            sumAlarm(name: "sum", threshold: 1e300), sumAlarm(name: "min", threshold: 0, early: true, statistic: .minimum, comparison: .lessThanThreshold),
            sumAlarm(name: "max", threshold: 1e308, statistic: .maximum), sumAlarm(name: "p50", threshold: 0, statistic: .percentile(50)),
        ]
        var engine = try AlarmEngine(metricAlarms: alarms)
        let start = time("2024-05-01T10:00:00Z")
        // Sums overflow to +inf in one minute and -inf in the next; -0.0, subnormals and the largest
        // finite values are stored as minima, maxima and sketch bounds.
        let minutes: [[Double]] = [[-0.0, 1e308, 1.7976931348623157e308, .leastNonzeroMagnitude], [-1e308, -1.7976931348623157e308, -0.0], [-0.0]]
        for (minute, values) in minutes.enumerated() {
            for (second, value) in values.enumerated() {
                let moment = start.adding(seconds: Int64(minute * 60 + second))
                _ = engine.ingest(eventTime: moment, datapoints: [datapoint(value, at: moment)])
            }
        }
        let snapshot = engine.snapshot()
        let data = try JSONEncoder().encode(snapshot)
        let json = String(decoding: data, as: UTF8.self)
        #expect(json.contains(#""inf""#) && json.contains(#""-inf""#) && json.contains("-0,"))
        let decoded = try JSONDecoder().decode(AlarmEngine.Snapshot.self, from: data)
        #expect(decoded == snapshot)
        let sorted = JSONEncoder()
        sorted.outputFormatting = .sortedKeys
        #expect(try sorted.encode(decoded) == sorted.encode(snapshot), "re-encoding gives the same bytes")

        var restored = try AlarmEngine(metricAlarms: alarms)
        _ = restored.restore(from: decoded)
        let later = start.adding(seconds: 200)
        let moreData = [datapoint(-0.0, at: later), datapoint(1e308, at: later)]
        let expected = [engine.ingest(eventTime: later, datapoints: moreData), engine.finish()]
        #expect([restored.ingest(eventTime: later, datapoints: moreData), restored.finish()] == expected)
        #expect(expected.flatMap(\.transitions).contains { text($0.notification).contains("-0.0") })
    }

    @Test func emptyEngineSnapshotRoundTrips() throws {
        let engine = try AlarmEngine(metricAlarms: [sumAlarm()])
        let snapshot = try roundTrip(engine.snapshot())
        #expect(snapshot == engine.snapshot() && snapshot.version == AlarmEngine.Snapshot.currentVersion && snapshot.watermark == nil)
    }

    /// The 33 filter-pack alarms (CIS and CloudTrail protection: Sum ≥ 1 over 300 s, 1 period, early
    /// alarm) after six hours of a CloudTrail stream: one record every 2 s, 1 in 20 matching, with
    /// 1.5 KB of evidence each.
    @Test func packSizedEngineSnapshot() throws {
        let size = try Self.packSnapshotSize(seconds: 6 * 3600, step: 2) { $0 % 40 == 0 ? [($0 / 40) % 33] : [] }
        #expect(size < 200_000)
    }

    /// The worst case for the pack: every metric matching every second (about 10 s in a debug build,
    /// so only with TRIPLINE_MEASURE=1). What is kept stops growing after the early window plus the
    /// lateness, 20 minutes.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TRIPLINE_MEASURE"] == "1"))
    func busyPackSizedEngineSnapshot() throws {
        let size = try Self.packSnapshotSize(seconds: 1500, step: 1) { _ in Array(0..<33) }
        #expect(size < 5_000_000)
    }

    /// Feeds the pack alarms and returns the snapshot's JSON size, printing it and the encoding time.
    static func packSnapshotSize(seconds: Int, step: Int, matching: (Int) -> [Int]) throws -> Int {
        let alarms = (0..<33).map { index in
            var alarm = sumAlarm(name: "pack-\(index)", period: 300, threshold: 1)
            alarm.metric = MetricKey(namespace: "CISBenchmark", metricName: "metric_\(index)")
            return alarm
        }
        let raw = Array(repeating: UInt8(ascii: "x"), count: 1_500)
        var engine = try AlarmEngine(metricAlarms: alarms)
        var moment = time("2024-05-01T00:00:00Z")
        for tick in stride(from: 0, to: seconds, by: step) {
            moment = moment.adding(seconds: Int64(step))
            let datapoints = matching(tick).map { datapoint(at: moment, key: alarms[$0].metric, line: tick) }
            let evidence = datapoints.isEmpty ? nil : EventEvidence(eventID: "id-\(tick)", eventName: "PutRolePolicy", raw: raw)
            _ = engine.ingest(eventTime: moment, datapoints: datapoints, evidence: evidence)
        }
        var data = Data()
        let saving = try ContinuousClock().measure { data = try JSONEncoder().encode(engine.snapshot()) }
        var restored = try AlarmEngine(metricAlarms: alarms)
        let restoring = try ContinuousClock().measure {
            _ = restored.restore(from: try JSONDecoder().decode(AlarmEngine.Snapshot.self, from: data))
        }
        print("pack snapshot: \(data.count) bytes for \(engine.storage); saved in \(saving), restored in \(restoring)")
        return data.count
    }
}
