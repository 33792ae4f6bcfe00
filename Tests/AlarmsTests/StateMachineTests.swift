import Alarms
import Testing
import TriplineCore

/// The §4 rules: initial state, actions only on transitions, chosen by the new state, ActionsEnabled,
/// SetAlarmState snapping back.
struct StateMachineTests {
    static let start = time("2024-05-01T10:00:00Z")

    /// One period (N = 1, R = 3) whose newest value is `value` (nil: all missing).
    static func range(_ value: Double?, alarm: MetricAlarm) -> [EvaluatedPeriod] {
        [nil, nil, value].enumerated().map { index, value in
            let stats: PeriodStatistics? = value.map {
                var stats = PeriodStatistics()
                stats.add($0)
                return stats
            }
            return alarm.evaluatedPeriod(start: start.adding(seconds: Int64(index) * 60), statistics: stats)
        }
    }

    static func end(_ k: Int64) -> Timestamp { start.adding(seconds: 180 + k * 60) }

    @Test func initialStateIsInsufficientDataWithCreationReason() {
        let machine = AlarmStateMachine(sumAlarm())
        #expect(machine.state == .insufficientData)
        #expect(machine.reason.text == "Unchecked: Initial alarm creation")
        var imported = sumAlarm()
        imported.initialState = .alarm
        #expect(AlarmStateMachine(imported).state == .alarm)
    }

    @Test func actionsOnlyOnTransitions() {
        let alarm = sumAlarm()
        var machine = AlarmStateMachine(alarm)
        guard case .transition(let first) = machine.evaluate(Self.range(5, alarm: alarm), at: Self.end(0)) else {
            Issue.record("expected a transition")
            return
        }
        #expect(first.oldState == .insufficientData && first.newState == .alarm)
        #expect(first.destinations == ["alarm-topic"])
        // Staying in ALARM produces nothing.
        #expect(machine.evaluate(Self.range(7, alarm: alarm), at: Self.end(1)) == .none)
        #expect(machine.evaluate(Self.range(9, alarm: alarm), at: Self.end(2)) == .none)
    }

    struct Step: CustomTestStringConvertible, Sendable {
        var from: AlarmState
        var value: Double?
        var treat: TreatMissingData
        var to: AlarmState
        var destinations: [String]
        var testDescription: String { "\(from.rawValue) -> \(to.rawValue)" }
    }

    /// All six directed transitions; the list run is the new state's.
    static let directed: [Step] = [
        Step(from: .insufficientData, value: 0, treat: .missing, to: .ok, destinations: ["ok-topic"]),
        Step(from: .insufficientData, value: 5, treat: .missing, to: .alarm, destinations: ["alarm-topic"]),
        Step(from: .ok, value: 5, treat: .missing, to: .alarm, destinations: ["alarm-topic"]),
        Step(from: .ok, value: nil, treat: .missing, to: .insufficientData, destinations: ["insufficient-topic"]),
        Step(from: .alarm, value: 0, treat: .missing, to: .ok, destinations: ["ok-topic"]),
        Step(from: .alarm, value: nil, treat: .missing, to: .insufficientData, destinations: ["insufficient-topic"]),
    ]

    @Test("actions chosen by the new state", arguments: directed)
    func actionsByNewState(_ step: Step) {
        var alarm = sumAlarm(treat: step.treat)
        alarm.initialState = step.from
        var machine = AlarmStateMachine(alarm)
        guard case .transition(let change) = machine.evaluate(Self.range(step.value, alarm: alarm), at: Self.end(0)) else {
            Issue.record("expected a transition")
            return
        }
        #expect(change.newState == step.to)
        #expect(change.destinations == step.destinations)
    }

    @Test func actionsDisabledStillTransitions() {
        var alarm = sumAlarm()
        alarm.actionsEnabled = false
        var machine = AlarmStateMachine(alarm)
        guard case .transition(let change) = machine.evaluate(Self.range(5, alarm: alarm), at: Self.end(0)) else {
            Issue.record("expected a transition")
            return
        }
        #expect(change.newState == .alarm)
        #expect(change.destinations.isEmpty)
    }

    @Test func setAlarmStateForcesThenSnapsBack() {
        let alarm = sumAlarm()
        var machine = AlarmStateMachine(alarm)
        _ = machine.evaluate(Self.range(0, alarm: alarm), at: Self.end(0))
        #expect(machine.state == .ok)
        let forced = machine.setState(.alarm, reason: "testing", at: Self.end(0).adding(seconds: 10))
        guard case .transition(let change) = forced else {
            Issue.record("expected a forced transition")
            return
        }
        #expect(change.destinations == ["alarm-topic"])
        #expect(change.reason.text == "testing")
        // Forcing the state it already has runs nothing.
        #expect(machine.setState(.alarm, reason: "again", at: Self.end(0).adding(seconds: 20)) == .none)
        // The next evaluation snaps back.
        guard case .transition(let back) = machine.evaluate(Self.range(0, alarm: alarm), at: Self.end(1)) else {
            Issue.record("expected a snap back")
            return
        }
        #expect(back.newState == .ok && back.destinations == ["ok-topic"])
    }

    @Test func periodEndAtOrBeforeTheLatestTransitionIsSkipped() {
        let alarm = sumAlarm()
        var machine = AlarmStateMachine(alarm)
        _ = machine.setState(.alarm, reason: "forced", at: Self.end(1))
        #expect(machine.evaluate(Self.range(0, alarm: alarm), at: Self.end(1)) == .skipped)
        #expect(machine.evaluate(Self.range(0, alarm: alarm), at: Self.end(0)) == .skipped)
    }

    @Test func earlyEvaluationTakesOnlyAlarm() {
        let alarm = sumAlarm()
        var machine = AlarmStateMachine(alarm)
        #expect(machine.evaluate(Self.range(0, alarm: alarm), at: Self.end(0), trigger: .early) == .none)
        #expect(machine.state == .insufficientData)
        guard case .transition = machine.evaluate(Self.range(5, alarm: alarm), at: Self.end(0).adding(seconds: 5), trigger: .early) else {
            Issue.record("expected an early ALARM")
            return
        }
        #expect(machine.lastEarlyAlarmTime == Self.end(0).adding(seconds: 5))
    }
}
