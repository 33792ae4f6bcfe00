import ArgumentParser
import Foundation
import TriplineConfig
import TriplineRuntime

/// `tripline test`: runs the tests that live beside filters (`tests.yaml`).
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the tests beside filter packs (tests.yaml, *.tests.yaml).",
        discussion: "Exit status: 0 when every test passed, 1 when any failed or a test file or its config is invalid."
    )

    @Argument(help: "Test files or folders to search for them (default: the current folder).")
    var paths: [String] = ["."]

    @Option(help: ArgumentHelp("Write a JUnit XML report for CI.", valueName: "file"))
    var junit: String?

    @Option(name: .customLong("parameter"), help: ArgumentHelp("Override a parameter: Name=Value (repeatable).", valueName: "name=value"))
    var parameterAssignments: [String] = []

    func run() throws {
        do throws(CLIError) {
            try runTests()
        } catch {
            throw error.reported()
        }
    }

    private func runTests() throws(CLIError) {
        let overrides = try ConfigOptions.parameters(parameterAssignments)
        let files = RuleTestSuite.discover(paths)
        guard !files.isEmpty else {
            throw CLIError("error: no test files (tests.yaml, *.tests.yaml) under \(paths.joined(separator: ", ")).", status: .testsFailed)
        }
        var out = StandardOutput()
        var report = JUnitReport()
        var passed = 0, failed = 0
        for file in files {
            let (suite, problems) = RuleTestSuite.read(file)
            var suiteReport = JUnitReport.Suite(name: file)
            guard let suite, !problems.hasErrors else {
                for problem in problems.problems { out.write(problem.description + "\n") }
                out.write("FAIL \(file): the test file is invalid\n")
                suiteReport.cases.append(.init(name: "load \(file)", failure: problems.problems.map(\.description).joined(separator: "\n")))
                report.suites.append(suiteReport)
                failed += 1
                continue
            }
            var parameters = suite.parameters
            for (key, value) in overrides { parameters[key] = value }
            let loaded = ConfigLoader(parameters: parameters).load(suite.configPaths)
            if loaded.problems.hasErrors {
                for problem in loaded.problems.errors { out.write(problem.description + "\n") }
                out.write("FAIL \(file): its config (\(suite.configPaths.joined(separator: ", "))) is invalid\n")
                suiteReport.cases.append(.init(name: "config of \(file)", failure: loaded.problems.errors.map(\.description).joined(separator: "\n")))
                report.suites.append(suiteReport)
                failed += 1
                continue
            }
            for result in RuleTestRunner().run(suite, filters: loaded.configuration.filters) {
                if result.passed {
                    passed += 1
                    suiteReport.cases.append(.init(name: result.testCase.name, failure: nil))
                    continue
                }
                failed += 1
                let text = Self.describe(result)
                out.write("FAIL \(result.testCase.location) \"\(result.testCase.name)\"\n\(text)")
                suiteReport.cases.append(.init(name: result.testCase.name, failure: text))
            }
            for alarmCase in suite.alarmCases {
                if let diff = AlarmTestRunner.run(alarmCase, configuration: loaded.configuration) {
                    failed += 1
                    out.write("FAIL \(alarmCase.location) \"\(alarmCase.name)\"\n\(diff)")
                    suiteReport.cases.append(.init(name: alarmCase.name, failure: diff))
                } else {
                    passed += 1
                    suiteReport.cases.append(.init(name: alarmCase.name, failure: nil))
                }
            }
            report.suites.append(suiteReport)
            out.write("\(failed == 0 ? "ok" : "..") \(file): \(suite.cases.count + suite.alarmCases.count) test(s)\n")
        }
        out.write("\(passed + failed) test(s): \(passed) passed, \(failed) failed\n")
        out.flush()
        if let junit {
            do {
                try report.xml().write(toFile: junit, atomically: true, encoding: .utf8)
            } catch {
                throw CLIError("error: cannot write the JUnit report to '\(junit)': \(error.localizedDescription)", status: .ioError)
            }
        }
        if failed > 0 { throw CLIError("", status: .testsFailed) }
    }

    /// The diff of one failing case: what was expected and what happened, per event.
    static func describe(_ result: RuleTestRunner.CaseResult) -> String {
        var text = ""
        for failure in result.failures {
            let prefix = result.testCase.events.count > 1 ? "  event \(failure.eventIndex + 1):\n" : ""
            text += prefix
            for name in failure.missed { text += "  - \(name)   expected to match, did not\n" }
            for name in failure.unexpected { text += "  + \(name)   expected not to match, matched\n" }
            for name in failure.unknown { text += "  ? \(name)   no filter has this name in the config\n" }
        }
        return text
    }
}

/// A minimal JUnit XML report, as CI systems read it.
struct JUnitReport {
    struct Case {
        var name: String
        var failure: String?
    }

    struct Suite {
        var name: String
        var cases: [Case] = []
    }

    var suites: [Suite] = []

    func xml() -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        for suite in suites {
            let failures = suite.cases.filter { $0.failure != nil }.count
            xml += "  <testsuite name=\"\(Self.escape(suite.name))\" tests=\"\(suite.cases.count)\" failures=\"\(failures)\">\n"
            for testCase in suite.cases {
                xml += "    <testcase classname=\"\(Self.escape(suite.name))\" name=\"\(Self.escape(testCase.name))\""
                if let failure = testCase.failure {
                    xml += ">\n      <failure message=\"expectation failed\">\(Self.escape(failure))</failure>\n    </testcase>\n"
                } else {
                    xml += "/>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default:
                if scalar.value < 0x20, scalar != "\n", scalar != "\t", scalar != "\r" { result += "?" } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }
}
