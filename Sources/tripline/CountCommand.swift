import ArgumentParser
import Foundation
import MetricFilters
import TriplineConfig
import TriplineCore

/// `tripline count`: per-filter match counts over inputs, as one JSON object.
struct CountCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "count",
        abstract: "Count matches per metric filter over inputs; prints one JSON object.",
        discussion: """
            Prints {"eventsRead":N,"malformedLines":N,"oversizedLines":N,"bytesRead":N,"seconds":S,"filters":{"name":N,...}}.
            Exit status: 0 on success, 65 for an invalid config, 66 for an input that cannot be read.
            """
    )

    @OptionGroup var config: ConfigOptions

    @Argument(help: "NDJSON files; '-' or none reads stdin.")
    var inputs: [String] = []

    /// CloudWatch Logs accepts events up to 256 KB.
    @Option(help: "Lines longer than this many bytes are counted as oversized and skipped.")
    var maxLineLength: Int = 262_144

    func run() throws {
        do throws(CLIError) {
            let loaded = try config.load()
            let set = FilterSet(loaded.configuration.filters)
            if ProcessInfo.processInfo.environment["TRIPLINE_DEBUG_FILTERSET"] != nil { StandardError.write(set.summary + "\n") }
            var counts = Array(repeating: 0, count: set.filters.count)
            var events = 0, malformed = 0, oversized = 0, bytes = 0
            var scratch = FilterSetScratch()
            let start = ContinuousClock.now
            try InputReader(paths: inputs, maxLineLength: maxLineLength).forEachLine { line, _ in
                events += 1
                bytes += line.count + 1
                var event = LogEvent(line, rootIndex: scratch.rootIndex)
                if !event.isValidJSONObject() { malformed += 1 }
                set.forEachMatch(&event, scratch: &scratch) { counts[$0] += 1 }
            } onOversized: { _, length in
                oversized += 1
                bytes += length + 1
            }
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            var out: [UInt8] = Array("{\"eventsRead\":\(events),\"malformedLines\":\(malformed),\"oversizedLines\":\(oversized),\"bytesRead\":\(bytes),\"seconds\":".utf8)
            out += Array(String(format: "%.3f", seconds).utf8)
            out += Array(",\"filters\":{".utf8)
            for (position, filter) in set.filters.enumerated() {
                if position > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendString(filter.filterName, to: &out)
                out += Array(":\(counts[position])".utf8)
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
