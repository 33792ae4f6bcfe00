import Alarms
import ArgumentParser
import Dispatch
import Foundation
import Logging
import MetricFilters
import Notify
import StateStore
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

    @OptionGroup var alarmOptions: AlarmOptions

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
        let engine = try alarmOptions.engine(for: configuration, from: Self.now())
        // Every notification goes through the outbox sender: stdout is written at once, webhooks are
        // committed to the on-disk outbox before anything is sent, so none is lost across a crash.
        let store: StateStore
        do {
            store = try StateStore(directory: state.path)
        } catch {
            throw CLIError("error: cannot open the state directory '\(state.path)': \(error)\nCheck its permissions, or pass --state-dir.", status: .ioError)
        }
        let logger = Logger(label: "tripline")
        let notifierSet: NotifierSet
        do {
            notifierSet = try NotifierSet(destinations: configuration.destinations, logger: logger)
        } catch {
            throw CLIError("error: a destination cannot be set up:\n\(error)", status: .dataError)
        }
        let senderLock = try? store.trySenderLock()
        if senderLock == nil {
            StandardError.write("warning: another Tripline process is sending from \(state.path); webhook notifications wait in the outbox for it\n")
        }
        let sender = OutboxSender(outbox: store.outbox, notifiers: notifierSet.notifiers, logger: logger)
        let senderTask = Task { if senderLock != nil { await sender.run() } }
        let failure = FailureBox()
        let live = LiveRun(filterSet: FilterSet(configuration.filters), engine: engine, stateDirectory: state.path) { notification in
            do {
                try sender.submit(notification)
            } catch {
                failure.set("error: the outbox cannot be written, so the notification for \(notification.alarmName) was not accepted: \(error)")
            }
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
        // Evaluate what is due now, give deliveries a moment, then leave; what is not yet
        // delivered stays in the outbox for the next start.
        live.tick(now: Self.now())
        let done = DispatchSemaphore(value: 0)
        Task {
            senderTask.cancel()
            await senderTask.value
            if senderLock != nil {
                // Up to five seconds for what is queued; whichever finishes first cancels the other.
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { _ = await sender.runUntilSettled() }
                    group.addTask { try? await Task.sleep(for: .seconds(5)) }
                    await group.next()
                    group.cancelAll()
                }
            }
            await notifierSet.shutdown()
            done.signal()
        }
        done.wait()
        _ = signalSources
        _ = senderLock
        if let message = failure.message { throw CLIError(message, status: .ioError) }
    }

    static func now() -> Timestamp {
        Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
    }
}

/// The first fatal error seen by a callback, for the command to report.
final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var first: String?

    func set(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if first == nil {
            first = text
            StandardError.write(text + "\n")
        }
    }

    var message: String? {
        lock.lock()
        defer { lock.unlock() }
        return first
    }
}
