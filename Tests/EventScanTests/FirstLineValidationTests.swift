import EventScan
import PropertyBased
import Testing
import TriplineTestSupport

/// `validObjectLineLength` (validation that also finds the line's end, for NDJSON framing) agrees
/// with searching for the first newline and validating the bytes before it, and records the same
/// members.
struct FirstLineValidationTests {
    /// Checks `buffer` both ways.
    static func check(_ buffer: [UInt8], label: String) {
        let newline = buffer.firstIndex(of: UInt8(ascii: "\n"))
        withView(buffer) { view in
            var recorder = RecordingValidationTests.Collect()
            let length = view.validObjectLineLength(recordingTopLevelInto: &recorder)
            guard let newline else {
                #expect(length == nil, "\(label): a line without a newline was measured")
                return
            }
            withView(Array(buffer[..<newline])) { line in
                var expected = RecordingValidationTests.Collect()
                let valid = line.isValidObjectDocument(recordingTopLevelInto: &expected)
                #expect(length == (valid ? newline : nil), "\(label): \(String(describing: length)) against \(valid ? "valid" : "invalid") up to \(newline)")
                guard valid, length != nil else { return }
                #expect(recorder.members.count == expected.members.count, "\(label): member counts differ")
                for (a, b) in zip(recorder.members, expected.members) {
                    #expect(a.name == b.name && a.value == b.value, "\(label): \(a) vs \(b)")
                }
            }
        }
    }

    static let separators: [[UInt8]] = [[], Array("\n".utf8), Array("\r\n".utf8), Array(" \t\n".utf8), Array("\n\n".utf8), Array("x\n".utf8)]

    @Test func randomDocumentsFollowedByMore() async {
        // Random documents hold newlines as whitespace, mutations and cuts; each is followed by
        // nothing, a line end of some kind, and another document.
        await propertyCheck(count: 4_000, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let first = RandomJSON.document(seed: seed)
            let separator = random.pick(Self.separators)
            let next = random.chance(50) ? RandomJSON.document(seed: seed &+ 1) : []
            Self.check(first + separator + next, label: "seed \(seed)")
        }
    }

    @Test func cloudTrailSampleLinesOneAfterAnother() throws {
        let lines = try SampleData.lines()
        for index in lines.indices {
            let following = index + 1 < lines.count ? lines[index + 1] : []
            Self.check(lines[index] + Array("\n".utf8) + following, label: "sample line \(index)")
            Self.check(lines[index] + Array("\r\n".utf8), label: "sample line \(index), CRLF")
            Self.check(lines[index], label: "sample line \(index), no newline")
        }
    }

    @Test(arguments: [
        ("{}\n", 2), (" {} \t\r\n{}", 6), ("{\"a\":1}\n", 7), ("{\"a\":\n1}\n", nil), ("{\"a\":1}", nil),
        ("{\"a\":\"x\ny\"}\n", nil), ("{\"a\":1} x\n", nil), ("{}{}\n", nil), ("\n{}\n", nil), ("[1]\n", nil),
        ("{\"a\":[1,\n2]}\n", nil), ("{\"a\":12\n", nil), ("{\"a\":true}\r\r\n", 12),
    ] as [(String, Int?)])
    func handPicked(_ text: String, _ length: Int?) {
        withView(text) { view in
            var recorder = RecordingValidationTests.Collect()
            #expect(view.validObjectLineLength(recordingTopLevelInto: &recorder) == length)
        }
        Self.check(Array(text.utf8), label: text)
    }

    @Test func deepNestingFailsWithoutReadingPastTheLine() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        let buffer = Array("{\"a\":".utf8) + deep + Array("\n{}\n".utf8)
        withView(buffer) { view in
            var recorder = RecordingValidationTests.Collect()
            #expect(view.validObjectLineLength(recordingTopLevelInto: &recorder) == nil)
        }
    }
}
