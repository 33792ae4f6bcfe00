import LinearRegex
import Testing

/// Inputs built to crash or stall a naive engine; each must give an answer or a diagnostic.
@Suite("Hostile input")
struct HostileInputTests {
    @Test func manyOpenBrackets() throws {
        let body = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        let error = try #require(throws: RegexError.self) { try CompiledRegex(body) }
        #expect(error.code == .nestedClass)
        #expect(error.offset == 1)
    }

    @Test func manyOpenParentheses() throws {
        let body = [UInt8](repeating: UInt8(ascii: "("), count: 100_000)
        let error = try #require(throws: RegexError.self) { try CompiledRegex(body) }
        #expect(error.code == .parenthesisNotAllowed)
        #expect(error.offset == 0)
    }

    @Test func repeatedRepetition() throws {
        let error = try #require(throws: RegexError.self) { try CompiledRegex("a{1000}{1000}") }
        #expect(error.code == .nestedQuantifier)
    }

    @Test func oneMebibyteLiteralBody() throws {
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
        let error = try #require(throws: RegexError.self) { try CompiledRegex(body) }
        #expect(error.code == .programTooLarge)
        #expect(error.offset == RegexLimits.maxProgramSize - 1)
    }

    @Test func oneMebibyteOfZeroRepetitions() throws {
        // Each `a{0}` compiles to nothing, so only the body length is large.
        let body = Array(String(repeating: "a{0}", count: (1 << 20) / 4).utf8)
        let regex = try CompiledRegex(body)
        #expect(regex.programSize == 1)
        #expect(regex.matches(utf8("")))
    }

    @Test func oneMebibyteOfAlternatives() throws {
        let body = Array(String(repeating: "ab|", count: 350_000).utf8) + utf8("c")
        let error = try #require(throws: RegexError.self) { try CompiledRegex(body) }
        #expect(error.code == .programTooLarge)
    }

    @Test func oneMebibyteWithLateSyntaxError() throws {
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20) + utf8("(")
        let error = try #require(throws: RegexError.self) { try CompiledRegex(body) }
        #expect(error.code == .parenthesisNotAllowed)
        #expect(error.offset == 1 << 20)
    }

    @Test(arguments: ["(a*)*", "(a+)+", "(a|a)*", "(a|aa)+$", "(.*a){20}"])
    func catastrophicShapesAreRejected(_ body: String) throws {
        let error = try #require(throws: RegexError.self) { try CompiledRegex(body) }
        #expect(error.code == .parenthesisNotAllowed)
    }

    @Test func manyStarsAgainstLongInput() throws {
        let regex = try CompiledRegex(String(repeating: "a*", count: 30) + "b")
        let subject = [UInt8](repeating: UInt8(ascii: "a"), count: 100_000)
        #expect(regex.matches(subject) == false)
        #expect(regex.matches(subject + utf8("b")))
    }

    @Test func nestedOptionalsAgainstLongInput() throws {
        let regex = try CompiledRegex("a{0,200}a{200}$")
        let subject = [UInt8](repeating: UInt8(ascii: "a"), count: 5_000)
        #expect(regex.matches(subject))
        #expect(regex.matches(subject + utf8("b")) == false)
    }

    @Test func dotStarWithoutPrefilterAgainstLongInput() throws {
        let regex = try CompiledRegex("[ab].*[cd]x")
        var subject = [UInt8](repeating: UInt8(ascii: "a"), count: 100_000)
        #expect(regex.matches(subject) == false)
        subject.append(contentsOf: utf8("dx"))
        #expect(regex.matches(subject))
    }

    @Test func requiredLiteralSearchIsLinear() throws {
        let needle = String(repeating: "a", count: 999) + "b"
        let regex = try CompiledRegex(needle)
        let subject = [UInt8](repeating: UInt8(ascii: "a"), count: 200_000)
        #expect(regex.matches(subject) == false)
        #expect(regex.matches(subject + utf8("b")))
    }

    @Test func longInvalidUTF8Subject() throws {
        let regex = try CompiledRegex("[^a][^a][^a]x")
        let reference = try #require(ReferenceMatcher(tokens: ["[^a]", "[^a]", "[^a]", "x"]))
        // Every byte value, in an order that makes many invalid and a few valid UTF-8 sequences.
        let subject = (0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ $0 >> 8) }
        #expect(regex.matches(subject) == reference.matches(subject))
        let noX = subject.filter { $0 != UInt8(ascii: "x") }
        #expect(regex.matches(noX) == false)
    }
}
