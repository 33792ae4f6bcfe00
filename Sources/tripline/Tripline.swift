import ArgumentParser

/// The `tripline` command: real-time CloudWatch Logs metric filters and alarms for CloudTrail.
@main
struct Tripline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tripline",
        abstract: "CloudWatch Logs metric filters and alarms for CloudTrail, off AWS and in real time.",
        version: "0.1.0",
        subcommands: [
            AlarmCommand.self, BacktestCommand.self, CheckCommand.self, CountCommand.self, OutboxCommand.self, RunCommand.self,
            TestCommand.self,
            TestPatternCommand.self,
            ValidateLogsCommand.self,
        ]
    )
}
