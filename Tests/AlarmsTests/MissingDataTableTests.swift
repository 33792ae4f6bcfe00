import Alarms
import Testing
import TriplineCore

/// The documented outcomes of CloudWatch's missing-data tables (spec §6): N = 3, R = 5.
struct MissingDataTableTests {
    enum Expected: String, Sendable {
        case ok = "OK", alarm = "ALARM", insufficient = "INSUFFICIENT_DATA", keep
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var range: String
        var m: Int
        var treat: TreatMissingData
        var expected: Expected
        var testDescription: String { "M=\(m) [\(range)] \(treat.rawValue) -> \(expected.rawValue)" }
    }

    /// One row per table line: range, M, and the outcome for missing, ignore, breaching, notBreaching.
    static let rows: [(String, Int, [Expected])] = [
        ("0 - X - X", 3, [.ok, .ok, .ok, .ok]),
        ("0 - - - -", 3, [.ok, .ok, .ok, .ok]),
        ("- - - - -", 3, [.insufficient, .keep, .alarm, .ok]),
        ("0 X X - X", 3, [.alarm, .alarm, .alarm, .alarm]),
        ("- - X - -", 3, [.alarm, .keep, .alarm, .ok]),
        ("0 - X - X", 2, [.alarm, .alarm, .alarm, .alarm]),
        ("0 0 X 0 X", 2, [.alarm, .alarm, .alarm, .alarm]),
        ("0 - X - -", 2, [.ok, .ok, .alarm, .ok]),
        ("- - - - 0", 2, [.ok, .ok, .alarm, .ok]),
        ("- - - X -", 2, [.alarm, .keep, .alarm, .ok]),
    ]

    static let cases: [Case] = rows.flatMap { range, m, outcomes in
        zip([TreatMissingData.missing, .ignore, .breaching, .notBreaching], outcomes).map {
            Case(range: range, m: m, treat: $0, expected: $1)
        }
    }

    static func periods(_ range: String) -> [EvaluatedPeriod] {
        range.split(separator: " ").enumerated().map { index, token in
            let start = Timestamp(seconds: 1_714_557_600 + Int64(index) * 300)
            switch token {
            case "X": return EvaluatedPeriod(start: start, value: 5, sampleCount: 5, breaching: true)
            case "0": return EvaluatedPeriod(start: start, value: 0, sampleCount: 1, breaching: false)
            default: return EvaluatedPeriod(start: start, value: nil, sampleCount: 0, breaching: false)
            }
        }
    }

    static func decision(_ range: String, m: Int, treat: TreatMissingData) -> Expected {
        let outcome = RangeEvaluator.evaluate(periods(range), evaluationPeriods: 3, datapointsToAlarm: m, treatMissingData: treat)
        switch outcome.decision {
        case .alarm: return .alarm
        case .ok: return .ok
        case .insufficientData: return .insufficient
        case .keepState: return .keep
        }
    }

    @Test("documented table outcome", arguments: cases)
    func documentedOutcome(_ testCase: Case) {
        #expect(Self.cases.count == 40)
        #expect(Self.decision(testCase.range, m: testCase.m, treat: testCase.treat) == testCase.expected)
    }

    @Test("premature-alarm guard holds back young breaching points", arguments: ["- - - - X", "- - - X -"])
    func guardDeclines(_ range: String) {
        #expect(Self.decision(range, m: 3, treat: .missing) == .keep)
    }

    @Test("keep means the state machine stays where it was")
    func keepStateKeepsState() {
        var alarm = sumAlarm(n: 3, m: 3, treat: .missing)
        alarm.initialState = .ok
        var machine = AlarmStateMachine(alarm)
        #expect(machine.evaluate(Self.periods("- - - - X"), at: time("2024-05-01T10:30:00Z")) == .none)
        #expect(machine.state == .ok)
    }

    @Test("Case A reaches back past missing periods for N real datapoints")
    func caseAReachesBack() {
        let outcome = RangeEvaluator.evaluate(Self.periods("0 X X - X"), evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: .missing)
        #expect(outcome.periods.map(\.role) == [.notConsidered, .considered, .considered, .missing, .considered])
    }
}
