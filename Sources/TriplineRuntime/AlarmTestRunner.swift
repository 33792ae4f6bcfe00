public import TriplineConfig
import Alarms
import MetricFilters
import TriplineCore

/// Runs the timed alarm sequences of a test file (`AlarmTests`) the way `backtest` replays events.
public enum AlarmTestRunner {
    /// Replays `testCase` against `configuration`; nil when the transitions are as expected,
    /// otherwise a readable diff.
    public static func run(_ testCase: RuleTestSuite.AlarmCase, configuration: Configuration) -> String? {
        let alarms = AlarmBuilder.alarms(for: configuration)
        var engine: AlarmEngine
        do {
            engine = try AlarmEngine(metricAlarms: alarms.metric, compositeAlarms: alarms.composite)
        } catch {
            return "  the alarms cannot be evaluated: \(error)\n"
        }
        var pipeline = EventPipeline(filterSet: FilterSet(configuration.filters))
        var transitions: [AlarmTransition] = []
        var latest: Timestamp?
        for (index, event) in testCase.events.enumerated() {
            event.withUnsafeBytes { line in
                guard let time = pipeline.eventTime(of: line) ?? latest else { return }
                latest = max(latest ?? time, time)
                let source = EventReference(input: "test", line: index + 1, offset: 0)
                let (datapoints, evidence) = pipeline.process(line, time: time, source: source)
                transitions += engine.ingest(eventTime: time, datapoints: datapoints, evidence: evidence).transitions
            }
        }
        transitions += engine.finish().transitions
        transitions.sort { ($0.stateChangeTime, $0.alarmName, $0.sequence) < ($1.stateChangeTime, $1.alarmName, $1.sequence) }
        let watched = Set(testCase.expected.map(\.alarm))
        let actual = transitions.filter { watched.contains($0.alarmName) }
        var diff = ""
        for position in 0..<max(actual.count, testCase.expected.count) {
            let want = position < testCase.expected.count ? testCase.expected[position] : nil
            let got = position < actual.count ? actual[position] : nil
            let gotText = got.map { "\($0.alarmName) \($0.oldState.rawValue) -> \($0.newState.rawValue) at \($0.stateChangeTime.iso8601Z)" } ?? "(none)"
            let matches = want.flatMap { want in
                got.map { got in
                    got.alarmName == want.alarm && got.newState.rawValue == want.state
                        && (want.at.map { Timestamp(iso8601: $0) == got.stateChangeTime } ?? true)
                }
            } ?? false
            if !matches {
                let wantText = want.map { "\($0.alarm) -> \($0.state)" + ($0.at.map { " at \($0)" } ?? "") } ?? "(none)"
                diff += "  transition \(position + 1): expected \(wantText)\n                  got      \(gotText)\n"
            }
        }
        return diff.isEmpty ? nil : diff
    }
}
