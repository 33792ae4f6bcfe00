import Alarms
import Testing
import TriplineCore

struct CompositeTests {
    static let t0 = time("2024-05-01T10:00:00Z")

    static func engine(_ rule: String, suppressor: String? = nil, wait: Int = 60, extensionPeriod: Int = 60) throws -> AlarmEngine {
        let children = ["a", "b", "mute"].map { sumAlarm(name: $0) }
        let composite = try CompositeAlarm(
            name: "both", rule: AlarmRule(parsing: rule), ruleText: rule, alarmActions: ["pager"], okActions: ["pager"],
            actionsSuppressor: suppressor, actionsSuppressorWaitPeriod: wait, actionsSuppressorExtensionPeriod: extensionPeriod)
        return try AlarmEngine(metricAlarms: children, compositeAlarms: [composite])
    }

    @Test func ruleEvaluation() throws {
        let rule = try AlarmRule(parsing: "ALARM(a) AND NOT (OK(b) OR INSUFFICIENT_DATA(c))")
        let states: [String: AlarmState] = ["a": .alarm, "b": .alarm, "c": .ok]
        #expect(rule.evaluate { states[$0] })
        #expect(!rule.evaluate { $0 == "b" ? .ok : states[$0] })
        #expect(try !AlarmRule(parsing: "ALARM(unknown)").evaluate { _ in nil })
    }

    @Test func compositeFollowsItsChildren() throws {
        var engine = try Self.engine("ALARM(a) AND ALARM(b)")
        let first = engine.setAlarmState("a", to: .alarm, reason: "test", at: Self.t0)?.transitions ?? []
        #expect(first.map { "\($0.alarmName) \($0.newState.rawValue)" } == ["a ALARM", "both OK"])
        let second = engine.setAlarmState("b", to: .alarm, reason: "test", at: Self.t0.adding(seconds: 5))?.transitions ?? []
        #expect(second.map { "\($0.alarmName) \($0.newState.rawValue)" } == ["b ALARM", "both ALARM"])
        let reason = second.last?.reason.text ?? ""
        #expect(reason == "arn:aws:cloudwatch:us-east-1:123456789012:alarm:b transitioned to ALARM at Wednesday 01 May, 2024 10:00:05 UTC")
        #expect(second.last?.notification.destinations == ["pager"])
        #expect(engine.setAlarmState("nope", to: .ok, reason: "x", at: Self.t0) == nil)
    }

    @Test func cyclesAreReportedNotEvaluated() throws {
        let x = try CompositeAlarm(name: "x", rule: AlarmRule(parsing: "ALARM(y)"))
        let y = try CompositeAlarm(name: "y", rule: AlarmRule(parsing: "ALARM(x)"))
        let engine = try AlarmEngine(metricAlarms: [sumAlarm()], compositeAlarms: [x, y])
        #expect(engine.warnings.count == 2)
    }

    @Test func duplicateNamesAreRejected() {
        #expect(throws: AlarmEngineError.self) { try AlarmEngine(metricAlarms: [sumAlarm(), sumAlarm()]) }
    }

    @Test func suppressedActionsAreReleasedWhenTheWaitPeriodEnds() throws {
        var engine = try Self.engine("ALARM(a)", suppressor: "mute", wait: 30)
        // Give the engine a clock: the first record sets W = 09:55.
        _ = engine.ingest(eventTime: Self.t0, datapoints: [])
        let out = engine.setAlarmState("a", to: .alarm, reason: "test", at: Self.t0)
        let composite = out?.transitions.first { $0.alarmName == "both" && $0.newState == .alarm }
        #expect(composite?.actions == .suppressed(.waitPeriod))
        #expect(out?.notifications.contains { $0.alarmName == "both" } == false)
        // W passes 10:00:30 (before the 10:01 period end that snaps "a" back): the wait period
        // expired with the suppressor not in ALARM, so the composite acts on its current state.
        let released = engine.advance(to: Self.t0.adding(seconds: 335)).notifications.filter { $0.alarmName == "both" }
        #expect(released.map(\.newState) == [.alarm])
        #expect(released.first?.destinations == ["pager"])
        #expect(released.first?.idempotencyKey == composite?.notification.idempotencyKey)
    }
}

/// The six documented suppression scenarios (spec §8.3).
struct SuppressionTests {
    static let t = time("2024-05-01T10:00:00Z")
    static func at(_ seconds: Int64) -> Timestamp { t.adding(seconds: seconds) }

    @Test func waitPeriodExpiresWithoutSuppressorAndActs() {
        var machine = ActionSuppression(suppressorInAlarm: false, waitPeriod: 60, extensionPeriod: 60)
        #expect(machine.compositeTransitioned(to: .alarm, at: Self.at(0)) == .suppress(.waitPeriod))
        #expect(machine.timerExpired(at: Self.at(59)) == nil)
        #expect(machine.timerExpired(at: Self.at(60)) == .act)
        #expect(machine.timer == nil)
    }

    @Test func suppressorAlarmsWithinWaitThenExtensionReleases() {
        var machine = ActionSuppression(suppressorInAlarm: false, waitPeriod: 60, extensionPeriod: 120)
        _ = machine.compositeTransitioned(to: .alarm, at: Self.at(0))
        #expect(machine.suppressorChanged(inAlarm: true, at: Self.at(30)) == nil)
        #expect(machine.timer == nil && machine.suppressedBy == .alarm)
        #expect(machine.timerExpired(at: Self.at(60)) == nil, "the wait timer was discarded")
        _ = machine.suppressorChanged(inAlarm: false, at: Self.at(300))
        #expect(machine.suppressedBy == .extensionPeriod)
        #expect(machine.timerExpired(at: Self.at(420)) == .act)
    }

    @Test func suppressorAlreadyInAlarmSuppressesAtOnce() {
        var machine = ActionSuppression(suppressorInAlarm: true, waitPeriod: 60, extensionPeriod: 60)
        #expect(machine.compositeTransitioned(to: .alarm, at: Self.at(0)) == .suppress(.alarm))
        #expect(machine.timer == nil)
    }

    @Test func stateChangeWhileATimerRunsStartsANewWait() {
        var machine = ActionSuppression(suppressorInAlarm: false, waitPeriod: 60, extensionPeriod: 60)
        _ = machine.compositeTransitioned(to: .alarm, at: Self.at(0))
        #expect(machine.compositeTransitioned(to: .ok, at: Self.at(30)) == .suppress(.waitPeriod))
        #expect(machine.timer == .wait(until: Self.at(90)))
        #expect(machine.timerExpired(at: Self.at(60)) == nil)
        #expect(machine.timerExpired(at: Self.at(90)) == .act)
    }

    @Test func suppressorReturningDuringExtensionSuppressesAgain() {
        var machine = ActionSuppression(suppressorInAlarm: true, waitPeriod: 60, extensionPeriod: 60)
        _ = machine.compositeTransitioned(to: .alarm, at: Self.at(0))
        _ = machine.suppressorChanged(inAlarm: false, at: Self.at(100))
        _ = machine.suppressorChanged(inAlarm: true, at: Self.at(130))
        #expect(machine.timer == nil && machine.suppressedBy == .alarm)
        #expect(machine.timerExpired(at: Self.at(160)) == nil)
    }

    @Test func okWithoutTimerActsAndAFreshSuppressorHasNoTimers() {
        var machine = ActionSuppression(suppressorInAlarm: false, waitPeriod: 60, extensionPeriod: 60)
        #expect(machine.compositeTransitioned(to: .ok, at: Self.at(0)) == .act)
        _ = machine.compositeTransitioned(to: .alarm, at: Self.at(10))
        // Replacing the suppressor: a new machine, running timers discarded.
        machine = ActionSuppression(suppressorInAlarm: false, waitPeriod: 60, extensionPeriod: 60)
        #expect(machine.timer == nil && machine.suppressedBy == nil)
    }
}
