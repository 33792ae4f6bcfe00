import CEventScan
@testable import EventScan
import PropertyBased
import Testing
import TriplineTestSupport

/// The lenient walk that also frames the line (`backtest` reads NDJSON with it): on bytes that go on
/// past the line it records what `recordMembers` records on the line alone, never reads past the
/// first newline, and gives up on no valid line; its container skip stops at newlines.
struct LenientFirstLineTests {
    static let newline = UInt8(ascii: "\n")

    /// Every `{` and `[` of `bytes` skipped in-line, with and without AVX2, against the byte-by-byte
    /// skip cut at the first newline after the bracket.
    static func checkInLineSkips(_ bytes: [UInt8], label: String) {
        for (position, byte) in bytes.enumerated() where byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
            let closed = LenientWalkTests.referenceSkip(bytes, from: position)
            let newline = bytes[(position + 1)...].firstIndex(of: Self.newline)
            let expected: Int64
            if let newline {
                expected = closed.map { $0 <= newline ? Int64($0) : -2 } ?? -2
            } else {
                expected = closed.map(Int64.init) ?? -1
            }
            bytes.withUnsafeBufferPointer { buffer in
                let fast = tl_skip_container_in_line(buffer.baseAddress, Int64(buffer.count), Int64(position))
                let baseline = tl_skip_container_in_line_baseline(buffer.baseAddress, Int64(buffer.count), Int64(position))
                #expect(fast == expected, "\(label): container at \(position)")
                #expect(baseline == expected, "\(label): baseline, container at \(position)")
            }
        }
    }

    /// `recordMembersOfFirstLine` on `buffer` against `recordMembers` on its first line.
    static func checkFirstLine(_ buffer: [UInt8], label: String) {
        let newline = buffer.firstIndex(of: Self.newline)
        withView(buffer) { view in
            var recorder = RecordingValidationTests.Collect()
            let length = view.recordMembersOfFirstLine(into: &recorder)
            guard let newline else {
                #expect(length == nil, "\(label): measured a line without a newline")
                return
            }
            withView(Array(buffer[..<newline])) { line in
                let valid = line.isValidObjectDocument()
                guard let length else {
                    // Giving up is allowed (the reader then searches), but never on a valid line.
                    #expect(!valid, "\(label): gave up on a valid line")
                    return
                }
                #expect(length == newline, "\(label): \(length) is not the first newline \(newline)")
                guard let root = line.root() else {
                    Issue.record("\(label): measured a line without a root object")
                    return
                }
                var expected = RecordingValidationTests.Collect()
                #expect(line.recordMembers(of: root, into: &expected), "\(label): the walk on the line fails")
                #expect(recorder.members.map(\.name) == expected.members.map(\.name), "\(label): names differ")
                #expect(recorder.members.map(\.value) == expected.members.map(\.value), "\(label): values differ")
            }
        }
    }

    static let separators: [[UInt8]] = [[], Array("\n".utf8), Array("\r\n".utf8), Array(" \t\n".utf8), Array("x\n".utf8)]

    @Test func randomDocumentsFollowedByMore() async {
        // The documents hold newlines as whitespace, mutations and cuts.
        await propertyCheck(count: 3_000, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let buffer = RandomJSON.document(seed: seed) + random.pick(Self.separators)
                + (random.chance(50) ? RandomJSON.document(seed: seed &+ 1) : [])
            Self.checkFirstLine(buffer, label: "seed \(seed)")
            Self.checkInLineSkips(buffer, label: "seed \(seed)")
        }
    }

    @Test func realEventsOneAfterAnother() throws {
        let lines = try SampleData.lines()
        for index in lines.indices {
            let following = index + 1 < lines.count ? lines[index + 1] : []
            Self.checkFirstLine(lines[index] + [Self.newline] + following, label: "sample line \(index)")
            Self.checkFirstLine(lines[index] + Array("\r\n".utf8), label: "sample line \(index), CRLF")
        }
        let line = try #require(lines.first { $0.count > 600 })
        // A newline put at every offset of a real event.
        for offset in stride(from: 0, to: line.count, by: 3) {
            var cut = line
            cut.insert(Self.newline, at: offset)
            Self.checkFirstLine(cut + [Self.newline], label: "newline at \(offset)")
            Self.checkInLineSkips(cut, label: "newline at \(offset)")
        }
    }

    /// Newlines and escapes on each side of the 64-byte blocks the skip reads.
    @Test(arguments: ["\n", "\\\n", #"\"\n"#, "\n\"", "]\n", "\n]", #"\\"#])
    func newlinesAcrossBlockBoundaries(_ piece: String) {
        for filler in 50...75 {
            for inString in [true, false] {
                let lead = inString ? #"{"a":{"s":""# : #"{"a":["#
                var text = lead + String(repeating: "x", count: filler) + piece
                text += inString ? #""},"b":[1,{"c":"]"}]}"# : #",1]}"#
                let bytes = Array((text + "\n{}\n").utf8)
                Self.checkInLineSkips(bytes, label: "\(piece.debugDescription) after \(filler), in string \(inString)")
                Self.checkFirstLine(bytes, label: "\(piece.debugDescription) after \(filler), in string \(inString)")
            }
            // The same in a top-level string, which the walk reads itself.
            let text = #"{"a":""# + String(repeating: "x", count: filler) + piece + #"","b":1}"# + "\n{}\n"
            Self.checkFirstLine(Array(text.utf8), label: "\(piece.debugDescription) after \(filler), top level")
        }
    }
}
