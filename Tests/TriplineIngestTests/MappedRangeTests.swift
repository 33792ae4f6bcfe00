import Foundation
import PropertyBased
import Testing
import TriplineCore
@testable import TriplineIngest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte ranges of a split file are read from mapped windows: the window size never changes the
/// events, and a file cut short under the reader is reported, never a crash.
@Suite("Mapped ranges")
struct MappedRangeTests {
    /// Reads `ranges` of `path` one after the other with `options`; line numbers made absolute.
    static func read(_ path: String, size: Int, ranges: [Range<Int>], options: IngestOptions) -> (events: [Event], reports: [UnitReport]) {
        let input = Input(name: path, source: .file(path: path, size: size))
        let reader = InputReader(options: options)
        var events: [Event] = []
        var reports: [UnitReport] = []
        var lineBase = 0
        for range in ranges {
            let report = reader.read(WorkUnit(inputIndex: 0, input: input, range: range)) { line, source in
                var source = source
                source.line += lineBase
                events.append(Event(bytes: Array(line), source: source))
            }
            lineBase += report.lineCount
            reports.append(report)
        }
        return (events, reports)
    }

    @Test("page-sized, larger and whole-range windows, and pread, give the events of one pass")
    func windowSizes() async throws {
        let dir = IngestTestSupport.temporaryDirectory()
        // Lines up to 3 KB over files of up to about 150 KB: many lines cross a 4 KiB window.
        await propertyCheck(count: 30, input: Gen.int(in: 0...3000).array(of: 0...50)) { lengths in
            let bytes = FramingTests.text(lengths)
            let path = try IngestTestSupport.write(bytes, "mapped.ndjson", in: dir)
            let whole = IngestTestSupport.decode(bytes, chunks: [max(bytes.count, 1)]).events
            for n in [1, 3, 5] {
                let ranges = WorkPlan.lineAlignedRanges(path: path, size: bytes.count, count: n)
                for window in [0, 4096, 3 * 4096, 1 << 20] {
                    var options = IngestOptions()
                    options.mappedWindowSize = window
                    let (events, reports) = Self.read(path, size: bytes.count, ranges: ranges, options: options)
                    #expect(events.map(\.bytes) == whole.map(\.bytes), "n = \(n), window \(window)")
                    #expect(events.map(\.source.line) == whole.map(\.source.line), "n = \(n), window \(window)")
                    #expect(events.map(\.source.offset) == whole.map(\.source.offset), "n = \(n), window \(window)")
                    #expect(reports.allSatisfy { $0.problems.isEmpty })
                    #expect(reports.map(\.counters.bytesRead).reduce(0, +) == bytes.count)
                }
            }
        }
    }

    /// A file of `count` lines of about 700 bytes, and the offset just past each line's newline.
    static func lines(_ count: Int) -> (bytes: [UInt8], ends: [Int]) {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        for i in 0..<count {
            bytes += #"{"eventName":"Line\#(i)","pad":"\#(String(repeating: "x", count: 650 + i % 40))"}"#.utf8
            bytes.append(0x0A)
            ends.append(bytes.count)
        }
        return (bytes, ends)
    }

    @Test("a file cut short before its range is read: the lines before the cut, the cut line dropped, one report", arguments: [0, 1 << 20])
    func shrankBeforeReading(window: Int) throws {
        let dir = IngestTestSupport.temporaryDirectory()
        let (bytes, ends) = Self.lines(200)
        let path = try IngestTestSupport.write(bytes, "cut.ndjson", in: dir)
        let ranges = WorkPlan.lineAlignedRanges(path: path, size: bytes.count, count: 4)
        let cut = ends[120] + 100  // inside line 122
        #expect(truncate(path, off_t(cut)) == 0)
        var options = IngestOptions()
        options.mappedWindowSize = window
        let (events, reports) = Self.read(path, size: bytes.count, ranges: ranges, options: options)
        #expect(events.count == 121)
        #expect(events.last?.text.hasPrefix(#"{"eventName":"Line120""#) == true)
        let problems = reports.flatMap(\.problems)
        // Once for each range the cut reaches into, never twice for one range.
        #expect(problems.count == ranges.filter { $0.upperBound > cut }.count)
        #expect(InputProblem.distinct(problems) == [InputProblem(input: path, kind: .shrank(size: cut))])
        #expect(problems.first?.description.contains("shrank to \(cut) bytes") == true)
        #expect(reports.map(\.counters.readErrors).reduce(0, +) == problems.count)
    }

    /// Where the cut falls: in an early page, whose successors vanish (a fault), or in the
    /// window's last page, which stays mapped with its tail zeroed (no fault).
    @Test("a file cut short while its window is mapped: no crash, the lines before the cut, reported once", arguments: [false, true])
    func shrankWhileMapped(inLastPage: Bool) throws {
        let dir = IngestTestSupport.temporaryDirectory()
        let (bytes, ends) = Self.lines(400)  // about 280 KB: one window of 1 MiB
        let path = try IngestTestSupport.write(bytes, "cut-live.ndjson", in: dir)
        let cut = inLastPage ? bytes.count - 100 : ends[9] + 10
        var options = IngestOptions()
        options.mappedWindowSize = 1 << 20
        let input = Input(name: path, source: .file(path: path, size: bytes.count))
        var events: [Event] = []
        let report = InputReader(options: options).read(WorkUnit(inputIndex: 0, input: input, range: 0..<bytes.count)) { line, source in
            // Another process truncating the file, as the first line goes by.
            if events.isEmpty { _ = truncate(path, off_t(cut)) }
            events.append(Event(bytes: Array(line), source: source))
        }
        let whole = ends.filter { $0 <= cut }.count
        #expect(events.count == whole)
        #expect(events.map(\.bytes) == (0..<whole).map { i in Array(bytes[(i == 0 ? 0 : ends[i - 1])..<(ends[i] - 1)]) })
        #expect(report.problems == [InputProblem(input: path, kind: .shrank(size: cut))])
        #expect(report.counters.readErrors == 1)
        // The zeros that stood in for the lost bytes were never read from the file.
        #expect(report.counters.bytesRead == cut)
    }

    @Test("repeated problems of one split file are reported once, in order; a shrunk file once whatever its sizes")
    func distinctProblems() {
        let a = InputProblem(input: "a", kind: .shrank(size: 10))
        let b = InputProblem(input: "b", kind: .read(errno: 5))
        let a2 = InputProblem(input: "a", kind: .shrank(size: 7))
        let c = InputProblem(input: "c", kind: .shrank(size: 7))
        #expect(InputProblem.distinct([a, b, a, a2, b, c]) == [a, b, c])
    }
}

/// A worker knows the line it measured again, and only that line.
@Suite("Measured line")
struct MeasuredLineTests {
    @Test func onlyTheMeasuredLineIsTaken() {
        let text = Array("{\"a\":1}\r\n{\"b\":2}\n".utf8)
        text.withUnsafeBytes { bytes in
            func slice(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[range]) }
            var measured = MeasuredLine()
            let noted = measured.note(bytes, length: 8)
            #expect(noted == 8)
            // The line as the reader passes it: without its `\r`.
            let first = measured.take(slice(0..<7))
            let again = measured.take(slice(0..<7))
            #expect(first && !again, "taken once")
            _ = measured.note(bytes, length: 8)
            let shorter = measured.take(slice(0..<5))
            #expect(!shorter, "a shorter line at the same start")
            _ = measured.note(bytes, length: 8)
            let other = measured.take(slice(9..<16))
            #expect(!other, "another line")
            let none = measured.note(bytes, length: nil)
            let afterNone = measured.take(slice(0..<7))
            #expect(none == nil && !afterNone, "nothing was measured")
        }
    }
}
