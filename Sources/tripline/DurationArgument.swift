import ArgumentParser
import TriplineCore

/// A duration written `300`, `300s`, `5m` or `1h` (cli.md).
struct DurationArgument: ExpressibleByArgument {
    var seconds: Int

    init?(argument: String) {
        let units: [(String, Int)] = [("h", 3600), ("m", 60), ("s", 1)]
        for (suffix, factor) in units where argument.hasSuffix(suffix) {
            guard let value = Int(argument.dropLast()), value >= 0 else { return nil }
            seconds = value * factor
            return
        }
        guard let value = Int(argument), value >= 0 else { return nil }
        seconds = value
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

/// An ISO 8601 time (`2024-01-01T00:00:00Z`).
struct TimeArgument: ExpressibleByArgument {
    var timestamp: Timestamp

    init?(argument: String) {
        guard let value = Timestamp(iso8601: argument) else { return nil }
        timestamp = value
    }
}

/// `--state-dir`, shared by run, backtest, alarm and outbox.
struct StateDirectoryOption: ParsableArguments {
    @Option(help: "Where Tripline keeps its state (default ./.tripline, or TRIPLINE_STATE_DIR).")
    var stateDir: String?

    var path: String {
        stateDir ?? ProcessInfoShim.environment("TRIPLINE_STATE_DIR") ?? "./.tripline"
    }
}
