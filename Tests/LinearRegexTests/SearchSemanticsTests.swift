import LinearRegex
import Testing

/// The AWS documentation examples, multi-byte subjects and invalid UTF-8.
@Suite("Search semantics")
struct SearchSemanticsTests {
    static let awsExamples: [MatchCase] = [
        MatchCase("substring hit", "AUTHORIZED", "UNAUTHORIZED", true),
        MatchCase("upper-case class", "[Ee]rror", "Error: disk full", true),
        MatchCase("lower-case class", "[Ee]rror", "error: disk full", true),
        MatchCase("class is case-sensitive", "[Ee]rror", "ERROR: disk full", false),
        MatchCase("alternation first", "gra|ey", "gray", true),
        MatchCase("alternation second", "gra|ey", "grey", true),
        MatchCase("alternation binds loosely", "gra|ey", "gre", false),
        MatchCase("bounded digits", "\\d{1,3}", "code 7", true),
        MatchCase("bounded digits miss", "\\d{1,3}", "no digits", false),
        MatchCase("unescaped dots match anything", "10.10.0.1", "10010,051", true),
        MatchCase("unescaped dots on the address", "10.10.0.1", "ip 10.10.0.1 ok", true),
        MatchCase("escaped dots are literal", "10\\.10\\.0\\.1", "10010,051", false),
        MatchCase("more a's than the maximum still match", "a{3,5}", "aaaaaa", true),
        MatchCase("fewer a's than the minimum", "a{3,5}", "aa", false),
        MatchCase("anchored negated class", "ab[^c]$", "aba", true),
        MatchCase("anchored negated class miss", "ab[^c]$", "abc", false),
        MatchCase("anchored negated class not at end", "ab[^c]$", "abax", false),
        MatchCase("JSON value", "Trail", "UpdateTrail", true),
        MatchCase("field path", "/service/resource/[0-9]+$", "/service/resource/42", true),
        MatchCase("loopback range is a search", "127\\.0\\.0\\.[1-9]", "127.0.0.10", true),
    ]

    @Test(arguments: awsExamples)
    func awsExample(_ testCase: MatchCase) throws {
        let regex = try CompiledRegex(testCase.regex)
        #expect(regex.matches(testCase.subject) == testCase.expected)
    }

    static let multiByte: [MatchCase] = [
        MatchCase("dot consumes a two-byte character", "^a.b$", "aéb", true),
        MatchCase("dot consumes a three-byte character", "^a.b$", "a€b", true),
        MatchCase("dot consumes a four-byte character", "^a.b$", "a😀b", true),
        MatchCase("two dots need two characters", "^..$", "é", false),
        MatchCase("two dots do not split a three-byte character", "..", "€", false),
        MatchCase("three dots do not split a four-byte character", "...", "😀", false),
        MatchCase("negated class consumes one character", "^x[^a]y$", "x€y", true),
        MatchCase("negated class does not consume two", "^x[^a]y$", "x€€y", false),
        MatchCase("non-word consumes one character", "^\\W$", "😀", true),
        MatchCase("non-digit consumes one character", "^\\D\\D$", "éé", true),
        MatchCase("non-space consumes one character", "^\\S$", "€", true),
        MatchCase("positive class rejects non-ASCII", "[a-z]", "é", false),
        MatchCase("literal after multi-byte character", "^.x$", "éx", true),
        MatchCase("bounded dots count characters", "^.{3}$", "日本語", true),
        MatchCase("bounded dots count characters, too few", "^.{4}$", "日本語", false),
    ]

    @Test(arguments: multiByte)
    func multiByteSubject(_ testCase: MatchCase) throws {
        let regex = try CompiledRegex(testCase.regex)
        #expect(regex.matches(testCase.subject) == testCase.expected)
    }

    static let invalidUTF8: [MatchCase] = [
        MatchCase("invalid byte is one character for dot", "^a.b$", bytes: [0x61, 0xFF, 0x62], true),
        MatchCase("stray continuation byte", "^.$", bytes: [0x80], true),
        MatchCase("two stray bytes are two characters", "^..$", bytes: [0x80, 0xBF], true),
        MatchCase("truncated sequence is one character per byte", "^..a$", bytes: [0xE2, 0x82, 0x61], true),
        MatchCase("truncated sequence, one dot is not enough", "^.a$", bytes: [0xE2, 0x82, 0x61], false),
        MatchCase("overlong encoding is two characters", "^..$", bytes: [0xC0, 0xAF], true),
        MatchCase("surrogate encoding is three characters", "^...$", bytes: [0xED, 0xA0, 0x80], true),
        MatchCase("lead byte then ASCII", "^[^a]b$", bytes: [0xC3, 0x62], true),
        MatchCase("literal after invalid byte", "ab", bytes: [0xFF, 0x61, 0x62, 0xFE], true),
        MatchCase("positive class never matches invalid byte", "[a-z]", bytes: [0xFF, 0xC3], false),
        MatchCase("non-word matches invalid byte", "a\\Wb", bytes: [0x61, 0xF5, 0x62], true),
        MatchCase("beyond U+10FFFF is invalid", "^....$", bytes: [0xF4, 0x90, 0x80, 0x80], true),
    ]

    @Test(arguments: invalidUTF8)
    func invalidUTF8Subject(_ testCase: MatchCase) throws {
        let regex = try CompiledRegex(testCase.regex)
        #expect(regex.matches(testCase.subject) == testCase.expected)
    }

    @Test func scratchIsReusableAcrossRegexes() throws {
        var scratch = RegexScratch()
        let small = try CompiledRegex("a+b")
        let large = try CompiledRegex("x{500}y|a[bc]{1,200}d")
        let subjects = [utf8("aaab"), utf8("xxab"), utf8("acccd"), utf8("")]
        for subject in subjects {
            let expectedSmall = small.matches(subject)
            let expectedLarge = large.matches(subject)
            subject.withUnsafeBytes { buffer in
                #expect(small.matches(buffer, scratch: &scratch) == expectedSmall)
                #expect(large.matches(buffer, scratch: &scratch) == expectedLarge)
                #expect(small.matches(buffer, scratch: &scratch) == expectedSmall)
            }
        }
    }

    @Test func nonContiguousSubject() throws {
        let regex = try CompiledRegex("b+c")
        let subject: some Collection<UInt8> = utf8("abbbcd").lazy.map { $0 }
        #expect(regex.matches(subject))
    }
}
