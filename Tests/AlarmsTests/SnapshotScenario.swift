import Alarms
import Foundation
import TriplineCore
import TriplineTestSupport

/// A random engine setup and input for snapshot tests, built from one seed.
struct SnapshotScenario {
    enum Operation: CustomStringConvertible {
        case ingest(Timestamp, [Datapoint], EventEvidence?)
        case advance(Timestamp)
        case setAlarmState(String, AlarmState, Timestamp)
        case finish

        func apply(to engine: inout AlarmEngine) -> AlarmEngineOutput {
            switch self {
            case .ingest(let time, let datapoints, let evidence):
                engine.ingest(eventTime: time, datapoints: datapoints, evidence: evidence)
            case .advance(let now): engine.advance(to: now)
            case .setAlarmState(let name, let state, let time):
                engine.setAlarmState(name, to: state, reason: "test", at: time) ?? AlarmEngineOutput()
            case .finish: engine.finish()
            }
        }

        var description: String {
            switch self {
            case .ingest(let time, let datapoints, _): "ingest \(time) \(datapoints.map { "\($0.key.metricName)=\($0.value)" })"
            case .advance(let now): "advance \(now)"
            case .setAlarmState(let name, let state, let time): "set \(name) \(state.rawValue) \(time)"
            case .finish: "finish"
            }
        }
    }

    static let keys = [
        MetricKey(namespace: "Test", metricName: "a"),
        MetricKey(namespace: "Test", metricName: "b", dimensions: [Dimension(name: "Region", value: "eu-west-1")]),
    ]
    static let unwatched = MetricKey(namespace: "Test", metricName: "unwatched")
    /// -0.0 and ±1e308 (whose sums overflow to ±inf, and then NaN) must survive JSON exactly.
    static let values: [Double] = [0, 1, 1, 2, 5, -1, -0.0, 0.5, 3.25, 1e308, -1e308, 7e-300]

    var metricAlarms: [MetricAlarm] = []
    var compositeAlarms: [CompositeAlarm] = []
    var configuration = AlarmEngine.Configuration()
    var operations: [Operation] = []

    init(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        func pick<T>(_ options: [T]) -> T { options[Int(random.next() % UInt64(options.count))] }
        func chance(_ percent: UInt64) -> Bool { random.next() % 100 < percent }
        func below(_ limit: Int) -> Int { Int(random.next() % UInt64(limit)) }

        for index in 0..<(3 + below(3)) {
            let n = 1 + below(3)
            metricAlarms.append(
                MetricAlarm(
                    name: "m\(index)", metric: pick(Self.keys),
                    statistic: pick([.sum, .sampleCount, .maximum, .minimum, .average, .percentile(90), .percentile(99.5)]),
                    period: pick([60, 120, 300]), evaluationPeriods: n, datapointsToAlarm: chance(40) ? 1 + below(n) : nil,
                    evaluationRange: chance(20) ? n + 3 : nil, threshold: pick([0, 1, 2, 3, 5, -1]),
                    comparisonOperator: pick([.greaterThanOrEqualToThreshold, .greaterThanThreshold, .lessThanThreshold, .lessThanOrEqualToThreshold]),
                    treatMissingData: pick(TreatMissingData.allCases),
                    evaluateLowSampleCountPercentile: pick([nil, .evaluate, .ignore]),
                    alarmActions: ["alarm-topic"], okActions: chance(50) ? ["ok-topic"] : [],
                    insufficientDataActions: chance(30) ? ["insufficient-topic"] : [], earlyAlarm: chance(70),
                    metricOnlyGrows: chance(50)))
        }
        compositeAlarms.append(
            CompositeAlarm(
                name: "c0", rule: rule("ALARM(m0) OR ALARM(m1)"), alarmActions: ["pager"], okActions: ["pager"],
                actionsSuppressor: "m2", actionsSuppressorWaitPeriod: pick([0, 30, 60, 300]),
                actionsSuppressorExtensionPeriod: pick([0, 60, 240])))
        if chance(60) {
            compositeAlarms.append(
                CompositeAlarm(
                    name: "c1", rule: rule(pick(["ALARM(c0) AND NOT OK(m1)", "ALARM(c0) OR ALARM(ghost)"])),
                    alarmActions: ["pager"], actionsSuppressor: pick([nil, "c0", "c2"]), actionsSuppressorWaitPeriod: 60))
            // A suppressor that is neither a child nor evaluated before the composite it suppresses.
            compositeAlarms.append(CompositeAlarm(name: "c2", rule: rule("ALARM(m2) OR OK(m0)"), okActions: ["pager"]))
        }
        configuration = .init(
            allowedLateness: pick([0, 60, 300]), from: chance(25) ? time("2024-05-01T09:58:30Z") : nil, maxSeries: pick([1, 10]),
            evidencePerPeriod: pick([0, 2, 5]))

        let names = metricAlarms.map(\.name) + compositeAlarms.map(\.name) + ["nope"]
        var now = time("2024-05-01T10:00:00Z")
        for line in 0..<(8 + below(32)) {
            switch below(100) {
            case 0..<70:
                now = now.adding(seconds: chance(8) ? Int64(600 + below(1800)) : Int64(pick([0, 1, 5, 20, 45, 90])))
                var eventTime = chance(10) ? now.adding(seconds: -Int64(below(700))) : now
                if chance(20) { eventTime = Timestamp(milliseconds: eventTime.milliseconds + Int64(below(1000))) }
                let datapoints = (0..<below(4)).map { _ in
                    Datapoint(
                        key: chance(10) ? Self.unwatched : pick(Self.keys), value: pick(Self.values), timestamp: eventTime,
                        source: EventReference(input: pick(["a.json", "b.json"]), line: line, offset: line * 100))
                }
                let raw: [UInt8] = chance(20) ? [0x7B, 0xFF, 0xFE, 0x7D] : Array("{\"line\":\(line),\"note\":\"é\u{0}\"}".utf8)
                let evidence = chance(50) ? EventEvidence(eventID: "id-\(line)", eventName: pick(["A", "B"]), raw: raw) : nil
                operations.append(.ingest(eventTime, datapoints, evidence))
            case 70..<85:
                operations.append(.advance(now.adding(seconds: Int64(below(600)))))
            default:
                operations.append(.setAlarmState(pick(names), pick(AlarmState.allCases), now.adding(seconds: Int64(below(60)))))
            }
        }
        if chance(50) { operations.append(.finish) }
    }

    func engine() throws -> AlarmEngine {
        try AlarmEngine(metricAlarms: metricAlarms, compositeAlarms: compositeAlarms, configuration: configuration)
    }
}

/// A rule from its text; traps on a typo in a test.
func rule(_ text: String) -> AlarmRule {
    guard let value = try? AlarmRule(parsing: text) else { preconditionFailure("bad test rule \(text)") }
    return value
}

/// Encodes with a default `JSONEncoder` and decodes, as a consumer persisting snapshots would.
func roundTrip(_ snapshot: AlarmEngine.Snapshot) throws -> AlarmEngine.Snapshot {
    try JSONDecoder().decode(AlarmEngine.Snapshot.self, from: JSONEncoder().encode(snapshot))
}
