import CEventScan
@testable import EventScan
import PropertyBased
import Testing

/// The lenient walk `backtest` indexes every event with: `recordMembers` (its member loop written
/// out) against `forEachMember`, and the 64-byte container skip against a byte-by-byte one, on
/// random documents (mutated and truncated), real events cut at every length, and blocks built to
/// put quotes, backslashes and brackets on either side of a 64-byte boundary.
struct LenientWalkTests {
    /// The skip as it was written before the block scan: one byte at a time, strings read to their
    /// closing quote (a backslash skips the byte after it), brackets counted outside strings.
    static func referenceSkip(_ bytes: [UInt8], from open: Int) -> Int? {
        var depth = 1
        var index = open + 1
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\"") {
                while true {
                    guard index < bytes.count else { return nil }
                    let inner = bytes[index]
                    if inner == UInt8(ascii: "\"") {
                        index += 1
                        break
                    }
                    index += inner == UInt8(ascii: "\\") ? 2 : 1
                }
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }

    /// Every `{` and `[` of `bytes` skipped three ways: as the view does (AVX2 on this processor
    /// when it has it), without AVX2, and byte by byte.
    static func checkSkips(_ bytes: [UInt8], label: String) {
        withView(bytes) { view in
            for (position, byte) in bytes.enumerated() where byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                let expected = referenceSkip(bytes, from: position)
                #expect(view.skipContainer(from: position) == expected, "\(label): container at \(position)")
                let baseline = bytes.withUnsafeBufferPointer {
                    tl_skip_container_baseline($0.baseAddress, Int64($0.count), Int64(position))
                }
                #expect((baseline < 0 ? nil : Int(baseline)) == expected, "\(label): baseline, container at \(position)")
            }
        }
    }

    /// `recordMembers` hands over what `forEachMember` visits, and says the same about the end.
    static func checkRecording(_ bytes: [UInt8], label: String) {
        withView(bytes) { view in
            guard let root = view.root() else { return }
            var recorder = RecordingValidationTests.Collect()
            let recorded = view.recordMembers(of: root, into: &recorder)
            var walked: [(name: JSONNode, value: JSONNode)] = []
            let complete = view.forEachMember(of: root) { name, value in
                walked.append((name, value))
                return true
            }
            #expect(recorded == complete, "\(label): end differs")
            #expect(recorder.members.map(\.name) == walked.map(\.name), "\(label): names differ")
            #expect(recorder.members.map(\.value) == walked.map(\.value), "\(label): values differ")
        }
    }

    @Test func randomDocuments() async {
        await propertyCheck(count: 600, input: Gen.uint64()) { seed in
            let document = RandomJSON.document(seed: seed)
            Self.checkSkips(document, label: "seed \(seed)")
            Self.checkRecording(document, label: "seed \(seed)")
        }
    }

    @Test func realEventsCutAtEveryLength() throws {
        let line = try #require(SampleData.lines().first { $0.count > 600 })
        Self.checkSkips(line, label: "whole event")
        for length in stride(from: 0, through: line.count, by: 1) {
            Self.checkRecording(Array(line.prefix(length)), label: "first \(length) bytes")
        }
        for length in stride(from: 0, through: line.count, by: 7) {
            Self.checkSkips(Array(line.prefix(length)), label: "first \(length) bytes")
        }
    }

    /// Quotes, backslash runs and brackets placed on each side of the 64-byte blocks the skip reads,
    /// inside strings and out, with strings left open and backslashes outside strings.
    @Test(arguments: [#"""#, #"\""#, #"\\"#, #"\\\""#, #"\"#, "]", "}", "[", "{", #""]""#, #""\"#])
    func marksAcrossBlockBoundaries(_ piece: String) {
        for filler in 50...75 {
            for inString in [true, false] {
                let lead = inString ? #"{"a":""# : #"{"a":["#
                var text = lead + String(repeating: "x", count: filler) + piece
                text += inString ? #"","b":[1,{"c":"]"}]}"# : #",1]}"#
                Self.checkSkips(Array(text.utf8), label: "\(piece) after \(filler), in string \(inString)")
                Self.checkRecording(Array(text.utf8), label: "\(piece) after \(filler), in string \(inString)")
            }
        }
    }
}
