import ArgumentParser
import Foundation
import TriplineIngest

/// Options every subcommand that reads events shares: threads, line limit, progress.
struct IngestArguments: ParsableArguments {
    @Option(help: "Worker threads for file inputs (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Lines longer than this many bytes are counted as oversized and skipped (CloudWatch's limit is 256 KB).")
    var maxLineLength: Int = 262_144

    @Flag(inversion: .prefixedNo, help: "Show a progress bar on stderr (default: when stderr is a terminal).")
    var progress: Bool?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "notice"

    var debug: Bool { logLevel == "debug" || logLevel == "trace" }

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") }
        guard maxLineLength >= 1 else { throw ValidationError("--max-line-length must be at least 1.") }
        guard ["trace", "debug", "info", "notice", "warning", "error"].contains(logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error.")
        }
    }

    var options: IngestOptions {
        var options = IngestOptions()
        options.maxLineLength = maxLineLength
        return options
    }

    /// Expands the inputs, or explains which cannot be read (exit 66).
    func inputSet(_ inputs: [String]) throws(CLIError) -> InputSet {
        do {
            return try InputSet(arguments: inputs.isEmpty ? ["-"] : inputs)
        } catch {
            throw CLIError("error: \(error.description)\nCheck the paths, or pass - to read stdin.", status: .noInput)
        }
    }

    /// Runs `body` while a progress bar (if wanted) redraws in the background.
    func withProgress<R>(totalBytes: Int?, _ body: (ProgressCounters?) -> R) -> R {
        guard progress ?? ProgressReporter.standardErrorIsTerminal else { return body(nil) }
        let counters = ProgressCounters()
        // The reporter is used by the drawing thread only until `finish`, after that thread stopped.
        nonisolated(unsafe) let reporter = ProgressReporter(totalBytes: totalBytes, counters: counters)
        let done = StopFlag()
        let thread = Thread {
            while !done.isStopped {
                reporter.update()
                usleep(100_000)
            }
        }
        thread.start()
        let result = body(counters)
        done.stop()
        while thread.isExecuting { usleep(1_000) }
        reporter.finish()
        return result
    }
}
