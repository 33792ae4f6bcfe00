import Alarms
import ArgumentParser
import Dispatch
import Foundation
import MetricFilters
import TriplineConfig
import TriplineCore
import TriplineIngest
import TriplineRuntime

/// `tripline run`: live mode.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Read events live, evaluate alarms on the wall clock, and send notifications.",
        discussion: """
            Reads stdin (or files; with --follow, like tail -F) until the input ends or SIGINT/SIGTERM \
            arrives, then evaluates what is due and exits 0. Notifications for stdout destinations are \
            printed one JSON object per line.
            """
    )

    @OptionGroup var config: ConfigOptions
    @OptionGroup var ingest: IngestArguments
    @OptionGroup var state: StateDirectoryOption

    @Argument(help: "Files, folders or globs (with --follow); '-' or none reads stdin.")
    var inputs: [String] = []

    @Flag(help: "Keep reading files as they grow, rotate or appear (like tail -F).")
    var follow = false

    @Option(help: "How long late events are waited for: 300, 300s, 5m (default 5m).")
    var allowedLateness: DurationArgument = DurationArgument(argument: "300")!  // safe because: a valid literal

    @Flag(help: "Evaluate only at period ends, as CloudWatch does (no early alarm).")
    var noEarlyAlarm = false

    @Option(help: "Region used in alarm ARNs.")
    var region = "us-east-1"

    @Option(help: "Account id used in alarm ARNs.")
    var account = "123456789012"

    func run() throws {
        do throws(CLIError) {
            try live()
        } catch {
            throw error.reported()
        }
    }

    private func live() throws(CLIError) {
        let loaded = try config.load(printWarnings: ingest.debug)
        let configuration = loaded.configuration
        let alarms = AlarmBuilder.alarms(
            for: configuration, account: AlarmAccount(region: region, accountID: account), earlyAlarm: !noEarlyAlarm)
        let engine: AlarmEngine
        do {
            engine = try AlarmEngine(
                metricAlarms: alarms.metric, compositeAlarms: alarms.composite,
                configuration: AlarmEngine.Configuration(allowedLateness: allowedLateness.seconds, from: Self.now()))
        } catch {
            throw CLIError("error: the alarms cannot be evaluated:\n" + error.problems.map { "  \($0)" }.joined(separator: "\n"), status: .dataError)
        }
        let stdoutDestinations = Set(configuration.destinations.filter { $0.kind == .stdout }.map(\.name))
        let output = OutputLock()
        let live = LiveRun(filterSet: FilterSet(configuration.filters), engine: engine, stateDirectory: state.path) { notification in
            guard notification.destinations.contains(where: stdoutDestinations.contains) else { return }
            output.write(notification.message + [0x0A])
        }
        // Followed paths may not exist yet (a glob, a file a collector will create).
        let followPaths = inputs.isEmpty ? ["-"] : inputs
        let inputSet = follow ? InputSet(inputs: []) : try ingest.inputSet(inputs)
        if follow, followPaths.contains("-") {
            throw CLIError("error: --follow reads files, not stdin.\nName the files, folders or globs to follow.", status: .usage)
        }
        let stop = StopFlag()
        let finished = DispatchSemaphore(value: 0)
        // The wall clock moves the watermark even when no events arrive.
        let ticker = Thread {
            while !stop.isStopped {
                live.tick(now: Self.now())
                usleep(250_000)
            }
        }
        ticker.start()
        var signalSources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { stop.stop(); finished.signal() }
            source.resume()
            signalSources.append(source)
        }
        let options = ingest.options
        let follow = self.follow
        let reader = Thread {
            if follow {
                let tailer = Tailer(paths: followPaths, options: options)
                tailer.run(every: .milliseconds(250), stop: stop) { line, source in
                    live.consume(line, source: source, now: Self.now())
                }
            } else {
                let reader = InputReader(options: options, progress: nil)
                for (index, input) in inputSet.inputs.enumerated() where !stop.isStopped {
                    let report = reader.read(WorkUnit(inputIndex: index, input: input)) { line, source in
                        live.consume(line, source: source, now: Self.now())
                    }
                    for problem in report.problems { StandardError.write("warning: \(problem.description)\n") }
                }
            }
            finished.signal()
        }
        reader.start()
        finished.wait()
        stop.stop()
        // Evaluate what is due now, then leave.
        live.tick(now: Self.now())
        output.flush()
        _ = signalSources
    }

    static func now() -> Timestamp {
        Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
    }
}

/// Serialises writes to stdout and flushes each one, so a notification leaves at once.
final class OutputLock: @unchecked Sendable {
    private let lock = NSLock()

    func write(_ bytes: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        FileDescriptorWriter.writeAll(bytes, to: 1)
    }

    func flush() {}
}
