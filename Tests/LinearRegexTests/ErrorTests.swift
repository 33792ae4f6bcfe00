import LinearRegex
import Testing

/// One body that must be rejected, with the expected code and span.
struct ErrorCase: CustomTestStringConvertible, Sendable {
    var name: String
    var body: [UInt8]
    var code: RegexError.Code
    var offset: Int
    var length: Int

    init(_ name: String, _ body: String, _ code: RegexError.Code, at offset: Int, length: Int = 1) {
        self.init(name, bytes: utf8(body), code, at: offset, length: length)
    }

    init(_ name: String, bytes: [UInt8], _ code: RegexError.Code, at offset: Int, length: Int = 1) {
        self.name = name
        self.body = bytes
        self.code = code
        self.offset = offset
        self.length = length
    }

    var testDescription: String {
        "\(name): %\(String(decoding: body, as: UTF8.self))% -> \(code.rawValue) at \(offset)"
    }
}

@Suite("Errors")
struct ErrorTests {
    static let cases: [ErrorCase] = [
        ErrorCase("bang", "a!b", .disallowedCharacter, at: 1),
        ErrorCase("double quote", "\"x\"", .disallowedCharacter, at: 0),
        ErrorCase("percent", "a%b", .disallowedCharacter, at: 1),
        ErrorCase("tab", "a\tb", .disallowedCharacter, at: 1),
        ErrorCase("multi-byte character spans all its bytes", "aé", .disallowedCharacter, at: 1, length: 2),
        ErrorCase("invalid UTF-8 byte", bytes: [0x61, 0xFF], .disallowedCharacter, at: 1),
        ErrorCase("escaped bang", "a\\!", .disallowedCharacter, at: 1, length: 2),
        ErrorCase("disallowed in class", "[a&]", .disallowedCharacter, at: 2),
        ErrorCase("trailing alternative", "a|", .emptyAlternative, at: 1),
        ErrorCase("leading alternative", "|a", .emptyAlternative, at: 0),
        ErrorCase("doubled bar", "a||b", .emptyAlternative, at: 2),
        ErrorCase("lone bar", "|", .emptyAlternative, at: 0),
        ErrorCase("empty class", "a[]", .emptyClass, at: 1, length: 2),
        ErrorCase("empty negated class", "[^]", .emptyClass, at: 0, length: 3),
        ErrorCase("empty body", "", .emptyRegex, at: 0, length: 0),
        ErrorCase("newline escape", "a\\n", .invalidEscape, at: 1, length: 2),
        ErrorCase("word boundary", "\\bword", .invalidEscape, at: 0, length: 2),
        ErrorCase("digit escape", "\\1", .invalidEscape, at: 0, length: 2),
        ErrorCase("escape in class", "[\\t]", .invalidEscape, at: 1, length: 2),
        ErrorCase("one hex digit", "\\x4g", .invalidHexEscape, at: 0, length: 3),
        ErrorCase("no hex digit", "a\\x", .invalidHexEscape, at: 1, length: 2),
        ErrorCase("braced hex", "\\x{41}", .invalidHexEscape, at: 0, length: 2),
        ErrorCase("non-ASCII hex", "\\xE9", .invalidHexEscape, at: 0, length: 4),
        ErrorCase("reversed range", "[z-a]", .invalidRange, at: 1, length: 3),
        ErrorCase("class as range start", "[\\d-z]", .invalidRange, at: 1, length: 4),
        ErrorCase("class as range end", "[a-\\d]", .invalidRange, at: 1, length: 4),
        ErrorCase("empty repetition", "a{}", .invalidRepetition, at: 1, length: 2),
        ErrorCase("comma-only repetition", "a{,}", .invalidRepetition, at: 1, length: 3),
        ErrorCase("letter in repetition", "a{2x}", .invalidRepetition, at: 3),
        ErrorCase("three parts", "a{1,2,3}", .invalidRepetition, at: 5),
        ErrorCase("minimum above maximum", "a{5,3}", .invalidRepetition, at: 1, length: 5),
        ErrorCase("caret after text", "a^b", .misplacedAnchor, at: 1),
        ErrorCase("double caret", "^^a", .misplacedAnchor, at: 1),
        ErrorCase("dollar before text", "a$b", .misplacedAnchor, at: 1),
        ErrorCase("double dollar", "a$$", .misplacedAnchor, at: 1),
        ErrorCase("caret after dollar", "$^", .misplacedAnchor, at: 1),
        ErrorCase("bracket in class", "[[a]", .nestedClass, at: 1),
        ErrorCase("posix class", "[[:alpha:]]", .nestedClass, at: 1),
        ErrorCase("double star", "a**", .nestedQuantifier, at: 2),
        ErrorCase("lazy star", "a*?", .nestedQuantifier, at: 2),
        ErrorCase("lazy question", "a??", .nestedQuantifier, at: 2),
        ErrorCase("possessive", "a*+", .nestedQuantifier, at: 2),
        ErrorCase("repeated repetition", "a{1000}{1000}", .nestedQuantifier, at: 7),
        ErrorCase("leading star", "*a", .nothingToRepeat, at: 0),
        ErrorCase("star after caret", "^*", .nothingToRepeat, at: 1),
        ErrorCase("plus after bar", "a|+", .nothingToRepeat, at: 2),
        ErrorCase("repetition after dollar", "a${2}", .nothingToRepeat, at: 2),
        ErrorCase("leading brace", "{2}", .nothingToRepeat, at: 0),
        ErrorCase("open paren", "a(b", .parenthesisNotAllowed, at: 1),
        ErrorCase("close paren", "a)", .parenthesisNotAllowed, at: 1),
        ErrorCase("escaped paren", "\\(x", .parenthesisNotAllowed, at: 0, length: 2),
        ErrorCase("paren in class", "[(]", .parenthesisNotAllowed, at: 1),
        ErrorCase("group", "(a*)*", .parenthesisNotAllowed, at: 0),
        ErrorCase("expansion over the limit", "a{1000}b{1000}c{1000}d{1000}e{1000}f{1000}g{1000}h{1000}i{1000}j{1000}"
            + "k{1000}l{1000}m{1000}n{1000}o{1000}p{1000}q{1000}r{1000}s{1000}t{1000}u{1000}", .programTooLarge,
            at: 133, length: 7),
        ErrorCase("optional expansion over the limit", "[ab]{0,1000}[ab]{0,1000}[ab]{0,1000}[ab]{0,1000}"
            + "[ab]{0,1000}[ab]{0,1000}[ab]{0,1000}[ab]{0,1000}[ab]{0,1000}[ab]{0,1000}[ab]{0,1000}", .programTooLarge,
            at: 108, length: 12),
        ErrorCase("bound too large", "a{1001}", .repetitionTooLarge, at: 2, length: 4),
        ErrorCase("upper bound too large", "a{1,5000}", .repetitionTooLarge, at: 4, length: 4),
        ErrorCase("huge bound", "a{99999999999999999999999}", .repetitionTooLarge, at: 2, length: 23),
        ErrorCase("trailing backslash", "ab\\", .trailingBackslash, at: 2),
        ErrorCase("trailing backslash in class", "[a\\", .trailingBackslash, at: 2),
        ErrorCase("unclosed class", "a[bc", .unclosedClass, at: 1),
        ErrorCase("unclosed negated class", "[^", .unclosedClass, at: 0),
        ErrorCase("unclosed class after range", "[a-", .unclosedClass, at: 0),
        ErrorCase("unclosed repetition", "a{2,3", .unclosedRepetition, at: 1),
        ErrorCase("unclosed repetition after digits", "a{12", .unclosedRepetition, at: 1),
        ErrorCase("stray closing bracket", "a]", .unmatchedBracket, at: 1),
        ErrorCase("stray closing brace", "a}", .unmatchedBracket, at: 1),
    ]

    @Test(arguments: cases)
    func rejects(_ testCase: ErrorCase) {
        do {
            let regex = try CompiledRegex(testCase.body)
            Issue.record("compiled to \(regex.programSize) instructions instead of failing")
        } catch {
            #expect(error.code == testCase.code)
            #expect(error.offset == testCase.offset)
            #expect(error.length == testCase.length)
            #expect(error.message.first.map { !$0.isUppercase } ?? false, "message starts lowercase")
            #expect(!error.message.hasSuffix("."))
        }
    }

    @Test func everyCodeHasACase() {
        let covered = Set(Self.cases.map(\.code.rawValue))
        for code in RegexError.Code.allCases {
            #expect(covered.contains(code.rawValue), "no error case for \(code)")
        }
    }

    @Test func codesAreAlphabetical() {
        let names = RegexError.Code.allCases.map(\.rawValue)
        #expect(names == names.sorted())
    }

    @Test func parenthesisMessageAndFixIt() throws {
        let error = try #require(throws: RegexError.self) { try CompiledRegex("a(b") }
        #expect(error.message.hasPrefix("'(' is not allowed in a CloudWatch regex"))
        #expect(error.fixIt == "write \\x28 to match a literal '('")
    }

    @Test func repetitionMessageNamesBoundAndLimit() throws {
        let error = try #require(throws: RegexError.self) { try CompiledRegex("a{1500}") }
        #expect(error.message == "the repetition bound 1500 exceeds the limit of 1000")
    }

    @Test func programTooLargeMessageNamesSizeAndLimit() throws {
        let body = String(repeating: "a{1000}", count: 25)
        let error = try #require(throws: RegexError.self) { try CompiledRegex(body) }
        #expect(error.code == .programTooLarge)
        #expect(error.message.contains("25001"))
        #expect(error.message.contains("\(RegexLimits.maxProgramSize)"))
        #expect(error.fixIt?.contains("character class") == true)
    }

    @Test func hexEscapeTakesExactlyTwoDigits() throws {
        // As ICU reads it: \x41 is 'A', and the following '4' is a literal.
        let regex = try CompiledRegex("\\x414")
        #expect(regex.matches(Array("xA4".utf8)))
        #expect(!regex.matches(Array("A".utf8)))
        #expect(try CompiledRegex("a\\x3Ab").matches(Array("a:b".utf8)))
    }

    @Test func largestProgramIsAccepted() throws {
        // 19 × 1000 + 999 literal bytes + 1 match = 20,000 instructions exactly.
        let body = String(repeating: "a{1000}", count: 19) + String(repeating: "b", count: 999)
        let regex = try CompiledRegex(body)
        #expect(regex.programSize == RegexLimits.maxProgramSize)
        #expect(throws: RegexError.self) { try CompiledRegex(body + "c") }
    }
}
