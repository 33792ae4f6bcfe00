import Alarms
import ArgumentParser
import Foundation
import Logging
import TriplineIngest
import TriplineRuntime
import TriplineServer

/// `tripline run`: live mode, and the sidecar.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Read events live, evaluate alarms, send notifications; serve HTTP ingest as a sidecar.",
        discussion: """
            Reads stdin (or files; with --follow, like tail -F) and, with --listen, events POSTed to /ingest. \
            Without --follow or --listen it stops when the inputs end; otherwise it runs until SIGTERM or SIGINT. \
            Either way it then evaluates what is due, flushes the outbox for up to --shutdown-grace, writes a \
            final checkpoint and exits 0. SIGHUP (or POST /-/reload) reloads the config all-or-nothing. \
            Alarm states, windows, followed files' positions and the outbox live in --state-dir and survive \
            restarts, SIGKILL included. Notifications for stdout destinations are printed one JSON object per line.
            """
    )

    @OptionGroup var config: ConfigOptions
    @OptionGroup var ingest: IngestArguments
    @OptionGroup var state: StateDirectoryOption

    @Argument(help: "Files, folders or globs (with --follow); '-' reads stdin; none reads stdin unless --listen is given.")
    var inputs: [String] = []

    @Flag(help: "Keep reading files as they grow, rotate or appear (like tail -F).")
    var follow = false

    @Option(help: "Serve HTTP (POST /ingest, /metrics, /healthz, /readyz, /alarms) on PORT or HOST:PORT (a port alone binds 127.0.0.1).")
    var listen: String?

    @Option(help: "A file holding the bearer token POST /ingest and /-/reload require (or set TRIPLINE_INGEST_TOKEN).")
    var ingestTokenFile: String?

    @Option(help: "The largest request body POST /ingest takes (default 10MiB); larger ones get 413.")
    var maxBodySize: ByteSizeArgument = ByteSizeArgument(bytes: 10 << 20)

    @Option(help: "How many bytes of accepted events may wait to be read (default 256MiB); beyond it POST /ingest answers 429.")
    var spoolLimit: ByteSizeArgument = ByteSizeArgument(bytes: 256 << 20)

    @Option(help: "What moves the watermark: wall (the clock; live streams) or event (event time only, like backtest).")
    var clock: String = "wall"

    @Option(help: "Seconds between checkpoints of alarm state and input positions.")
    var checkpointInterval: Double = 1

    @Option(help: "Seconds the outbox gets to deliver at shutdown; the rest is kept for the next start.")
    var shutdownGrace: Double = 5

    @Option(help: "Log format on stderr: text or json.")
    var logFormat: String = "text"

    @OptionGroup var alarmOptions: AlarmOptions

    func validate() throws {
        guard LiveRun.Clock(rawValue: clock) != nil else { throw ValidationError("--clock must be wall or event.") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json.") }
        if let listen, ListenAddress(listen) == nil {
            throw ValidationError("--listen '\(listen)' is not PORT or HOST:PORT (for example 9880 or 0.0.0.0:9880).")
        }
        guard checkpointInterval > 0 else { throw ValidationError("--checkpoint-interval must be more than 0.") }
        guard shutdownGrace >= 0 else { throw ValidationError("--shutdown-grace must not be negative.") }
        if follow, inputs.isEmpty || inputs.contains("-") {
            throw ValidationError("--follow reads files, not stdin. Name the files, folders or globs to follow.")
        }
    }

    func run() throws {
        do throws(CLIError) {
            try live()
        } catch {
            throw error.reported()
        }
    }

    private func live() throws(CLIError) {
        let logger = bootstrapLogging()
        var options = SidecarOptions(
            configPaths: try config.configPaths(), parameters: try config.parameters(),
            engine: EngineSettings(
                allowedLateness: alarmOptions.allowedLateness.seconds, maxSeries: alarmOptions.maxSeries,
                account: AlarmAccount(region: alarmOptions.region, accountID: alarmOptions.account), earlyAlarm: !alarmOptions.noEarlyAlarm),
            stateDirectory: state.path)
        options.listen = listen.flatMap(ListenAddress.init)
        if follow {
            options.followed = inputs
        } else {
            options.inputs = inputs.isEmpty && options.listen == nil ? ["-"] : inputs
        }
        options.ingest = ingest.options
        options.ingestToken = try ingestToken()
        options.maxBodySize = maxBodySize.bytes
        options.spoolLimit = spoolLimit.bytes
        options.clock = LiveRun.Clock(rawValue: clock) ?? .wall
        options.checkpointInterval = checkpointInterval
        options.shutdownGrace = shutdownGrace
        do {
            let sidecar = try Sidecar(options: options, logger: logger)
            try sidecar.run()
        } catch {
            let status: ExitStatus
            switch error.kind {
            case .config: status = .dataError
            case .io: status = .ioError
            case .noInput: status = .noInput
            }
            throw CLIError(error.message.hasPrefix("error:") ? error.message : "error: " + error.message, status: status)
        }
    }

    /// The token from --ingest-token-file or TRIPLINE_INGEST_TOKEN; nil when neither is set.
    private func ingestToken() throws(CLIError) -> String? {
        if let ingestTokenFile {
            guard let text = try? String(contentsOfFile: ingestTokenFile, encoding: .utf8) else {
                throw CLIError("error: cannot read the token file '\(ingestTokenFile)'.\nCheck the path and its permissions.", status: .noInput)
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                throw CLIError("error: the token file '\(ingestTokenFile)' is empty.\nWrite the bearer token into it.", status: .dataError)
            }
            return token
        }
        if let token = ProcessInfo.processInfo.environment["TRIPLINE_INGEST_TOKEN"], !token.isEmpty { return token }
        return nil
    }

    /// Sets up swift-log for the whole process: --log-format and --log-level, on stderr.
    private func bootstrapLogging() -> Logger {
        let level = Logger.Level(rawValue: ingest.logLevel) ?? .notice
        let json = logFormat == "json"
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "tripline")
        logger.logLevel = level
        return logger
    }
}

/// A size in bytes: `1048576`, `512KiB`, `10MiB`, `1GiB` (or `KB`/`MB`/`GB`, also powers of 1024).
struct ByteSizeArgument: ExpressibleByArgument {
    var bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        let units: [(String, Int)] = [
            ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1 << 10), ("MB", 1 << 20), ("GB", 1 << 30),
            ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30),
        ]
        for (suffix, factor) in units where argument.hasSuffix(suffix) {
            guard let value = Int(argument.dropLast(suffix.count)), value > 0 else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            bytes = product
            return
        }
        guard let value = Int(argument), value > 0 else { return nil }
        bytes = value
    }

    var defaultValueDescription: String { "\(bytes)" }
}
