import Alarms
import ArgumentParser
import TriplineConfig
import TriplineCore
import TriplineRuntime

/// The alarm options `backtest` and `run` share, and the engine they build.
struct AlarmOptions: ParsableArguments {
    @Option(help: "How long late events are waited for: 300, 300s, 5m (default 5m).")
    var allowedLateness: DurationArgument = DurationArgument(argument: "300")!  // safe because: a valid literal

    @Flag(help: "Evaluate only at period ends, as CloudWatch does (no early alarm).")
    var noEarlyAlarm = false

    @Option(help: "The most metric series (metric × dimension values) kept; datapoints of further series are counted and dropped.")
    var maxSeries = 10_000

    @Option(help: "Region used in alarm ARNs.")
    var region = "us-east-1"

    @Option(help: "Account id used in alarm ARNs.")
    var account = "123456789012"

    /// The alarm engine for `configuration`, alarms existing from `from`.
    func engine(for configuration: Configuration, from: Timestamp?) throws(CLIError) -> AlarmEngine {
        let alarms = AlarmBuilder.alarms(
            for: configuration, account: AlarmAccount(region: region, accountID: account), earlyAlarm: !noEarlyAlarm)
        let settings = AlarmEngine.Configuration(allowedLateness: allowedLateness.seconds, from: from, maxSeries: maxSeries)
        do {
            let engine = try AlarmEngine(metricAlarms: alarms.metric, compositeAlarms: alarms.composite, configuration: settings)
            for warning in engine.warnings { StandardError.write("warning: \(warning)\n") }
            return engine
        } catch {
            throw CLIError(
                "error: the alarms cannot be evaluated:\n" + error.problems.map { "  \($0)" }.joined(separator: "\n"),
                status: .dataError)
        }
    }
}
