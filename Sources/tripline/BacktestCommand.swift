import Alarms
import ArgumentParser
import Foundation
import MetricFilters
import TriplineConfig
import TriplineCore
import TriplineIngest
import TriplineRuntime

/// `tripline backtest`: replays archives through filters and alarms in event time.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Replay archives through the metric filters and alarms in event time; print every transition.",
        discussion: """
            Prints one CloudWatch SNS notification JSON (with Tripline's evidence under "Tripline") per alarm \
            transition, in order of StateChangeTime then alarm name. The same input and config give the same \
            output whatever --threads is.
            Exit status: 0; 1 with --fail-on-alarm when an alarm entered ALARM; 65 invalid config; 66 unreadable input.
            """
    )

    @OptionGroup var config: ConfigOptions
    @OptionGroup var ingest: IngestArguments
    @OptionGroup var state: StateDirectoryOption

    @Argument(help: "Files or folders of CloudTrail events; '-' or none reads stdin.")
    var inputs: [String] = []

    @Option(help: ArgumentHelp("Write counts as JSON to FILE ('-' for stderr).", valueName: "file"))
    var summary: String?

    @Option(help: "Only events at or after this time (ISO 8601).")
    var from: TimeArgument?

    @Option(help: "Only events before this time (ISO 8601).")
    var to: TimeArgument?

    @OptionGroup var alarmOptions: AlarmOptions

    @Flag(help: "Exit 1 when any alarm entered ALARM.")
    var failOnAlarm = false

    func run() throws {
        do throws(CLIError) {
            try backtest()
        } catch {
            throw error.reported()
        }
    }

    private func backtest() throws(CLIError) {
        let loaded = try config.load(printWarnings: ingest.debug)
        let configuration = loaded.configuration
        let engine = try alarmOptions.engine(for: configuration, from: from?.timestamp)
        let set = FilterSet(configuration.filters)
        let inputSet = try ingest.inputSet(inputs)
        var options = BacktestRun.Options(now: Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)))
        options.from = from?.timestamp
        options.to = to?.timestamp
        options.allowedLateness = alarmOptions.allowedLateness.seconds
        options.earlyAlarm = !alarmOptions.noEarlyAlarm
        options.setStateRequests = SetStateRequest.read(stateDirectory: state.path).0
        var backtest = BacktestRun(filterSet: set, engine: engine, options: options)
        let start = ContinuousClock.now
        let plan = WorkPlanning.plan(inputSet, options: ingest.options)
        let (transitions, counts) = ingest.withProgress(totalBytes: inputSet.totalFileBytes) { progress in
            backtest.run(plan, threads: ingest.threads, ingest: ingest.options, progress: progress)
        }
        let seconds = (ContinuousClock.now - start).seconds
        for problem in InputProblem.distinct(counts.problems) { StandardError.write("warning: \(problem.description)\n") }
        for alarm in counts.unknownSetStateAlarms { StandardError.write("warning: set-state names no alarm '\(alarm)'\n") }
        var out = StandardOutput()
        for transition in transitions {
            out.write(transition.notification.message)
            out.write([0x0A])
        }
        out.flush()
        if let summary { try writeSummary(counts, filters: set, seconds: seconds, to: summary) }
        if failOnAlarm, transitions.contains(where: { $0.newState == .alarm }) {
            throw CLIError("", status: .testsFailed)
        }
    }

    private func writeSummary(_ counts: BacktestRun.Summary, filters: FilterSet, seconds: Double, to path: String) throws(CLIError) {
        var object: [String: Any] = [
            "events": counts.events,
            "datapoints": counts.datapoints,
            "datapointsWithoutDimension": counts.datapointsWithoutDimension,
            "valuesUnparseable": counts.valuesUnparseable,
            "lateDatapoints": counts.counters.lateDatapointsAccepted,
            "droppedDatapoints": counts.counters.lateDatapointsDropped,
            "seriesOverflowDatapoints": counts.counters.seriesOverflowDatapoints,
            "eventsWithoutTime": counts.eventsWithoutTime,
            "eventsWithImplausibleTime": counts.eventsWithImplausibleTime,
            "eventsOutsideRange": counts.eventsOutsideRange,
            "transitions": counts.transitionsPerAlarm,
            "seconds": (seconds * 1000).rounded() / 1000,
        ]
        var matches: [String: Int] = [:]
        for (index, filter) in filters.filters.enumerated() { matches[filter.filterName] = counts.matches[index] }
        object["matches"] = matches
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return }
        data.append(0x0A)
        if path == "-" {
            StandardError.write(String(decoding: data, as: UTF8.self))
        } else if !FileManager.default.createFile(atPath: path, contents: data) {
            throw CLIError("error: cannot write the summary to '\(path)'.", status: .ioError)
        }
    }
}
