import ArgumentParser
import Foundation
import TriplineConfig

/// `--config` and `--parameter`, shared by every subcommand that reads a config.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "A Tripline file, describe-* output, CloudFormation template, or a folder of them (repeatable).",
            discussion: "Defaults to TRIPLINE_CONFIG (paths separated by ':').", valueName: "path"))
    var paths: [String] = []

    @Option(
        name: .customLong("parameter"),
        help: ArgumentHelp("Set a parameter: Name=Value (repeatable); also AWS::Region, AWS::AccountId.", valueName: "name=value"))
    var parameterAssignments: [String] = []

    /// The config paths, from the options or the environment.
    func configPaths() throws(CLIError) -> [String] {
        if !paths.isEmpty { return paths }
        if let environment = ProcessInfo.processInfo.environment["TRIPLINE_CONFIG"], !environment.isEmpty {
            return environment.split(separator: ":").map(String.init)
        }
        throw CLIError("error: no config given.\nPass --config PATH (a file or a folder), or set TRIPLINE_CONFIG.", status: .usage)
    }

    func parameters() throws(CLIError) -> [String: String] {
        try Self.parameters(parameterAssignments)
    }

    /// Parses `Name=Value` assignments.
    static func parameters(_ assignments: [String]) throws(CLIError) -> [String: String] {
        var values: [String: String] = [:]
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw CLIError("error: --parameter '\(assignment)' is not Name=Value.\nWrite for example --parameter TrailBucketName=my-trail-bucket.", status: .usage)
            }
            values[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        return values
    }

    /// Loads and checks the configs; prints every problem on stderr.
    /// - Throws: ``CLIError`` with status 65 when any problem is an error.
    func load(printWarnings: Bool = true) throws(CLIError) -> ConfigLoader.Result {
        let result = ConfigLoader(parameters: try parameters()).load(try configPaths())
        for problem in result.problems.problems where problem.severity == .error || printWarnings {
            StandardError.write(problem.description + "\n")
        }
        if result.problems.hasErrors {
            throw CLIError(
                "\(result.problems.errors.count) error(s) in the config; nothing was loaded. Fix them and run 'tripline check' again.",
                status: .dataError)
        }
        return result
    }
}
