import ArgumentParser
import FilterPattern
import MetricFilters
import TriplineCore

/// `tripline test-pattern`: what `aws logs test-metric-filter` answers, for any number of lines.
struct TestPatternCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-pattern",
        abstract: "Test a CloudWatch Logs filter pattern on log events, one per line.",
        discussion: """
            Reads the FILEs in order (or stdin when none is given, or for '-') and prints what \
            'aws logs test-metric-filter' returns: {"matches":[{"eventNumber":N,"eventMessage":"...",\
            "extractedValues":{...}}]}. eventNumber counts lines from 1 across all inputs.
            With --output ndjson it prints one {"eventNumber":N,"match":true|false,"value":X} per line, \
            where value is the datapoint the event yields.
            Exit status: 0 for a valid pattern (matches or not), 65 for an invalid pattern or metric value, \
            66 for an input that cannot be read.
            """
    )

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case json, ndjson
    }

    /// CloudWatch Logs' limit on one event: 256 KB.
    static let maxEventSize = 262_144

    @Argument(help: "The filter pattern, e.g. '{ $.eventName = \"ConsoleLogin\" }'.")
    var pattern: String

    @Argument(help: "Files with one log event per line; '-' or none reads stdin.")
    var files: [String] = []

    @Option(help: "The metric value: a number, $.selector (JSON patterns) or $name/$N (space-delimited).")
    var metricValue: String = "1"

    @Option(help: "The value emitted for an event the pattern does not match.")
    var defaultValue: Double?

    @Option(help: "json: the test-metric-filter response; ndjson: one result per input line.")
    var output: OutputFormat = .json

    @Flag(help: "Print the pattern's warnings on stderr.")
    var warnings = false

    func run() throws {
        do throws(CLIError) {
            try test()
        } catch {
            throw error.reported()
        }
    }

    private func test() throws(CLIError) {
        let filter = try compile()
        if warnings || StandardError.isTerminal {
            for warning in filter.pattern.warnings {
                StandardError.write(DiagnosticRenderer(colored: StandardError.isTerminal).render(warning, in: pattern))
            }
        }
        var out = StandardOutput()
        var scratch = MatchScratch()
        var first = true
        if output == .json { out.write("{\"matches\":[") }
        let reader = LineFileReader(paths: files, maxLineLength: Self.maxEventSize)
        try reader.forEachLine { line, number in
            var event = LogEvent(line)
            let matched = filter.pattern.matches(&event, scratch: &scratch)
            var bytes: [UInt8] = []
            switch output {
            case .json:
                guard matched else { return }
                bytes.append(contentsOf: (first ? "" : ",").utf8)
                first = false
                bytes.append(contentsOf: "{\"eventNumber\":\(number),\"eventMessage\":".utf8)
                JSONText.appendString(UnsafeRawBufferPointer(line), to: &bytes)
                bytes.append(contentsOf: ",\"extractedValues\":{".utf8)
                for (index, item) in filter.pattern.extractedValues(&event, scratch: &scratch).enumerated() {
                    if index > 0 { bytes.append(UInt8(ascii: ",")) }
                    JSONText.appendString(item.key, to: &bytes)
                    bytes.append(UInt8(ascii: ":"))
                    JSONText.appendString(item.value, to: &bytes)
                }
                bytes.append(contentsOf: "}}".utf8)
            case .ndjson:
                let value = filter.datapointValue(for: &event, matched: matched, scratch: &scratch)
                bytes.append(contentsOf: "{\"eventNumber\":\(number),\"match\":\(matched),\"value\":".utf8)
                if let value { JSONText.appendNumber(value, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
                bytes.append(contentsOf: "}\n".utf8)
            }
            out.write(bytes)
        } onOversized: { number, length in
            StandardError.write(
                "warning: line \(number) has \(length) bytes, over CloudWatch's 256 KB event limit; counted as not matching\n")
            if output == .ndjson {
                out.write("{\"eventNumber\":\(number),\"match\":false,\"value\":null}\n")
            }
        }
        if output == .json { out.write("]}\n") }
        out.flush()
    }

    /// Compiles the pattern and the metric transformation, or explains why not.
    private func compile() throws(CLIError) -> MetricFilter {
        let compiled: CompiledPattern
        do {
            compiled = try CompiledPattern(pattern)
        } catch {
            let renderer = DiagnosticRenderer(colored: StandardError.isTerminal)
            throw CLIError(renderer.render(error.diagnostic, in: pattern), status: .dataError)
        }
        let transformation = MetricTransformation(
            metricName: "TestMetric", metricNamespace: "Tripline/Test", metricValue: metricValue,
            defaultValue: defaultValue)
        do {
            return try MetricFilter(filterName: "test-pattern", pattern: compiled, transformation: transformation)
        } catch {
            let lines = error.problems.map { problem in
                let option = problem.field == "metricValue" ? "--metric-value" : problem.field == "defaultValue" ? "--default-value" : problem.field
                return "error: \(option): \(problem.message)\n  fix: \(problem.fix)"
            }
            throw CLIError(lines.joined(separator: "\n"), status: .dataError)
        }
    }
}
