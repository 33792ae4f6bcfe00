import EventScan
import Foundation
import PropertyBased
import Testing

/// Validation at the edges: where a line's bytes fall (word and vector boundaries), runs of
/// backslashes, every offset of a real event, and the separators and bytes the grammar forbids.
struct ValidationEdgeTests {
    /// Leading whitespace moves every byte to another offset (and word) and changes nothing else.
    @Test func shiftingALineKeepsTheAnswer() async {
        await propertyCheck(count: 400, input: Gen.uint64()) { seed in
            let document = RandomJSON.document(seed: seed)
            let expected = withView(document) { $0.isValidObjectDocument() }
            for shift in [1, 7, 31, 32, 33, 63, 64, 65, 100, 127] {
                let shifted = Array(repeating: UInt8(ascii: " "), count: shift) + document
                withView(shifted) { view in
                    #expect(view.isValidObjectDocument() == expected, "seed \(seed), shift \(shift)")
                }
                RecordingValidationTests.check(shifted, label: "seed \(seed), shift \(shift)")
            }
        }
    }

    /// A run of backslashes before a quote escapes it when the run is odd, wherever the run falls.
    @Test(arguments: 0...5)
    func backslashRunsAtEveryOffset(_ run: Int) {
        for filler in 40...70 {
            let text = #"{"a":""# + String(repeating: "x", count: filler) + String(repeating: #"\"#, count: run) + #"","b":1}"#
            let expected = run.isMultiple(of: 2)
            withView(text) { #expect($0.isValidObjectDocument() == expected, "run \(run), filler \(filler)") }
            let foundation = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil
            #expect(foundation == expected, "the oracle disagrees with the test: run \(run), filler \(filler)")
            RecordingValidationTests.check(Array(text.utf8), label: "run \(run), filler \(filler)")
        }
    }

    /// A control byte is an error inside a string and outside one, at every offset of a real event.
    @Test func aControlByteAnywhereInAnEventIsAnError() throws {
        let line = try #require(SampleData.lines().first { $0.count > 600 })
        withView(line) { #expect($0.isValidObjectDocument()) }
        for position in line.indices {
            var broken = line
            broken[position] = 0x01
            withView(broken) { #expect(!$0.isValidObjectDocument(), "0x01 at \(position)") }
        }
    }

    /// Long strings keep their exact ends, escapes and multi-byte characters.
    @Test(arguments: [
        #"{"long":"\#(String(repeating: "a", count: 150))","after":1}"#,
        #"{"long":"\#(String(repeating: "é", count: 70))","after":"\u00e9"}"#,
        #"{"\#(String(repeating: "k", count: 61))":"\#(String(repeating: #"\""#, count: 40))"}"#,
        #"{"a":[\#(String(repeating: "1,", count: 80))2],"b":{"c":"\#(String(repeating: "😀", count: 20))"}}"#,
    ])
    func longStrings(_ json: String) {
        withView(json) { #expect($0.isValidObjectDocument()) }
        RecordingValidationTests.check(Array(json.utf8), label: String(json.prefix(40)))
    }

    /// Bytes and separators the grammar forbids, or allows, in tricky places.
    @Test(arguments: [
        ("{\"a\":\"\u{7F}\"}", true),  // DEL is not a control byte in JSON
        ("{\"a\":1}\u{0B}", false),  // vertical tab is not JSON whitespace
        ("\u{FEFF}{\"a\":1}", false),  // a byte-order mark is not whitespace either
        ("{\"a\":é}", false),  // non-ASCII outside a string
        ("{\"a\":\"x\"}\\", false),  // a backslash after the root
        ("{\"a\":\"x\\", false),  // a line ending in an escape
        ("{\"a\":\"\t\"}", false),  // a raw tab in a string
        ("{\"a\"\t:\r\n1}", true),  // whitespace between tokens
        // Stray, doubled or trailing separators.
        ("{\"a\":1,}", false), ("{\"a\"::1}", false), ("{\"a\":[1,,2]}", false), ("{,\"a\":1}", false),
        ("{\"a\":1,,\"b\":2}", false), ("{\"a\" \"b\":1}", false), ("{\"a\":[1:2]}", false), ("{\"a\":1}:", false),
        ("{\"a\":1 , \"b\" : [ 2 , {} ] }", true), ("{\"a\":\"x\"\n,\"b\":null}", true),
        ("{\"a\":tru}", false), ("{\"a\":truex}", false), ("{\"a\":1x}", false), ("{\"a\":1\"b\"}", false),
    ])
    func tableOfEdgeCases(_ json: String, _ valid: Bool) {
        withView(json) { #expect($0.isValidObjectDocument() == valid, "\(json.debugDescription)") }
    }

    /// Invalid UTF-8 inside a string (a lone continuation byte), at offsets across word boundaries.
    @Test func invalidUTF8InAStringAtEveryOffset() {
        for filler in 50...70 {
            let valid = Array(#"{"a":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: filler) + [0xC3, 0xA9]
                + Array(#""}"#.utf8)
            withView(valid) { #expect($0.isValidObjectDocument(), "filler \(filler)") }
            var truncated = valid
            truncated.remove(at: 6 + filler)  // drop the lead byte 0xC3: a lone continuation byte remains
            withView(truncated) { #expect(!$0.isValidObjectDocument(), "filler \(filler)") }
        }
    }

    /// Strings that end in a line's last sixteen bytes, which the vector scan reads as one block
    /// overlapping bytes it has already seen, and lines too short for a block: every kind of stop
    /// at every offset, checked against Foundation for validity and for the value a lookup reads.
    @Test func stopsInTheLastSixteenBytes() {
        let stops: [[UInt8]] = [
            Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\n"#.utf8), Array(#"\u00e9"#.utf8), Array(#"\"#.utf8),
            [0x01], [0x7F], [0xC3, 0xA9], [0xA9], [UInt8(ascii: "\"")], [UInt8(ascii: "x")],
        ]
        let endings = [#""}"#, #""}  "#, #"","b":12}"#]
        for length in 0...20 {
            for position in 0...length {
                for stop in stops {
                    for ending in endings {
                        var content = Array(repeating: UInt8(ascii: "x"), count: length)
                        content.insert(contentsOf: stop, at: position)
                        let line = Array(#"{"a":""#.utf8) + content + Array(ending.utf8)
                        let label = "length \(length), stop \(stop) at \(position), ending \(ending)"
                        let decoded = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any]
                        withView(line) { view in
                            #expect(view.isValidObjectDocument() == (decoded != nil), "\(label)")
                            guard let decoded else { return }
                            guard let root = view.root(), let node = view.member(Array("a".utf8), of: root) else {
                                Issue.record("no member a: \(label)")
                                return
                            }
                            #expect(view.text(node) == decoded["a"] as? String, "\(label)")
                        }
                        RecordingValidationTests.check(line, label: label)
                    }
                }
            }
        }
    }
}
