import Alarms
import PropertyBased
import Testing
import TriplineCore
import TriplineTestSupport

/// Step tables in series notation driving the engine across period ends.
struct EngineStepTests {
    static let base = time("2024-05-01T10:00:00Z")

    /// In period k the values of `inputs[k]` arrive at k·P + 10 s (nil: nothing); then the wall clock
    /// passes the period end. Returns the state after each period end and every transition.
    static func drive(_ alarm: MetricAlarm, _ inputs: [Double?]) throws -> ([AlarmState], [AlarmTransition]) {
        var engine = try AlarmEngine(metricAlarms: [alarm], configuration: .init(allowedLateness: 0, from: base))
        let period = Int64(alarm.period)
        var observed: [AlarmState] = []
        var transitions: [AlarmTransition] = []
        for (k, value) in inputs.enumerated() {
            let moment = base.adding(seconds: Int64(k) * period + 10)
            let points = value.map { [datapoint($0, at: moment)] } ?? []
            transitions += engine.ingest(eventTime: moment, datapoints: points).transitions
            transitions += engine.advance(to: base.adding(seconds: Int64(k + 1) * period)).transitions
            observed.append(engine.state(of: alarm.name) ?? .insufficientData)
        }
        return (observed, transitions)
    }

    struct Table: CustomTestStringConvertible, Sendable {
        var name: String
        var alarm: MetricAlarm
        var inputs: String
        var expected: String
        var testDescription: String { "\(name): \(inputs) -> \(expected)" }
    }

    static let tables: [Table] = [
        Table(name: "1 of 1, notBreaching", alarm: sumAlarm(early: false), inputs: "1 _ 0 5x2 _x3", expected: "A A O A A A A O"),
        Table(name: "2 of 3, missing, guard", alarm: sumAlarm(n: 3, m: 2, treat: .missing, early: false),
              inputs: "1 _ _ 0 0 _ 5x2", expected: "I A A O O O O A"),
        Table(name: "3 of 3, breaching", alarm: sumAlarm(n: 3, m: 3, treat: .breaching, early: false),
              inputs: "0 _x5 1 0", expected: "O O O O O A A O"),
        Table(name: "1 of 1, missing", alarm: sumAlarm(treat: .missing, early: false),
              inputs: "_ 0 _x3 1", expected: "I O O O I A"),
        Table(name: "1 of 1, ignore", alarm: sumAlarm(treat: .ignore, early: false),
              inputs: "_ 1 _x4 0", expected: "I A A A A A O"),
    ]

    @Test("step table", arguments: tables)
    func stepTable(_ table: Table) throws {
        let (observed, transitions) = try Self.drive(table.alarm, series(table.inputs))
        #expect(observed == states(table.expected))
        // One transition per change of state, each with non-decreasing time.
        let changes = zip([AlarmState.insufficientData] + observed, observed).filter { $0 != $1 }.count
        #expect(transitions.count == changes)
        #expect(transitions.map(\.stateChangeTime) == transitions.map(\.stateChangeTime).sorted())
    }

    @Test func earlyAlarmFiresMidPeriod() throws {
        let alarm = sumAlarm(period: 300, threshold: 3)
        var engine = try AlarmEngine(metricAlarms: [alarm])
        var transitions: [AlarmTransition] = []
        for (line, clock) in ["10:01:00", "10:02:00", "10:03:20"].enumerated() {
            let moment = time("2024-05-01T\(clock)Z")
            transitions += engine.ingest(eventTime: moment, datapoints: [datapoint(at: moment, line: line + 1)]).transitions
        }
        #expect(transitions.map(\.newState) == [.alarm])
        #expect(transitions.first?.stateChangeTime == time("2024-05-01T10:03:20Z"))
        #expect(transitions.first?.trigger == "early")
        #expect(transitions.first?.reason.text.hasPrefix("Threshold Crossed: 1 datapoint [3.0 (01/05/24 09:58:20)]") == true)
    }

    @Test func earlyAlarmCatchesABurstAcrossAPeriodBoundary() throws {
        let moments = ["10:04:00", "10:04:30", "10:05:10"].map { time("2024-05-01T\($0)Z") }
        func run(early: Bool) throws -> [AlarmTransition] {
            var engine = try AlarmEngine(metricAlarms: [sumAlarm(period: 300, threshold: 3, early: early)])
            var out = moments.flatMap { engine.ingest(eventTime: $0, datapoints: [datapoint(at: $0)]).transitions }
            out += engine.finish().transitions
            return out
        }
        #expect(try run(early: false).map(\.newState) == [.ok], "aligned periods hold 2 and 1")
        let early = try run(early: true)
        #expect(early.map(\.newState) == [.alarm, .ok])
        #expect(early.map(\.stateChangeTime) == [time("2024-05-01T10:05:10Z"), time("2024-05-01T10:10:00Z")])
    }

    @Test func lateDatapointCountsButDoesNotRewrite() throws {
        var engine = try AlarmEngine(metricAlarms: [sumAlarm(early: false)], configuration: .init(allowedLateness: 60))
        var transitions = engine.ingest(eventTime: time("2024-05-01T10:00:10Z"), datapoints: []).transitions
        transitions += engine.ingest(eventTime: time("2024-05-01T10:03:00Z"), datapoints: []).transitions
        #expect(transitions.map(\.newState) == [.ok])
        #expect(transitions.first?.stateChangeTime == time("2024-05-01T10:01:00Z"))
        // Older than W (10:02) but its period is still kept: counted, lands, no rewrite of 10:01.
        let late = time("2024-05-01T10:00:30Z")
        #expect(engine.ingest(eventTime: late, datapoints: [datapoint(at: late)]).transitions.isEmpty)
        #expect(engine.counters.lateDatapointsAccepted == 1)
        // It counts in the next evaluation (Case A reaches back to it).
        let next = engine.ingest(eventTime: time("2024-05-01T10:04:00Z"), datapoints: []).transitions
        #expect(next.map(\.newState) == [.alarm])
        #expect(next.first?.stateChangeTime == time("2024-05-01T10:03:00Z"))
        // Older than anything kept: dropped and counted.
        let ancient = time("2024-05-01T09:30:00Z")
        #expect(engine.ingest(eventTime: ancient, datapoints: [datapoint(at: ancient)]).transitions.isEmpty)
        #expect(engine.counters.lateDatapointsDropped == 1)
    }

    @Test func finishReportsTheFinalTransitions() throws {
        var engine = try AlarmEngine(metricAlarms: [sumAlarm(early: false)])
        let moment = time("2024-05-01T10:00:10Z")
        #expect(engine.ingest(eventTime: moment, datapoints: [datapoint(at: moment)]).transitions.isEmpty)
        let final = engine.finish().transitions
        #expect(final.map(\.newState) == [.alarm, .ok])
        #expect(final.map(\.stateChangeTime) == [time("2024-05-01T10:01:00Z"), time("2024-05-01T10:04:00Z")],
                "Case A reaches back: with N = 1 and R = 3 the datapoint counts until it leaves the range")
    }

    @Test func wallClockReturnsAQuietAlarmToOK() throws {
        var engine = try AlarmEngine(metricAlarms: [sumAlarm(period: 300)])
        let moment = time("2024-05-01T10:00:10Z")
        #expect(engine.ingest(eventTime: moment, datapoints: [datapoint(at: moment)]).transitions.map(\.newState) == [.alarm])
        #expect(engine.advance(to: time("2024-05-01T10:24:59Z")).transitions.isEmpty)
        let back = engine.advance(to: time("2024-05-01T10:26:00Z")).transitions
        #expect(back.map(\.newState) == [.ok])
        #expect(back.first?.stateChangeTime == time("2024-05-01T10:20:00Z"))
    }

    @Test func timeNeverGoesBackwardsAfterAnEarlyAlarm() throws {
        // An early ALARM at 10:05:10 is not undone by the 10:05 period end that lags behind it.
        var engine = try AlarmEngine(metricAlarms: [sumAlarm(period: 300, threshold: 2)])
        var all: [AlarmTransition] = []
        for clock in ["10:04:50", "10:05:10", "10:09:00", "10:16:00"] {
            let moment = time("2024-05-01T\(clock)Z")
            all += engine.ingest(eventTime: moment, datapoints: [datapoint(at: moment)]).transitions
        }
        all += engine.finish().transitions
        #expect(all.map(\.stateChangeTime) == all.map(\.stateChangeTime).sorted())
        #expect(all.first?.newState == .alarm)
        #expect(all.first?.stateChangeTime == time("2024-05-01T10:05:10Z"))
    }

    @Test func alarmExistsFromTheEarliestRecordBeforeTheFirstPeriodEnd() throws {
        var engine = try AlarmEngine(metricAlarms: [sumAlarm(early: false)], configuration: .init(allowedLateness: 300))
        // Read order differs from time order within the lateness; the first evaluation is 10:01.
        _ = engine.ingest(eventTime: time("2024-05-01T10:03:00Z"), datapoints: [])
        _ = engine.ingest(eventTime: time("2024-05-01T10:00:20Z"), datapoints: [])
        let out = engine.ingest(eventTime: time("2024-05-01T10:07:00Z"), datapoints: []).transitions
        #expect(out.map(\.stateChangeTime) == [time("2024-05-01T10:01:00Z")])
    }

    /// Reordering records within the allowed lateness leaves the output unchanged (early alarm off).
    @Test func reorderingWithinLatenessIsDeterministic() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...3_000).array(of: 1...40), Gen.uint64()) { offsets, seed in
            let alarms = [
                sumAlarm(name: "b-sum", period: 60, n: 3, m: 2, threshold: 2, treat: .missing, early: false),
                sumAlarm(name: "a-count", period: 120, n: 1, threshold: 3, treat: .notBreaching, early: false),
            ]
            let moments = offsets.sorted().map { Self.base.adding(seconds: Int64($0)) }
            var generator = SplitMix64(seed: seed)
            let jittered = moments.enumerated().map { ($0.element.milliseconds + Int64(generator.next() % 299_000), $0.offset) }
            let readOrder = jittered.sorted { $0 < $1 }.map { moments[$0.1] }
            func run(_ order: [Timestamp]) -> [String] {
                guard var engine = try? AlarmEngine(metricAlarms: alarms) else { return [] }
                var out = order.flatMap { engine.ingest(eventTime: $0, datapoints: [datapoint(at: $0)]).transitions }
                out += engine.finish().transitions
                return out.sorted { ($0.stateChangeTime, $0.alarmName) < ($1.stateChangeTime, $1.alarmName) }
                    .map { "\($0.alarmName) \($0.newState.rawValue) \($0.stateChangeTime) \($0.reason.text)" }
            }
            #expect(run(moments) == run(readOrder))
        }
    }
}

