import CJSONClassify
import EventScan
import Foundation
import PropertyBased
import Testing

/// The 64-byte structural pass: the vector kernel, and answers that must not depend on where a
/// line's bytes fall relative to the block boundaries.
struct StructureTests {
    /// The bytes the kernel tells apart, weighted so every class shows up in most blocks.
    static let interesting: [UInt8] = Array(#""\{}[]:, "#.utf8) + [0x09, 0x0A, 0x0D, 0x00, 0x1F, 0x20, 0x7F, 0x80, 0xFF, 0x5B, 0x7B]

    @Test func vectorKernelAgreesWithThePortableOne() async {
        await propertyCheck(count: 2_000, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let block: [UInt8] = (0..<64).map { _ in
                random.chance(50) ? random.pick(Self.interesting) : UInt8.random(in: 0...255, using: &random)
            }
            let (fast, portable) = block.withUnsafeBufferPointer { bytes in
                // Safe to force unwrap: the array holds 64 bytes.
                (tl_classify64(bytes.baseAddress!), tl_classify64_portable(bytes.baseAddress!))
            }
            #expect(fast.quote == portable.quote, "seed \(seed)")
            #expect(fast.backslash == portable.backslash, "seed \(seed)")
            #expect(fast.operators == portable.operators, "seed \(seed)")
            #expect(fast.whitespace == portable.whitespace, "seed \(seed)")
            #expect(fast.control == portable.control, "seed \(seed)")
            #expect(fast.nonASCII == portable.nonASCII, "seed \(seed)")
        }
    }

    /// Leading whitespace moves every byte to another place in its block and changes nothing else.
    @Test func shiftingALineAcrossBlockBoundariesKeepsTheAnswer() async {
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
    func backslashRunsAcrossBlockBoundaries(_ run: Int) {
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

    /// Strings that span blocks keep their exact ends, escapes and multi-byte characters.
    @Test(arguments: [
        #"{"long":"\#(String(repeating: "a", count: 150))","after":1}"#,
        #"{"long":"\#(String(repeating: "é", count: 70))","after":"\u00e9"}"#,
        #"{"\#(String(repeating: "k", count: 61))":"\#(String(repeating: #"\""#, count: 40))"}"#,
        #"{"a":[\#(String(repeating: "1,", count: 80))2],"b":{"c":"\#(String(repeating: "😀", count: 20))"}}"#,
    ])
    func stringsSpanningBlocks(_ json: String) {
        withView(json) { #expect($0.isValidObjectDocument()) }
        RecordingValidationTests.check(Array(json.utf8), label: String(json.prefix(40)))
    }

    /// Bytes that only the block pass looks at in bulk.
    @Test(arguments: [
        ("{\"a\":\"\u{7F}\"}", true),  // DEL is not a control byte in JSON
        ("{\"a\":1}\u{0B}", false),  // vertical tab is not JSON whitespace
        ("\u{FEFF}{\"a\":1}", false),  // a byte-order mark is not whitespace either
        ("{\"a\":é}", false),  // non-ASCII outside a string
        ("{\"a\":\"x\"}\\", false),  // a backslash after the root
        ("{\"a\":\"x\\", false),  // a line ending in an escape
        ("{\"a\":\"\t\"}", false),  // a raw tab in a string
        ("{\"a\"\t:\r\n1}", true),  // whitespace between tokens
        ("{\"a\":tru}", false), ("{\"a\":truex}", false), ("{\"a\":1x}", false), ("{\"a\":1\"b\"}", false),
    ])
    func bytesTheBlockPassChecks(_ json: String, _ valid: Bool) {
        withView(json) { #expect($0.isValidObjectDocument() == valid, "\(json.debugDescription)") }
    }

    /// Invalid UTF-8 inside a string (a lone continuation byte), at offsets across a block boundary.
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
}
