import Alarms
import Foundation
import PropertyBased
import Testing
import TriplineCore
import TriplineTestSupport

/// The checkpoint contract: stopping anywhere, saving, restoring into a new engine and going on gives
/// exactly the output of one uninterrupted run.
struct SnapshotDeterminismTests {
    @Test func restoringAtAnySplitPointContinuesTheSameRun() async {
        await propertyCheck(count: 40, input: Gen.uint64()) { seed in
            let scenario = SnapshotScenario(seed: seed)
            var reference = try scenario.engine()
            var outputs: [AlarmEngineOutput] = []
            var snapshots = [reference.snapshot()]
            for operation in scenario.operations {
                outputs.append(operation.apply(to: &reference))
                snapshots.append(reference.snapshot())
            }
            for split in snapshots.indices {
                // Compared with `==`, not `#expect(a == b)`: a failure would print two whole snapshots.
                let decoded = try roundTrip(snapshots[split])
                if decoded != snapshots[split] { Issue.record("seed \(seed): JSON changed the snapshot taken after \(split) operations") }
                var engine = try scenario.engine()
                let report = engine.restore(from: decoded)
                #expect(report.resetAlarms.isEmpty && report.removedAlarms.isEmpty && !report.configurationChanged)
                if engine.snapshot() != snapshots[split] { Issue.record("seed \(seed): restore lost state at \(split)") }
                let rest = scenario.operations[split...].map { $0.apply(to: &engine) }
                guard rest == Array(outputs[split...]) else {
                    let first = zip(rest, outputs[split...]).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? 0
                    Issue.record("seed \(seed): split at \(split) differs at operation \(split + first): \(scenario.operations[split + first])")
                    return
                }
                if engine.snapshot() != snapshots.last { Issue.record("seed \(seed): split at \(split) ends in another state") }
            }
        }
    }

    /// A reload mixes kept, changed, removed and added alarms, other layouts and another configuration:
    /// restore never traps, the report accounts for every alarm, kept alarms keep their state, and the
    /// reloaded engine in turn restores exactly.
    @Test func restoringIntoChangedDefinitionsKeepsWhatIsUnchanged() async {
        await propertyCheck(count: 40, input: Gen.uint64(), Gen.uint64()) { seed, otherSeed in
            let old = SnapshotScenario(seed: seed)
            let other = SnapshotScenario(seed: otherSeed)
            var random = SplitMix64(seed: otherSeed)
            var alarms = old.metricAlarms.filter { _ in random.next() % 3 != 0 }
            alarms += other.metricAlarms.filter { _ in random.next() % 2 == 0 }.map { alarm in
                var renamed = alarm
                renamed.name = random.next() % 2 == 0 ? "new-" + alarm.name : alarm.name
                renamed.arn = renamed.account.alarmArn(named: renamed.name)
                return renamed
            }
            var seen: Set<String> = []
            alarms = alarms.filter { seen.insert($0.name).inserted }
            var engine = try old.engine()
            let split = Int(random.next() % UInt64(old.operations.count + 1))
            for operation in old.operations[..<split] { _ = operation.apply(to: &engine) }
            let saved = engine.snapshot()

            var reloaded = try AlarmEngine(metricAlarms: alarms, compositeAlarms: other.compositeAlarms, configuration: other.configuration)
            let report = reloaded.restore(from: try roundTrip(saved))
            let names = reloaded.states.map(\.name)
            #expect(Set(report.restoredAlarms + report.resetAlarms.map(\.name)) == Set(names))
            #expect(report.restoredAlarms.count + report.resetAlarms.count == names.count)
            let oldNames = old.metricAlarms.map(\.name) + old.compositeAlarms.map(\.name)
            #expect(report.removedAlarms == oldNames.filter { !names.contains($0) })
            for name in report.restoredAlarms { #expect(reloaded.state(of: name) == engine.state(of: name)) }
            for alarm in alarms where old.metricAlarms.contains(alarm) { #expect(report.restoredAlarms.contains(alarm.name)) }

            let checkpoint = reloaded.snapshot()
            var again = try AlarmEngine(metricAlarms: alarms, compositeAlarms: other.compositeAlarms, configuration: other.configuration)
            _ = again.restore(from: try roundTrip(checkpoint))
            for operation in old.operations[split...] {
                if operation.apply(to: &reloaded) != operation.apply(to: &again) {
                    Issue.record("seeds \(seed), \(otherSeed): a reloaded engine did not restore exactly")
                    return
                }
            }
        }
    }

    /// Outputs must be non-trivial for the property to mean something: most seeds make transitions,
    /// notifications and suppressed composite actions.
    @Test func scenariosExerciseTheEngine() throws {
        var transitions = 0
        var notifications = 0
        var suppressed = 0
        var nonFinite = 0
        for seed in UInt64(0)..<40 {
            let scenario = SnapshotScenario(seed: seed)
            var engine = try scenario.engine()
            for operation in scenario.operations {
                let output = operation.apply(to: &engine)
                transitions += output.transitions.count
                notifications += output.notifications.count
                suppressed += output.transitions.filter { if case .suppressed = $0.actions { true } else { false } }.count
                let json = String(decoding: try JSONEncoder().encode(engine.snapshot()), as: UTF8.self)
                if json.contains("\"inf\"") || json.contains("\"-inf\"") || json.contains("nan\"") { nonFinite += 1 }
            }
        }
        #expect(transitions > 200)
        #expect(notifications > 100)
        #expect(suppressed > 5)
        #expect(nonFinite > 0)
    }
}
