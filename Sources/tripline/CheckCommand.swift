import ArgumentParser
import TriplineConfig

/// `tripline check`: validates configs and packs, reporting every problem at once.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate configs and filter packs: every problem at once, with file:line:column.",
        discussion: "Exit status: 0 when valid (warnings allowed), 65 when any error was found, 64 for bad usage."
    )

    @OptionGroup var config: ConfigOptions

    func run() throws {
        do throws(CLIError) {
            let paths = try config.configPaths()
            let result = ConfigLoader(parameters: try config.parameters()).load(paths)
            for problem in result.problems.problems {
                StandardError.write(problem.description + "\n")
            }
            let configuration = result.configuration
            let errors = result.problems.errors.count, warnings = result.problems.warnings.count
            var summary = "checked \(configuration.files.count) file(s): \(configuration.metricFilters.count) metric filter(s), "
            summary += "\(configuration.metricAlarms.count) metric alarm(s), \(configuration.compositeAlarms.count) composite alarm(s), "
            summary += "\(configuration.destinations.count) destination(s); \(errors) error(s), \(warnings) warning(s)"
            if !configuration.ignoredResources.isEmpty {
                summary += "; ignored CloudFormation resources: \(configuration.ignoredResources.joined(separator: ", "))"
            }
            var out = StandardOutput()
            out.write(summary + "\n")
            out.flush()
            if errors > 0 { throw CLIError("", status: .dataError) }
        } catch {
            throw error.reported()
        }
    }
}
