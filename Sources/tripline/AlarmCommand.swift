import ArgumentParser
import Foundation
import TriplineCore
import TriplineRuntime

/// `tripline alarm set-state`: forces an alarm's state for testing, like CloudWatch's SetAlarmState.
struct AlarmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alarm",
        abstract: "Work with alarms.",
        subcommands: [SetState.self]
    )

    struct SetState: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-state",
            abstract: "Force an alarm into a state, as CloudWatch's SetAlarmState does (for testing actions).",
            discussion: """
                The request is written to <state-dir>/set-state.ndjson. A running 'tripline run' with the same \
                --state-dir applies it within a second; 'tripline backtest' applies it when the replay reaches \
                --at (or at the start). A metric alarm returns to its computed state at its next evaluation.
                """
        )

        @Argument(help: "The alarm's name or ARN.")
        var name: String

        @Argument(help: "OK, ALARM or INSUFFICIENT_DATA.")
        var state: String

        @Option(help: "Why (becomes the notification's NewStateReason).")
        var reason: String

        @Option(help: "For backtest: the event time at which to apply it (ISO 8601).")
        var at: TimeArgument?

        @OptionGroup var stateDirectory: StateDirectoryOption

        func run() throws {
            guard let value = AlarmState(rawValue: state) else {
                throw CLIError("error: '\(state)' is not an alarm state.\nUse OK, ALARM or INSUFFICIENT_DATA.", status: .usage).reported()
            }
            do {
                try SetStateRequest.append(
                    SetStateRequest(
                        alarm: name, state: value, reason: reason, at: at?.timestamp,
                        requested: Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))),
                    stateDirectory: stateDirectory.path)
            } catch {
                throw CLIError("error: cannot write to the state directory '\(stateDirectory.path)': \(error)", status: .ioError).reported()
            }
        }
    }
}
