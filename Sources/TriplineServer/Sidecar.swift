public import Alarms
import Dispatch
import Foundation
public import Logging
import MetricFilters
import Notify
import StateStore
import TriplineConfig
import TriplineCore
import TriplineIngest
import TriplineRuntime

/// `tripline run`, whole: inputs (stdin, files, followed files, `POST /ingest`), the live run, the
/// outbox sender, checkpoints, reload and graceful shutdown.
///
/// Threads: one *driver* thread polls followed files and the HTTP spool, moves the clock and writes
/// checkpoints, so that a checkpoint's positions always match the state it saves; inputs read once
/// (stdin, plain files) have a reader thread of their own. The HTTP server and the sender are tasks.
public final class Sidecar: @unchecked Sendable {
    let options: SidecarOptions
    let logger: Logger
    let store: StateStore
    let live: LiveRun
    let spool: IngestSpool?
    let senders: SenderBox
    let status = SidecarStatus()
    let metrics: MetricsExporter
    private let restored: SidecarCheckpoint?
    private let stopFlag = StopFlag()
    private let stopped = DispatchSemaphore(value: 0)
    private let reloadLock = NSLock()
    private var senderLock: SenderLock?

    /// Loads the config, opens the state directory and restores the last checkpoint.
    /// - Throws: ``SidecarStartError`` saying what failed, with the exit status it calls for.
    public init(options: SidecarOptions, logger: Logger) throws(SidecarStartError) {
        self.options = options
        self.logger = logger
        let config: LiveConfig
        do {
            config = try LiveConfig.load(
                paths: options.configPaths, parameters: options.parameters, settings: options.engine, from: Self.alarmsExist(options))
        } catch {
            throw SidecarStartError(.config, error.description + "\nFix them and run 'tripline check' again.")
        }
        for warning in config.warnings { logger.warning("ConfigWarning: \(warning)") }
        do {
            store = try StateStore(directory: options.stateDirectory)
        } catch {
            throw SidecarStartError(.io, "cannot open the state directory '\(options.stateDirectory)': \(error)\nCheck its permissions, or pass --state-dir.")
        }
        var checkpoint: SidecarCheckpoint?
        do {
            if let (saved, savedAt) = try SidecarCheckpoint.load(from: store) {
                checkpoint = saved
                logger.info("CheckpointRestored", metadata: ["checkpoint.saved_at": "\(savedAt)"])
            }
        } catch {
            logger.error(
                "CheckpointUnreadable: starting with fresh alarm states; inputs are read from the start",
                metadata: ["error": "\(error)"])
        }
        restored = checkpoint
        let notifierSet: NotifierSet
        do {
            notifierSet = try NotifierSet(destinations: config.configuration.destinations, logger: logger)
        } catch {
            throw SidecarStartError(.config, "a destination cannot be set up:\n\(error)")
        }
        senderLock = try? store.trySenderLock()
        if senderLock == nil {
            logger.warning("another Tripline process is sending from \(options.stateDirectory); webhook notifications wait in the outbox for it")
        }
        let senders = SenderBox(
            outbox: store.outbox, notifiers: notifierSet, destinations: config.configuration.destinations, sends: senderLock != nil,
            logger: logger)
        self.senders = senders
        live = LiveRun(
            filterSet: config.filterSet, engine: config.engine, stateDirectory: options.stateDirectory, clock: options.clock,
            restoring: checkpoint?.live
        ) { notification in senders.submit(notification) }
        if options.listen != nil {
            do {
                spool = try IngestSpool(
                    directory: options.stateDirectory + "/spool", limit: options.spoolLimit, maxLineLength: options.ingest.maxLineLength,
                    resumeAt: checkpoint?.spool)
            } catch {
                throw SidecarStartError(.io, "\(error)\nCheck the state directory's permissions and free space.")
            }
        } else {
            spool = nil
        }
        metrics = MetricsExporter()
        status.configLoaded(at: Clocks.now())
    }

    /// Runs until the inputs end (when nothing is followed or served) or a stop is requested, then
    /// shuts down gracefully. Blocks the calling thread.
    /// - Throws: ``SidecarStartError`` when the server cannot listen or an input cannot be read;
    ///   the outbox failure that stopped the run, if one did.
    public func run() throws(SidecarStartError) {
        let inputSet: InputSet
        do {
            inputSet = try InputSet(arguments: options.inputs)
        } catch {
            throw SidecarStartError(.noInput, "\(error.description)\nCheck the paths, or pass - to read stdin.")
        }
        senders.start()
        let server = options.listen.map { SidecarServer(sidecar: self, address: $0) }
        if let server {
            do {
                try server.start()
            } catch {
                throw SidecarStartError(.io, "cannot listen on \(options.listen!): \(error)\nPick another address with --listen.")  // safe because: server exists only with an address
            }
        }
        let signals = installSignalHandlers()
        // Files are read by the driver (their positions are checkpointed, so a restart does not read
        // them again); stdin, which cannot be resumed, by a thread of its own.
        let stdin = inputSet.inputs.filter { $0.source == .standardInput }
        let files = inputSet.inputs.filter { $0.source != .standardInput }.map(\.name)
        let pending = PendingReaders(count: (stdin.isEmpty ? 0 : 1) + (files.isEmpty ? 0 : 1)) { [self] in
            if !options.keepRunning { requestStop() }
        }
        let driverDone = DispatchSemaphore(value: 0)
        let driver = Thread { [self] in
            drive(files: files, filesDone: pending.done)
            driverDone.signal()
        }
        driver.stackSize = 8 << 20
        driver.start()
        if !stdin.isEmpty {
            let reader = Thread { [self] in
                readOnce(InputSet(inputs: stdin))
                pending.done()
            }
            reader.stackSize = 8 << 20
            reader.start()
        } else if files.isEmpty, !options.keepRunning {
            requestStop()
        }
        // The signal sources must outlive the wait (a release build may free an unused value early).
        withExtendedLifetime(signals) { stopped.wait() }
        logger.notice("ShutdownStarted: no new input is read; evaluating what is due and writing the final checkpoint")
        spool?.stop()
        status.stopping()
        driverDone.wait()
        let done = DispatchSemaphore(value: 0)
        let grace = options.shutdownGrace
        Task {
            await server?.stop()
            await senders.shutdown(grace: grace)
            done.signal()
        }
        done.wait()
        logger.notice("ShutdownFinished")
        if let failure = senders.firstFailure { throw SidecarStartError(.io, "error: \(failure)") }
    }

    /// Asks the run to stop (SIGTERM, SIGINT, the end of the inputs).
    public func requestStop() {
        guard !stopFlag.isStopped else { return }
        stopFlag.stop()
        stopped.signal()
    }

    /// Loads the config again and swaps it in whole, or keeps the old one and says why.
    @discardableResult
    public func reload() -> Result<AlarmEngine.RestoreReport, SidecarError> {
        reloadLock.lock()
        defer { reloadLock.unlock() }
        let now = Clocks.now()
        let config: LiveConfig
        do {
            config = try LiveConfig.load(
                paths: options.configPaths, parameters: options.parameters, settings: options.engine, from: Self.alarmsExist(options))
            try senders.update(destinations: config.configuration.destinations)
        } catch {
            let message = (error as? LiveConfigError)?.description ?? "a destination cannot be set up: \(error)"
            status.reloadFailed(at: now, message: message)
            logger.error("ConfigReloadFailed: the previous config stays in force", metadata: ["error": "\(message)"])
            return .failure(SidecarError(message))
        }
        for warning in config.warnings { logger.warning("ConfigWarning: \(warning)") }
        let report = live.reload(filterSet: config.filterSet, engine: config.engine)
        status.reloadSucceeded(at: now)
        logger.notice(
            "ConfigReloaded",
            metadata: [
                "alarms.kept": "\(report.restoredAlarms.count)", "alarms.reset": "\(report.resetAlarms.count)",
                "alarms.removed": "\(report.removedAlarms.count)",
            ])
        return .success(report)
    }

    /// When alarms start to exist: on the wall clock, now (as CloudWatch: metric filters are not
    /// retroactive); on event time, from the earliest event read, as in `backtest`.
    private static func alarmsExist(_ options: SidecarOptions) -> Timestamp? {
        options.clock == .wall ? Clocks.now() : nil
    }

    // MARK: - Threads

    /// The driver loop: files, followed files, the spool, the clock and checkpoints, until stopped.
    private func drive(files: [String], filesDone: () -> Void) {
        let tailer = options.followed.isEmpty
            ? nil : Tailer(paths: options.followed, options: options.ingest, resumeFrom: restored?.files ?? [])
        let once = files.isEmpty ? nil : Tailer(paths: files, options: options.ingest, resumeFrom: restored?.files ?? [])
        let tailers = [tailer, once].compactMap { $0 }
        let workers = SpoolWorkers(live: live, count: max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)))
        let batch = EventBatch(live: live)
        let consume: (UnsafeRawBufferPointer, EventReference) -> Void = { line, source in batch.add(line, source) }
        // Oversized lines each tailer skipped, per path, already passed on to the run's counters
        // (one table per tailer: a path may be both followed and read once).
        var reportedOversized: [ObjectIdentifier: [String: Int]] = [:]
        let reportOversized = { [live] (tailer: Tailer) in
            var reported = reportedOversized[ObjectIdentifier(tailer), default: [:]]
            for (path, counters) in tailer.counters where counters.oversizedLines > reported[path, default: 0] {
                live.noteOversized(input: path, count: counters.oversizedLines - reported[path, default: 0])
                reported[path] = counters.oversizedLines
            }
            reportedOversized[ObjectIdentifier(tailer)] = reported
        }
        // Read what waited while Tripline was down before the clock moves, so a restart sees the
        // same order of events and time as an uninterrupted run.
        tailer?.poll(consume)
        batch.flush()
        if let tailer { reportOversized(tailer) }
        if let spool { while !stopFlag.isStopped, readSpool(spool, workers: workers, maxBytes: 64 << 20) > 0 {} }
        status.inputsAttached()
        if let once {
            once.readToEnd(consume)
            batch.flush()
            reportOversized(once)
            for problem in once.takeProblems() { logger.warning("InputProblem: \(problem.description)") }
            checkpoint(tailers)
            filesDone()
        }
        var nextPoll = Date()
        var nextCheckpoint = Date(timeIntervalSinceNow: options.checkpointInterval)
        var nextTick = Date()
        while !stopFlag.isStopped {
            var busy = false
            let now = Date()
            if let tailer, now >= nextPoll {
                tailer.poll(consume)
                batch.flush()
                reportOversized(tailer)
                for problem in tailer.takeProblems() { logger.warning("InputProblem: \(problem.description)") }
                nextPoll = now.addingTimeInterval(0.25)
            }
            if let spool, readSpool(spool, workers: workers, maxBytes: 8 << 20) > 0 { busy = true }
            if now >= nextTick {
                live.tick(now: Clocks.now())
                nextTick = now.addingTimeInterval(0.25)
            }
            if now >= nextCheckpoint {
                checkpoint(tailers)
                nextCheckpoint = Date(timeIntervalSinceNow: options.checkpointInterval)
            }
            if !busy {
                let wait = max(0.001, min(nextTick.timeIntervalSinceNow, tailer == nil ? 0.25 : nextPoll.timeIntervalSinceNow))
                if let spool { _ = spool.waitForData(timeout: wait) } else { Tailer.sleep(.milliseconds(Int(wait * 1000))) }
            }
        }
        // Graceful stop: what is due is evaluated, then the final checkpoint is written.
        live.tick(now: Clocks.now())
        checkpoint(tailers)
    }


    /// Reads up to `maxBytes` from the spool: a chunk per worker is matched in parallel, then the
    /// chunks go to the alarm engine in order.
    private func readSpool(_ spool: IngestSpool, workers: SpoolWorkers, maxBytes: Int) -> Int {
        var total = 0
        while total < maxBytes {
            var chunks: [IngestSpool.Chunk] = []
            for index in 0..<workers.count {
                guard let chunk = spool.readChunk(into: workers.buffers[index]) else { break }
                chunks.append(chunk)
                total += chunk.bytes
            }
            if chunks.isEmpty { break }
            let now = Clocks.now()
            let maxLineLength = options.ingest.maxLineLength
            let live = self.live
            let ready = chunks
            let prepare: @Sendable (Int) -> Void = { index in
                let chunk = ready[index]
                workers.results[index] = workers.matchers[index].prepare(
                    UnsafeRawBufferPointer(rebasing: workers.buffers[index][0..<chunk.length]), input: "http",
                    firstLine: chunk.firstLine + chunk.oversized, offset: chunk.offset, now: now, run: live, maxLineLength: maxLineLength)
                workers.results[index]?.oversized += chunk.oversized
            }
            if chunks.count == 1 { prepare(0) } else { DispatchQueue.concurrentPerform(iterations: chunks.count, execute: prepare) }
            live.consume((0..<ready.count).compactMap { workers.results[$0] }, now: now)
        }
        return total
    }

    /// Inputs read once: stdin and plain files, in order.
    private func readOnce(_ inputSet: InputSet) {
        let reader = InputReader(options: options.ingest, progress: nil)
        let batch = EventBatch(live: live)
        // What one read gave goes to the engine before the next read, which may wait on a pipe.
        reader.afterEachRead = { batch.flush() }
        for (index, input) in inputSet.inputs.enumerated() where !stopFlag.isStopped {
            let report = reader.read(WorkUnit(inputIndex: index, input: input)) { line, source in batch.add(line, source) }
            batch.flush()
            live.noteOversized(input: input.name, count: report.counters.oversizedLines)
            for problem in report.problems { logger.warning("InputProblem: \(problem.description)") }
        }
    }

    /// Saves the live state with the input positions it matches; then drops spooled bytes it covers.
    /// Positions of inputs this run does not use (no files, no spool) are carried over from the last
    /// checkpoint, so a later run that uses them again does not read them twice.
    private func checkpoint(_ tailers: [Tailer]) {
        let position = spool?.position
        let files = tailers.isEmpty ? restored?.files ?? [] : tailers.flatMap(\.positions)
        let checkpoint = SidecarCheckpoint(live: live.state, files: files, spool: position ?? restored?.spool)
        do {
            try checkpoint.save(to: store, now: Clocks.now())
            status.checkpointed(at: Clocks.now())
            if let spool, let position { spool.discard(before: position) }
        } catch {
            status.checkpointFailed()
            logger.error("CheckpointFailed: the previous checkpoint stays; a restart would read again from it", metadata: ["error": "\(error)"])
        }
    }

    private func installSignalHandlers() -> [any DispatchSourceSignal] {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            if number == SIGHUP {
                source.setEventHandler { [self] in
                    logger.notice("ConfigReloadRequested", metadata: ["signal": "SIGHUP"])
                    reload()
                }
            } else {
                source.setEventHandler { [self] in
                    logger.notice("SignalReceived", metadata: ["signal": number == SIGINT ? "SIGINT" : "SIGTERM"])
                    requestStop()
                }
            }
            source.resume()
            sources.append(source)
        }
        return sources
    }
}

/// Counts the readers of inputs read once; the last one to finish calls `allDone`.
final class PendingReaders: @unchecked Sendable {
    private let lock = NSLock()
    private var count: Int
    private let allDone: () -> Void

    init(count: Int, allDone: @escaping () -> Void) {
        self.count = count
        self.allDone = allDone
    }

    func done() {
        lock.lock()
        count -= 1
        let last = count == 0
        lock.unlock()
        if last { allDone() }
    }
}

/// The spool's matching workers: a buffer, a matcher and a result slot each, used by one thread at a time
/// (worker `i` touches slot `i` only; the driver reads the slots after the workers finished).
final class SpoolWorkers: @unchecked Sendable {
    let count: Int
    let buffers: [UnsafeMutableRawBufferPointer]
    let matchers: [LiveMatcher]
    let slots: UnsafeMutableBufferPointer<PreparedChunk?>

    init(live: LiveRun, count: Int) {
        self.count = count
        buffers = (0..<count).map { _ in .allocate(byteCount: 1 << 20, alignment: 16) }
        matchers = (0..<count).map { _ in LiveMatcher(live) }
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    var results: UnsafeMutableBufferPointer<PreparedChunk?> { slots }

    deinit {
        for buffer in buffers { buffer.deallocate() }
        slots.deinitialize()
        slots.deallocate()
    }
}

/// Why the sidecar could not start or run, with the exit status that fits (cli.md).
public struct SidecarStartError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case config, io, noInput }
    public var kind: Kind
    public var message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}

/// The wall clock as Tripline's `Timestamp`.
enum Clocks {
    static func now() -> Timestamp {
        Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
    }
}
