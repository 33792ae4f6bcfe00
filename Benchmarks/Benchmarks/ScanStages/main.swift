// The per-event stages of `tripline count`, timed over a stream held in memory.
//
// Whole-process runs on a shared machine move by a third with the host's load, which hides a 5 %
// change. Here each stage runs over the same bytes many times in one process and the fastest pass
// is reported: other tenants' load only ever adds time, so the minimum is the stable figure.
//
//   swift run -c release ScanStages STREAM [--passes N] [--megabytes M] [--filters FILE] [--only TEXT]
//
// Stages: splitting lines; strict validation alone; validation with the top-level index (what
// `count` runs on every line); and the whole per-event work with the 15 CIS filters of
// ../shared/tools/bench/cis_filters.json (index, dispatch and candidate matches). `--filters`
// takes any file of that shape (`name`, `cloudwatch_filter_pattern`), such as the 33 filters of both
// shipped packs that Benchmarks/throughput/packs_as_bench_filters.py writes; the filter set's
// dispatch summary is printed first.
import EventScan
import FilterPattern
import Foundation
import MetricFilters

struct Options {
    var stream = ""
    var passes = 15
    var megabytes = 64
    var filters = "../../shared/tools/bench/cis_filters.json"
    /// Only the stage whose name contains this text (for profiling one stage).
    var only = ""

    init(_ arguments: [String]) throws {
        var rest = arguments.makeIterator()
        while let argument = rest.next() {
            switch argument {
            case "--passes": passes = Int(rest.next() ?? "") ?? passes
            case "--megabytes": megabytes = Int(rest.next() ?? "") ?? megabytes
            case "--filters": filters = rest.next() ?? filters
            case "--only": only = rest.next() ?? only
            default: stream = argument
            }
        }
        guard !stream.isEmpty else {
            throw Usage(text: "usage: ScanStages STREAM [--passes N] [--megabytes M] [--filters cis_filters.json] [--only STAGE]")
        }
    }
}

struct Usage: Error, CustomStringConvertible { let text: String; var description: String { text } }

/// The lines of the first `limit` bytes of `path` (whole lines only), as offsets into one buffer.
func loadLines(_ path: String, limit: Int) throws -> (bytes: [UInt8], lines: [Range<Int>]) {
    let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    let data = try handle.read(upToCount: limit) ?? Data()
    var bytes = [UInt8](data)
    if let last = bytes.lastIndex(of: UInt8(ascii: "\n")) { bytes.removeSubrange((last + 1)...) }
    var lines: [Range<Int>] = []
    var start = 0
    for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
        lines.append(start..<offset)
        start = offset + 1
    }
    return (bytes, lines)
}

/// The CIS patterns of the benchmark's filter file, as metric filters.
func loadFilters(_ path: String) throws -> [MetricFilter] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard let entries = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
        throw Usage(text: "\(path): expected an array of objects")
    }
    return try entries.map { entry in
        let name = entry["name"] as? String ?? "filter"
        let pattern = entry["cloudwatch_filter_pattern"] as? String ?? ""
        let transformation = MetricTransformation(metricName: name, metricNamespace: "Bench", metricValue: "1")
        return try MetricFilter(filterName: name, filterPattern: pattern, transformations: [transformation])
    }
}

/// Runs `body` `passes` times; returns the fastest pass in seconds and the last pass's result.
func fastest(passes: Int, _ body: () -> Int) -> (seconds: Double, result: Int) {
    var best = Double.infinity
    var result = 0
    for _ in 0..<passes {
        let start = DispatchTime.now().uptimeNanoseconds
        result = body()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        best = min(best, elapsed)
    }
    return (best, result)
}

let options: Options
do {
    options = try Options(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(64)
}
let (bytes, lines) = try loadLines(options.stream, limit: options.megabytes << 20)
let set = FilterSet(try loadFilters(options.filters))
print(set.summary)
print("\(lines.count) events, \(bytes.count) bytes, \(set.filters.count) filters; fastest of \(options.passes) passes")

bytes.withUnsafeBytes { buffer in
    func line(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[range]) }
    func report(_ stage: String, _ body: () -> Int) {
        guard options.only.isEmpty || stage.contains(options.only) else { return }
        let timing = fastest(passes: options.passes, body)
        let rate = Double(bytes.count) / timing.seconds / 1e6
        let perEvent = timing.seconds / Double(lines.count) * 1e9
        print("\(stage.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(format: "%7.0f MB/s  %6.0f ns/event", rate, perEvent))  (\(timing.result))")
    }
    report("split lines (memchr)") {
        var count = 0
        var start = 0
        while start < buffer.count, let base = buffer.baseAddress,
            let hit = memchr(base + start, 0x0A, buffer.count - start)
        {
            count += 1
            start = base.distance(to: UnsafeRawPointer(hit)) + 1
        }
        return count
    }
    report("validate") {
        var valid = 0
        for range in lines where EventView(bytes: line(range)).isValidObjectDocument() { valid += 1 }
        return valid
    }
    struct Counting: TopLevelMemberRecorder {
        var count = 0
        var sum = 0
        mutating func record(name: JSONNode, value: JSONNode) {
            count &+= 1
            sum &+= value.end
        }
    }
    report("validate + counting recorder") {
        var valid = 0
        var recorder = Counting()
        for range in lines where EventView(bytes: line(range)).isValidObjectDocument(recordingTopLevelInto: &recorder) {
            valid += 1
        }
        return valid + recorder.sum & 1
    }
    var scratch = FilterSetScratch()
    report("validate + top-level index") {
        var valid = 0
        for range in lines {
            var event = LogEvent(line(range), rootIndex: scratch.rootIndex)
            if event.isValidJSONObject() { valid += 1 }
        }
        return valid
    }
    // What `count` runs now: validation finds each line's end, so there is no split stage.
    func forEachMeasuredLine(_ body: (UnsafeRawBufferPointer, Bool) -> Void) {
        var start = 0
        while start < buffer.count, let base = buffer.baseAddress {
            let rest = UnsafeRawBufferPointer(rebasing: buffer[start...])
            if let length = scratch.rootIndex.indexFirstLine(of: rest) {
                body(UnsafeRawBufferPointer(rebasing: rest[..<length]), true)
                start += length + 1
                continue
            }
            let end = memchr(base + start, 0x0A, buffer.count - start).map { base.distance(to: UnsafeRawPointer($0)) } ?? buffer.count
            body(UnsafeRawBufferPointer(rebasing: buffer[start..<end]), false)
            start = end + 1
        }
    }
    report("framing + validate + index") {
        var valid = 0
        forEachMeasuredLine { line, measured in
            if measured {
                valid += 1
            } else {
                var event = LogEvent(line, rootIndex: scratch.rootIndex)
                if event.isValidJSONObject() { valid += 1 }
            }
        }
        return valid
    }
    report("framing + validate + index + \(set.filters.count) filters") {
        var matches = 0
        forEachMeasuredLine { line, measured in
            var event = measured ? LogEvent(indexedLine: line, rootIndex: scratch.rootIndex, validated: true) : LogEvent(line, rootIndex: scratch.rootIndex)
            if !measured { _ = event.isValidJSONObject() }
            set.forEachMatch(&event, scratch: &scratch) { _ in matches += 1 }
        }
        return matches
    }
    report("validate + index + \(set.filters.count) filters") {
        var matches = 0
        for range in lines {
            var event = LogEvent(line(range), rootIndex: scratch.rootIndex)
            _ = event.isValidJSONObject()
            set.forEachMatch(&event, scratch: &scratch) { _ in matches += 1 }
        }
        return matches
    }
}
