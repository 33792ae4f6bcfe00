import Alarms
import Foundation
import Testing
import TriplineCore

/// Restoring into an engine built from changed definitions (a config reload).
struct SnapshotReloadTests {
    static let other = MetricKey(namespace: "CISBenchmark", metricName: "other")

    /// `a` alarms on 2 of 3 breaching minutes; `b` the same on another metric; `c` on a maximum.
    static func definitions(bThreshold: Double = 1) -> [MetricAlarm] {
        var b = sumAlarm(name: "b", n: 3, m: 2, threshold: bThreshold, early: false)
        b.metric = other
        return [sumAlarm(name: "a", n: 3, m: 2, early: false), b, sumAlarm(name: "c", threshold: 5, early: false, statistic: .maximum)]
    }

    static let composites = [
        CompositeAlarm(name: "a-and-b", rule: rule("ALARM(a) AND ALARM(b)"), alarmActions: ["pager"]),
        CompositeAlarm(name: "a-or-c", rule: rule("ALARM(a) OR ALARM(c)"), alarmActions: ["pager"]),
    ]

    static let lateness = AlarmEngine.Configuration(allowedLateness: 0)

    /// Records with a 1 on both metrics at `clock` (10:mm:ss).
    static func feed(_ engine: inout AlarmEngine, _ clocks: [String]) -> [AlarmTransition] {
        clocks.flatMap { clock in
            let moment = time("2024-05-01T\(clock)Z")
            return engine.ingest(eventTime: moment, datapoints: [datapoint(at: moment), datapoint(at: moment, key: other)]).transitions
        }
    }

    /// The engine after two breaching minutes, at W = 10:01:30: everything OK, windows half full.
    static func saved() throws -> AlarmEngine.Snapshot {
        var engine = try AlarmEngine(metricAlarms: definitions(), compositeAlarms: composites, configuration: lateness)
        _ = feed(&engine, ["10:00:10", "10:01:10", "10:01:30"])
        #expect(engine.state(of: "a") == .ok)
        return try roundTrip(engine.snapshot())
    }

    /// What matters in a transition when sequence numbers may differ.
    static func summary(_ transitions: [AlarmTransition], of name: String) -> [String] {
        transitions.filter { $0.alarmName == name }.map {
            "\($0.newState.rawValue) \($0.stateChangeTime) \($0.reason.text) \($0.notification.idempotencyKey) \(text($0.notification))"
        }
    }

    @Test func changedAlarmResetsAndTheOthersKeepStateAndWindows() throws {
        var uninterrupted = try AlarmEngine(metricAlarms: Self.definitions(), compositeAlarms: Self.composites, configuration: Self.lateness)
        _ = Self.feed(&uninterrupted, ["10:00:10", "10:01:10", "10:01:30"])
        let expected = Self.feed(&uninterrupted, ["10:02:10", "10:03:10"])

        var engine = try AlarmEngine(metricAlarms: Self.definitions(bThreshold: 2), compositeAlarms: Self.composites, configuration: Self.lateness)
        let report = engine.restore(from: try Self.saved())
        #expect(report.restoredAlarms == ["a", "c", "a-or-c"])
        #expect(report.resetAlarms == [.init(name: "b", reason: .definitionChanged), .init(name: "a-and-b", reason: .childChanged)])
        #expect(report.removedAlarms.isEmpty && report.isSnapshotVersionSupported)
        #expect(engine.state(of: "a") == .ok && engine.state(of: "b") == .insufficientData)
        let actual = Self.feed(&engine, ["10:02:10", "10:03:10"])
        // `a` reaches ALARM at 10:02 from the 10:00 and 10:01 datapoints saved before the reload.
        #expect(Self.summary(actual, of: "a") == Self.summary(expected, of: "a"))
        #expect(Self.summary(actual, of: "a").first?.hasPrefix("ALARM 2024-05-01T10:02:00.000Z") == true)
        #expect(Self.summary(actual, of: "c") == Self.summary(expected, of: "c"))
        // `b` starts fresh at the restore point: first evaluated at the 10:02 period end, never before.
        let b = actual.filter { $0.alarmName == "b" }
        #expect(b.first?.oldState == .insufficientData && b.first?.newState == .ok)
        #expect(b.allSatisfy { $0.stateChangeTime >= time("2024-05-01T10:02:00Z") })
    }

    @Test func removedAlarmIsReportedAndItsCompositeResets() throws {
        var engine = try AlarmEngine(
            metricAlarms: Array(Self.definitions().prefix(2)), compositeAlarms: Self.composites, configuration: Self.lateness)
        let report = engine.restore(from: try Self.saved())
        #expect(report.removedAlarms == ["c"])
        #expect(report.restoredAlarms == ["a", "b", "a-and-b"])
        #expect(report.resetAlarms == [.init(name: "a-or-c", reason: .childChanged)])
        #expect(report.restoredSeries == 2 && report.droppedSeries == 0)
        #expect(report.description == "restored 3 alarms; reset 1 (a-or-c: childChanged); removed 1 (c); series 2 restored, 0 dropped")
    }

    @Test func addedAlarmStartsAtTheRestorePointAndReadsTheRestoredWindow() throws {
        let added = sumAlarm(name: "d", early: false)
        var engine = try AlarmEngine(
            metricAlarms: Self.definitions() + [added], compositeAlarms: Self.composites, configuration: Self.lateness)
        let report = engine.restore(from: try Self.saved())
        #expect(report.resetAlarms == [.init(name: "d", reason: .new)])
        #expect(report.restoredAlarms.count == 5)
        let out = engine.advance(to: time("2024-05-01T10:02:05Z")).transitions.filter { $0.alarmName == "d" }
        #expect(out.map(\.newState) == [.alarm])
        #expect(out.first?.stateChangeTime == time("2024-05-01T10:02:00Z"))
        // Both 10:01 datapoints were read before the reload.
        #expect(out.first?.reason.text.contains("[2.0 (01/05/24 10:01:00)]") == true)
    }

    @Test func configurationUpdatedAloneKeepsTheState() throws {
        var definitions = Self.definitions()
        definitions[0].configurationUpdated = time("2024-05-01T10:01:40Z")
        var engine = try AlarmEngine(metricAlarms: definitions, compositeAlarms: Self.composites, configuration: Self.lateness)
        let report = engine.restore(from: try Self.saved())
        #expect(report.resetAlarms.isEmpty)
        let alarm = Self.feed(&engine, ["10:02:10"]).first { $0.alarmName == "a" }
        // Notifications carry the current definition's timestamp.
        #expect(alarm.map { text($0.notification) }?.contains("2024-05-01T10:01:40.000+0000") == true)
    }

    @Test func unknownSnapshotVersionResetsEverything() throws {
        var json = String(decoding: try JSONEncoder().encode(try Self.saved()), as: UTF8.self)
        let version = try #require(json.range(of: "\"version\":1"))
        json.replaceSubrange(version, with: "\"version\":2")
        let future = try JSONDecoder().decode(AlarmEngine.Snapshot.self, from: Data(json.utf8))
        #expect(future.version == 2 && future.watermark == nil)
        // A future payload need not decode at all.
        let opaque = try JSONDecoder().decode(AlarmEngine.Snapshot.self, from: Data(#"{"version":9,"engine":[1,"x"]}"#.utf8))

        let fresh = try AlarmEngine(metricAlarms: Self.definitions(), compositeAlarms: Self.composites, configuration: Self.lateness)
        for snapshot in [future, opaque] {
            var engine = fresh
            _ = Self.feed(&engine, ["10:00:10"])
            let report = engine.restore(from: snapshot)
            #expect(!report.isSnapshotVersionSupported && report.restoredAlarms.isEmpty)
            #expect(report.resetAlarms.map(\.name) == ["a", "b", "c", "a-and-b", "a-or-c"])
            #expect(report.resetAlarms.allSatisfy { $0.reason == .unsupportedSnapshotVersion })
            #expect(engine.snapshot() == fresh.snapshot(), "restore discards the state the engine had")
        }
    }

    @Test func fewerAndMoreKeptPeriodsAndANewPercentile() throws {
        // "wide" keeps 12 periods and early sub-buckets over 12 minutes; without it the series keeps 5.
        let wide = sumAlarm(name: "wide", n: 10, threshold: 1000)
        var engine = try AlarmEngine(metricAlarms: [sumAlarm(name: "a", n: 3, m: 2, early: false), wide])
        var moment = time("2024-05-01T10:00:00Z")
        for _ in 0..<600 {
            moment = moment.adding(seconds: 2)
            _ = engine.ingest(eventTime: moment, datapoints: [datapoint(at: moment)])
        }
        let saved = try roundTrip(engine.snapshot())
        #expect(engine.storage.periods > 10 && engine.storage.subBuckets > 300)

        var narrow = try AlarmEngine(metricAlarms: [sumAlarm(name: "a", n: 3, m: 2, early: false)])
        let report = narrow.restore(from: saved)
        #expect(report.restoredAlarms == ["a"] && report.removedAlarms == ["wide"])
        // What is left is what an engine that only ever had `a` would hold.
        var alone = try AlarmEngine(metricAlarms: [sumAlarm(name: "a", n: 3, m: 2, early: false)])
        moment = time("2024-05-01T10:00:00Z")
        for _ in 0..<600 {
            moment = moment.adding(seconds: 2)
            _ = alone.ingest(eventTime: moment, datapoints: [datapoint(at: moment)])
        }
        #expect(narrow.storage == alone.storage)
        #expect(narrow.storage.periods < engine.storage.periods && narrow.storage.subBuckets == 0)

        var percentile = sumAlarm(name: "p90", threshold: 0.5, treat: .missing, early: false, statistic: .percentile(90))
        percentile.evaluationPeriods = 1
        var wider = try AlarmEngine(metricAlarms: [sumAlarm(name: "a", n: 3, m: 2, early: false), sumAlarm(name: "w", n: 20), percentile])
        _ = wider.restore(from: saved)
        // Periods saved without a sketch read as missing to the percentile alarm: no transition until new data.
        #expect(wider.advance(to: moment.adding(seconds: 280)).transitions.filter { $0.alarmName == "p90" }.isEmpty)
        let later = moment.adding(seconds: 300)
        let out = wider.ingest(eventTime: later, datapoints: [datapoint(at: later)])
            .transitions + wider.advance(to: later.adding(seconds: 400)).transitions
        #expect(out.filter { $0.alarmName == "p90" }.map(\.newState).contains(.alarm))
    }

    @Test func seriesCapAndRestoreOnAUsedEngine() throws {
        let saved = try Self.saved()
        let capped = AlarmEngine.Configuration(allowedLateness: 0, maxSeries: 1)
        var engine = try AlarmEngine(metricAlarms: Self.definitions(), compositeAlarms: Self.composites, configuration: capped)
        let report = engine.restore(from: saved)
        #expect(report.restoredSeries == 1 && report.droppedSeries == 1 && report.configurationChanged)
        #expect(engine.storage.series == 1)

        var used = try AlarmEngine(metricAlarms: Self.definitions(), compositeAlarms: Self.composites, configuration: Self.lateness)
        _ = Self.feed(&used, ["10:30:00", "10:45:00"])
        _ = used.restore(from: saved)
        #expect(used.snapshot() == saved)
    }

    @Test func withheldCompositeActionsSurviveARestart() throws {
        let engine = try CompositeTests.engine("ALARM(a)", suppressor: "mute", wait: 30)
        var before = engine
        _ = before.ingest(eventTime: CompositeTests.t0, datapoints: [])
        let out = before.setAlarmState("a", to: .alarm, reason: "test", at: CompositeTests.t0)
        let composite = out?.transitions.first { $0.alarmName == "both" }
        #expect(composite?.actions == .suppressed(.waitPeriod))
        var after = engine
        _ = after.restore(from: try roundTrip(before.snapshot()))
        let released = after.advance(to: CompositeTests.t0.adding(seconds: 335)).notifications.filter { $0.alarmName == "both" }
        #expect(released.first?.idempotencyKey == composite?.notification.idempotencyKey)
        #expect(released.first?.destinations == ["pager"])
    }
}
