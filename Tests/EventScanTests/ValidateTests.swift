import EventScan
import Testing

struct ValidateTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var id: String
        var bytes: [UInt8]
        var valid: Bool

        init(_ id: String, _ json: String, _ valid: Bool) {
            self.init(id, Array(json.utf8), valid)
        }

        init(_ id: String, _ bytes: [UInt8], _ valid: Bool) {
            self.id = id
            self.bytes = bytes
            self.valid = valid
        }

        var testDescription: String { id }
    }

    /// `{"s":"<bytes>"}` with raw bytes inside the string.
    static func stringWith(_ bytes: [UInt8]) -> [UInt8] {
        Array(#"{"s":""#.utf8) + bytes + Array(#""}"#.utf8)
    }

    static let cases: [Case] = [
        // Valid documents.
        Case("empty object", "{}", true),
        Case("whitespace around", " \t\r\n{ \"a\" : [ 1 , 2 ] }\r\n ", true),
        Case("all scalar kinds", #"{"a":"x","b":-0.5e+10,"c":true,"d":false,"e":null,"f":0,"g":1E-2}"#, true),
        Case("nested", #"{"a":{"b":[{"c":[]},{}]}}"#, true),
        Case("escapes", #"{"s":"\"\\\/\b\f\n\r\t\u00e9\uD83D\uDE00"}"#, true),
        Case("lone surrogate escape (RFC grammar allows it)", #"{"s":"\ud800"}"#, true),
        Case("raw UTF-8", #"{"s":"é€😀"}"#, true),
        Case("DEL is not a control char", stringWith([0x7F]), true),
        Case("duplicate keys", #"{"a":1,"a":2}"#, true),
        Case("brackets in strings", #"{"a":"]}{[","b":"\"]"}"#, true),
        Case("big exponent is grammatical", #"{"a":1e400}"#, true),
        // Structure.
        Case("empty line", "", false),
        Case("whitespace only", "   ", false),
        Case("truncated", #"{"a":1"#, false),
        Case("truncated in string", #"{"a":"x"#, false),
        Case("truncated after colon", #"{"a":"#, false),
        Case("trailing garbage", #"{"a":1}x"#, false),
        Case("two objects", #"{"a":1} {"b":2}"#, false),
        Case("top-level array", "[1]", false),
        Case("top-level string", #""a""#, false),
        Case("trailing comma in object", #"{"a":1,}"#, false),
        Case("trailing comma in array", #"{"a":[1,]}"#, false),
        Case("missing comma", #"{"a":1 "b":2}"#, false),
        Case("missing colon", #"{"a" 1}"#, false),
        Case("unquoted key", #"{a:1}"#, false),
        Case("single quotes", #"{'a':1}"#, false),
        Case("mismatched brackets", #"{"a":[1}"#, false),
        Case("extra closer", #"{"a":1}}"#, false),
        Case("form feed is not whitespace", "\u{0C}{}", false),
        Case("NUL after the object", [0x7B, 0x7D, 0x00], false),
        // Literals and numbers.
        Case("bad literal", #"{"a":tru}"#, false),
        Case("capitalised literal", #"{"a":True}"#, false),
        Case("NaN", #"{"a":NaN}"#, false),
        Case("Infinity", #"{"a":Infinity}"#, false),
        Case("leading zero", #"{"a":01}"#, false),
        Case("negative leading zero", #"{"a":-01}"#, false),
        Case("1.", #"{"a":1.}"#, false),
        Case(".5", #"{"a":.5}"#, false),
        Case("lone minus", #"{"a":-}"#, false),
        Case("1e", #"{"a":1e}"#, false),
        Case("1e+", #"{"a":1e+}"#, false),
        Case("plus sign", #"{"a":+1}"#, false),
        Case("hex", #"{"a":0x10}"#, false),
        // Strings.
        Case("bad escape", #"{"s":"\x"}"#, false),
        Case("short unicode escape", #"{"s":"\u12"}"#, false),
        Case("non-hex unicode escape", #"{"s":"\u12G4"}"#, false),
        Case("raw control char", stringWith([0x01]), false),
        Case("raw tab", stringWith([0x09]), false),
        Case("raw newline", stringWith([0x0A]), false),
        Case("invalid UTF-8 byte", stringWith([0xFF]), false),
        Case("lone continuation byte", stringWith([0x80]), false),
        Case("truncated sequence", stringWith([0xE2, 0x82]), false),
        Case("overlong slash", stringWith([0xC0, 0xAF]), false),
        Case("overlong three-byte", stringWith([0xE0, 0x80, 0xAF]), false),
        Case("encoded surrogate", stringWith([0xED, 0xA0, 0x80]), false),
        Case("above U+10FFFF", stringWith([0xF4, 0x90, 0x80, 0x80]), false),
        Case("invalid UTF-8 in key", [0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D], false),
        Case("valid 4-byte", stringWith([0xF0, 0x9F, 0x98, 0x80]), true),
        Case("max scalar", stringWith([0xF4, 0x8F, 0xBF, 0xBF]), true),
    ]

    @Test(arguments: cases)
    func validity(_ testCase: Case) {
        withView(testCase.bytes) { view in
            #expect(view.isValidObjectDocument() == testCase.valid)
        }
    }

    @Test func hundredThousandOpenBracketsFailQuickly() {
        let deep = Array(#"{"a":"#.utf8) + [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        withView(deep) { view in
            #expect(!view.isValidObjectDocument())
            #expect(!view.isValidObjectDocument(maxDepth: 1_000_000))
            #expect(view.member(Array("a".utf8), of: JSONNode(kind: .object, start: 0, end: deep.count)) == nil)
        }
        let balanced =
            Array(#"{"a":"#.utf8) + [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
            + [UInt8](repeating: UInt8(ascii: "]"), count: 100_000) + [UInt8(ascii: "}")]
        withView(balanced) { view in
            #expect(!view.isValidObjectDocument())
            #expect(view.isValidObjectDocument(maxDepth: 100_001))
            #expect(view.lookup([.key("a")])?.end == balanced.count - 1)
        }
    }

    /// `{"a":` + (depth - 1) arrays: the root object counts as level 1.
    static func nested(depth: Int) -> [UInt8] {
        Array(#"{"a":"#.utf8) + [UInt8](repeating: UInt8(ascii: "["), count: depth - 1)
            + [UInt8](repeating: UInt8(ascii: "]"), count: depth - 1) + [UInt8(ascii: "}")]
    }

    @Test(arguments: [1, 2, 3, 64, 65, 512, 513])
    func depthExactlyAtTheLimit(depth: Int) {
        let document = depth == 1 ? Array("{}".utf8) : Self.nested(depth: depth)
        withView(document) { view in
            #expect(view.isValidObjectDocument(maxDepth: depth))
            #expect(!view.isValidObjectDocument(maxDepth: depth - 1))
            #expect(view.isValidObjectDocument() == (depth <= 512))
        }
    }
}
