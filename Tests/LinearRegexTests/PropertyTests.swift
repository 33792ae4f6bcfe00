import LinearRegex
import PropertyBased
import Testing

/// The engine agrees with a backtracking reference on random small regexes and subjects.
@Suite("Properties")
struct PropertyTests {
    /// Tokens a generated regex is built from.
    static let regexTokens = [
        "a", "b", "a", "b", ".", "[ab]", "[^a]", "\\d", "\\W", "*", "+", "?", "{1,2}", "{0,1}", "{2}", "{,2}", "{1,}",
        "{0}", "|", "^", "$",
    ]

    /// Pieces a generated subject is built from, including multi-byte characters and invalid UTF-8.
    static let subjectTokens: [[UInt8]] = [
        [0x61], [0x62], [0x61], [0x62], [0x61], [0x62], [0x31], [0x20], [0x0A],
        [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xFF], [0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98, 0x80],
    ]

    static let regexGenerator = Gen.int(in: 0...(regexTokens.count - 1)).array(of: 1...8)
    static let subjectGenerator = Gen.int(in: 0...(subjectTokens.count - 1)).array(of: 0...10)

    /// Compiles the regex made of `tokens`, checking that the engine and the reference agree on validity.
    static func build(_ tokens: [String]) -> (CompiledRegex, ReferenceMatcher)? {
        let body = tokens.joined()
        let reference = ReferenceMatcher(tokens: tokens)
        do {
            let regex = try CompiledRegex(body)
            #expect(reference != nil, "engine accepted %\(body)% but the reference rejects it")
            return reference.map { (regex, $0) }
        } catch {
            #expect(reference == nil, "engine rejected %\(body)%: \(error)")
            return nil
        }
    }

    @Test func agreesWithBacktrackingReference() async {
        await propertyCheck(count: 3000, input: Self.regexGenerator, Self.subjectGenerator) { regexPicks, textPicks in
            let tokens = regexPicks.map { Self.regexTokens[$0] }
            let subject = textPicks.flatMap { Self.subjectTokens[$0] }
            guard let (regex, reference) = Self.build(tokens) else { return }
            #expect(
                regex.matches(subject) == reference.matches(subject),
                "%\(tokens.joined())% on \(subject)"
            )
        }
    }

    static let atoms = ["a", "b", "a", "b", ".", "[ab]", "[^a]", "\\d", "\\W"]
    static let quantifiers = ["", "", "", "*", "+", "?", "{1,2}", "{0,1}", "{2}", "{,2}", "{1,}", "{0}", "{2,3}"]
    /// Each number picks an atom and a quantifier; an alternative's first number also picks its anchors.
    static let structuredGenerator = Gen.int(in: 0...(atoms.count * quantifiers.count * 4 - 1))
        .array(of: 1...4).array(of: 1...3)

    /// The tokens of a structured regex: valid by construction.
    static func tokens(structured alternatives: [[Int]]) -> [String] {
        var tokens: [String] = []
        for (position, picks) in alternatives.enumerated() {
            if position > 0 {
                tokens.append("|")
            }
            let anchors = picks[0] / (atoms.count * quantifiers.count)
            if anchors & 1 != 0 {
                tokens.append("^")
            }
            for pick in picks {
                tokens.append(atoms[pick % atoms.count])
                let quantifier = quantifiers[(pick / atoms.count) % quantifiers.count]
                if !quantifier.isEmpty {
                    tokens.append(quantifier)
                }
            }
            if anchors & 2 != 0 {
                tokens.append("$")
            }
        }
        return tokens
    }

    @Test func structuredRegexesAgreeWithReference() async {
        let structures = Self.structuredGenerator
        await propertyCheck(count: 2000, input: structures, Self.subjectGenerator) { structure, textPicks in
            let tokens = Self.tokens(structured: structure)
            let subject = textPicks.flatMap { Self.subjectTokens[$0] }
            guard let (regex, reference) = Self.build(tokens) else {
                Issue.record("a structured regex must compile: %\(tokens.joined())%")
                return
            }
            #expect(regex.matches(subject) == reference.matches(subject), "%\(tokens.joined())% on \(subject)")
            if regex.matches(subject) {
                #expect(contains(subject, regex.requiredLiteral), "%\(tokens.joined())% on \(subject)")
            }
        }
    }

    @Test func requiredLiteralIsInEveryMatch() async {
        await propertyCheck(count: 3000, input: Self.regexGenerator, Self.subjectGenerator) { regexPicks, textPicks in
            let tokens = regexPicks.map { Self.regexTokens[$0] }
            let subject = textPicks.flatMap { Self.subjectTokens[$0] }
            guard let regex = try? CompiledRegex(tokens.joined()), regex.matches(subject) else { return }
            #expect(contains(subject, regex.requiredLiteral), "%\(tokens.joined())% on \(subject)")
        }
    }

    @Test func scratchReuseGivesTheSameAnswer() async {
        let subjectLists = Self.subjectGenerator.array(of: 1...4)
        await propertyCheck(count: 500, input: Self.regexGenerator, subjectLists) { regexPicks, subjects in
            guard let regex = try? CompiledRegex(regexPicks.map { Self.regexTokens[$0] }.joined()) else { return }
            var scratch = RegexScratch()
            for indices in subjects {
                let subject = indices.flatMap { Self.subjectTokens[$0] }
                let fresh = regex.matches(subject)
                subject.withUnsafeBytes { buffer in
                    #expect(regex.matches(buffer, scratch: &scratch) == fresh)
                }
            }
        }
    }
}
