import LinearRegex
import Testing

/// `requiredLiteral`, `isPlainLiteral` and `programSize`.
@Suite("Literals and sizes")
struct LiteralTests {
    struct LiteralCase: CustomTestStringConvertible, Sendable {
        var regex: String
        var required: String
        var isPlain: Bool
        var testDescription: String { "%\(regex)% requires \(required.debugDescription)" }
    }

    static let cases: [LiteralCase] = [
        LiteralCase(regex: "AUTHORIZED", required: "AUTHORIZED", isPlain: true),
        LiteralCase(regex: "shutting down", required: "shutting down", isPlain: true),
        LiteralCase(regex: "[Ee]rror", required: "rror", isPlain: false),
        LiteralCase(regex: "^abc$", required: "abc", isPlain: false),
        LiteralCase(regex: "a\\.b", required: "a.b", isPlain: false),
        LiteralCase(regex: "gra|ey", required: "", isPlain: false),
        LiteralCase(regex: "ERROR|FATAL ERROR", required: "ERROR", isPlain: false),
        LiteralCase(regex: "abc|abc", required: "abc", isPlain: false),
        LiteralCase(regex: "\\d{1,3}", required: "", isPlain: false),
        LiteralCase(regex: "10.10.0.1", required: "10", isPlain: false),
        LiteralCase(regex: "a{3,5}", required: "aaa", isPlain: false),
        LiteralCase(regex: "xa{2}y", required: "xaay", isPlain: false),
        LiteralCase(regex: "a+b", required: "ab", isPlain: false),
        LiteralCase(regex: "ab?c", required: "a", isPlain: false),
        LiteralCase(regex: "ab*cde", required: "cde", isPlain: false),
        LiteralCase(regex: "[a]bc", required: "abc", isPlain: false),
        LiteralCase(regex: "\\x41XY", required: "AXY", isPlain: false),
        LiteralCase(regex: "a{0}", required: "", isPlain: false),
    ]

    @Test(arguments: cases)
    func requiredLiteral(_ testCase: LiteralCase) throws {
        let regex = try CompiledRegex(testCase.regex)
        #expect(regex.requiredLiteral == utf8(testCase.required))
        #expect(regex.isPlainLiteral == testCase.isPlain)
    }

    struct SizeCase: CustomTestStringConvertible, Sendable {
        var regex: String
        var size: Int
        var testDescription: String { "%\(regex)% is \(size) instructions" }
    }

    static let sizes: [SizeCase] = [
        SizeCase(regex: "a", size: 2),
        SizeCase(regex: "^a$", size: 4),
        SizeCase(regex: "a?", size: 3),
        SizeCase(regex: "a*", size: 4),
        SizeCase(regex: "a+", size: 3),
        SizeCase(regex: "a{3}", size: 4),
        SizeCase(regex: "a{2,4}", size: 7),
        SizeCase(regex: "a{2,}", size: 4),
        SizeCase(regex: "a{,2}", size: 5),
        SizeCase(regex: "a|b", size: 5),
        SizeCase(regex: "a|b|c", size: 8),
    ]

    @Test(arguments: sizes)
    func programSize(_ testCase: SizeCase) throws {
        #expect(try CompiledRegex(testCase.regex).programSize == testCase.size)
    }

    @Test func byteInitializerAgreesWithString() throws {
        let fromBytes = try CompiledRegex(utf8("[Ee]rror \\d+"))
        let fromString = try CompiledRegex("[Ee]rror \\d+")
        #expect(fromBytes.programSize == fromString.programSize)
        #expect(fromBytes.requiredLiteral == fromString.requiredLiteral)
    }
}
