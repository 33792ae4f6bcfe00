import ArgumentParser
import Foundation
import MetricFilters
import TriplineConfig
import TriplineCore
import TriplineIngest
import TriplineRuntime

/// `tripline count`: per-filter match counts over inputs, as one JSON object.
struct CountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "count",
        abstract: "Count matches per metric filter over inputs; prints one JSON object.",
        discussion: """
            Prints {"eventsRead":N,"malformedLines":N,"oversizedLines":N,"bytesRead":N,"seconds":S,"filters":{"name":N,...}}.
            Inputs: NDJSON or CloudTrail log files ({"Records":[...]}), gzipped or not; folders are read recursively.
            Exit status: 0 on success, 65 for an invalid config, 66 for an input that cannot be read.
            """
    )

    @OptionGroup var config: ConfigOptions
    @OptionGroup var ingest: IngestArguments

    @Argument(help: "Files or folders; '-' or none reads stdin.")
    var inputs: [String] = []

    func run() throws {
        do throws(CLIError) {
            let loaded = try config.load(printWarnings: ingest.debug)
            let set = FilterSet(loaded.configuration.filters)
            if ingest.debug { StandardError.write("debug: \(set.summary)\n") }
            let inputSet = try ingest.inputSet(inputs)
            let plan = WorkPlanning.plan(inputSet, options: ingest.options)
            let start = ContinuousClock.now
            let result = ingest.withProgress(totalBytes: inputSet.totalFileBytes) { progress in
                CountRun(filterSet: set).run(plan, threads: ingest.threads, options: ingest.options, progress: progress)
            }
            let seconds = (ContinuousClock.now - start).seconds
            for problem in InputProblem.distinct(result.problems) { StandardError.write("warning: \(problem.description)\n") }
            if ingest.debug {
                for sample in result.malformedSamples { StandardError.write("debug: malformed line \(sample.input):\(sample.line)\n") }
            }
            var out: [UInt8] = Array("{\"eventsRead\":\(result.events),\"malformedLines\":\(result.malformed),".utf8)
            out += Array("\"oversizedLines\":\(result.oversized),\"bytesRead\":\(result.bytes),\"seconds\":".utf8)
            out += Array(String(format: "%.3f", seconds).utf8)
            out += Array(",\"filters\":{".utf8)
            for (position, filter) in set.filters.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(filter.filterName, to: &out)
                out += Array(":\(result.matches[position])".utf8)
            }
            out += Array("}}\n".utf8)
            var stdout = StandardOutput()
            stdout.write(out)
            stdout.flush()
        } catch {
            throw error.reported()
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
