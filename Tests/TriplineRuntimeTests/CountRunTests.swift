import Foundation
import MetricFilters
import Testing
import TriplineCore
import TriplineIngest
import TriplineRuntime

/// `count` validates each line while finding its end (the reader then skips its own newline
/// search): its counts equal those of validating and matching each line on its own.
struct CountRunTests {
    static func filterSet() throws -> FilterSet {
        let patterns = [
            ("login", #"{ $.eventName = "ConsoleLogin" }"#), ("login-text", "ConsoleLogin"),
            ("root", #"{ $.userIdentity.type = "Root" }"#), ("failed", #"{ ($.errorCode = "*") && ($.eventName = "Console*") }"#),
        ]
        return FilterSet(
            try patterns.map { name, pattern in
                try MetricFilter(
                    filterName: name, filterPattern: pattern,
                    transformations: [MetricTransformation(metricName: name, metricNamespace: "Test", metricValue: "1")])
            })
    }

    /// Valid events and every kind of bad line, with LF and CRLF endings, in a seeded order.
    static func lines(count: Int) -> [[UInt8]] {
        let good = [
            #"{"eventName":"ConsoleLogin","userIdentity":{"type":"Root"},"errorCode":"Failed"}"#,
            #"{"eventName":"GetObject","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/ConsoleLogin"}}"#,
            #" {"eventName":"C\u006fnsoleLogin","userIdentity":{"type":"R\u006fot"}} "#,
        ]
        let bad: [[UInt8]] = [
            Array(#"{"eventName":"ConsoleLogin""#.utf8), Array("ConsoleLogin, not JSON".utf8),
            Array(#"{"eventName":"ConsoleLogin"} trailing"#.utf8), Array(#"{"eventName":"ConsoleLogin"}{}"#.utf8),
            Array(#"{"eventName":"Console"#.utf8) + [0xFF] + Array(#"Login"}"#.utf8), Array("   ".utf8), [],
            Array(#"{"a":"#.utf8) + Array(repeating: UInt8(ascii: "["), count: 5_000),
            Array(#"{"eventName":"ConsoleLogin","x":"\#(String(repeating: "y", count: 9_000))"}"#.utf8),
        ]
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        return (0..<count).map { _ in
            let line = next(4) == 0 ? bad[next(bad.count)] : Array(good[next(good.count)].utf8)
            return line + Array((next(5) == 0 ? "\r\n" : "\n").utf8)
        }
    }

    /// The counts of matching each line by itself.
    static func reference(_ lines: [[UInt8]], _ set: FilterSet) -> (events: Int, malformed: Int, matches: [Int]) {
        var matches = Array(repeating: 0, count: set.filters.count)
        var events = 0
        var malformed = 0
        var scratch = FilterSetScratch()
        for var line in lines {
            line.removeLast()
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            events += 1
            line.withUnsafeBytes { bytes in
                var event = LogEvent(bytes, rootIndex: scratch.rootIndex)
                if !event.isValidJSONObject() { malformed += 1 }
                set.forEachMatch(&event, scratch: &scratch) { matches[$0] += 1 }
            }
        }
        return (events, malformed, matches)
    }

    @Test(arguments: [(1, 0), (1, 4096), (2, 4096), (3, 3 * 4096), (2, 1 << 20)])
    func measuredCountsEqualLineByLine(threads: Int, window: Int) throws {
        let set = try Self.filterSet()
        let lines = Self.lines(count: 3_000)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tripline-count-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("events.ndjson").path
        try Data(lines.joined()).write(to: URL(fileURLWithPath: path))
        var options = IngestOptions()
        options.splitThreshold = 1
        options.rangeSize = 50_000
        options.mappedWindowSize = window
        options.maxLineLength = 8_000  // the 9,000-byte line is oversized
        let plan = WorkPlan(inputs: try InputSet(arguments: [path]), options: options)
        #expect(plan.units.count > 1)
        let result = CountRun(filterSet: set).run(plan, threads: threads, options: options, progress: nil)
        let oversized = lines.filter { $0.count > 9_000 }.count
        let expected = Self.reference(lines.filter { $0.count <= 9_000 }, set)
        #expect(result.oversized == oversized)
        #expect(result.events == expected.events)
        #expect(result.malformed == expected.malformed)
        #expect(result.matches == expected.matches)
        #expect(expected.malformed > 100 && expected.matches.allSatisfy { $0 > 100 })
    }
}
