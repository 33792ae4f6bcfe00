import FilterPattern
import Foundation
import MetricFilters
import Testing

/// Hostile patterns and events, and the events JSON text cannot spell (invalid UTF-8, NUL).
///
/// Every pattern here must give a diagnostic or compile; every event must give an answer
/// (mostly false), never a crash or a hang. Where the spec fixes the answer, it is asserted.
@Suite(.timeLimit(.minutes(2)))
struct HostileInputTests {
    // MARK: - helpers

    /// The diagnostic id `pattern` is rejected with, or nil when it compiles.
    static func rejectionID(_ pattern: String) -> DiagnosticID? {
        do {
            _ = try CompiledPattern(pattern)
            return nil
        } catch {
            return error.diagnostic.id
        }
    }

    /// The matcher's answer (prefilter off), after checking that a prefilter rejection implies a
    /// matcher rejection.
    static func run(_ pattern: CompiledPattern, _ bytes: [UInt8]) -> Bool {
        var scratch = MatchScratch()
        return bytes.withUnsafeBytes { raw in
            var event = LogEvent(raw)
            let hit = pattern.matches(&event, scratch: &scratch)
            if !pattern.prefilter.mayMatch(raw) {
                #expect(!hit, "the prefilter rejected an event the matcher accepts: \(pattern.text.prefix(80))")
            }
            return hit
        }
    }

    static func run(_ pattern: String, _ bytes: [UInt8]) throws -> Bool {
        try run(CompiledPattern(pattern), bytes)
    }

    static func run(_ pattern: String, _ line: String) throws -> Bool {
        try run(CompiledPattern(pattern), Array(line.utf8))
    }

    // MARK: - hostile patterns

    @Test func hundredThousandOpenParenthesesInJSONPattern() {
        let pattern = "{ " + String(repeating: "(", count: 100_000) + " }"
        #expect(Self.rejectionID(pattern) == .patternTooLong)
    }

    @Test func parenthesesNestedWithinTheLengthLimit() {
        // 500 levels fit in 1024 characters; the parser must refuse them without deep recursion.
        let pattern = "{" + String(repeating: "(", count: 500) + "$.a=1" + String(repeating: ")", count: 500) + "}"
        #expect(pattern.count <= 1024)
        #expect(Self.rejectionID(pattern) == .nestingTooDeep)
        let unbalanced = "{" + String(repeating: "(", count: 1000) + "}"
        #expect(Self.rejectionID(unbalanced) != nil)
    }

    @Test func nestingAtASensibleDepthCompiles() throws {
        let pattern = "{" + String(repeating: "(", count: 20) + "$.a=1" + String(repeating: ")", count: 20) + "}"
        #expect(try Self.run(pattern, #"{"a":1}"#))
    }

    @Test func oneMebibytePatterns() {
        #expect(Self.rejectionID(String(repeating: "a", count: 1 << 20)) == .patternTooLong)
        #expect(Self.rejectionID("{ $.a = \"" + String(repeating: "x", count: 1 << 20) + "\" }") == .patternTooLong)
        #expect(Self.rejectionID("[" + String(repeating: "a,", count: 1 << 19) + "b]") == .patternTooLong)
        #expect(Self.rejectionID(String(repeating: "\u{1F600}", count: 1 << 18)) == .patternTooLong)
        #expect(Self.rejectionID("%" + String(repeating: "a{1000}", count: 1 << 17) + "%") == .patternTooLong)
    }

    @Test func exactly1024CharactersIsAccepted() {
        #expect(Self.rejectionID(String(repeating: "a", count: 1024)) == nil)
        #expect(Self.rejectionID(String(repeating: "a", count: 1025)) == .patternTooLong)
        // Characters, not bytes: 1024 four-byte scalars still fit.
        #expect(Self.rejectionID(String(repeating: "\u{1F600}", count: 1024)) == nil)
    }

    @Test func nestedRepetitionIsRejected() {
        #expect(Self.rejectionID("%a{1000}{1000}%") == .regexInvalid)
        #expect(Self.rejectionID("{ $.a = %a{1000}{1000}% }") == .regexInvalid)
        #expect(Self.rejectionID("[a = %a{1000}{1000}%]") == .regexInvalid)
        #expect(Self.rejectionID("%a**%") == .regexInvalid)
    }

    @Test func largeButLegalRepetitionsStayCheap() throws {
        let patterns = [
            "%a{1000}b{1000}c{1000}d{1000}e{1000}f{1000}%",
            "%[a-z]{1000}[0-9]{1000}\\w{1000}%",
            "%(a|aa){1,1000}%".replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: ""),
            "%" + String(repeating: "a?", count: 500) + "%",
            "%" + String(repeating: "a*", count: 500) + "b%",
        ]
        // 64 KiB: a class-heavy program near the size limit costs thousands of steps per byte
        // (about 6 s in a debug build), so this checks boundedness, not speed.
        let event = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 16)
        for text in patterns {
            switch Result(catching: { () throws(PatternError) -> CompiledPattern in try CompiledPattern(text) }) {
            case .failure(let error):
                #expect(error.diagnostic.severity == .error)
            case .success(let pattern):
                _ = Self.run(pattern, event)
            }
        }
    }

    @Test func hostileRegexAgainstLongEventIsLinear() throws {
        let event = [UInt8](repeating: UInt8(ascii: "a"), count: 2 << 20)
        #expect(try !Self.run("%^a*a*a*a*a*b%", event))
        #expect(try !Self.run("%a{1000}b%", event))
        #expect(try !Self.run("%a*b|a+c|[a-z]*d%", event))
    }

    @Test func manyTermsWithinTheLimit() throws {
        let pattern = Array(repeating: "?x", count: 340).joined(separator: " ")
        #expect(pattern.count <= 1024)
        #expect(try !Self.run(pattern, "no such letter"))
        #expect(try Self.run(pattern, "x"))
    }

    // MARK: - hostile events

    @Test func tenMegabyteEventOfAs() throws {
        let event = [UInt8](repeating: UInt8(ascii: "a"), count: 10_000_000)
        #expect(try !Self.run("ERROR", event))
        #expect(try !Self.run("?ERROR ?WARN", event))
        #expect(try Self.run("-ERROR", event))
        #expect(try !Self.run("%b%", event))
        #expect(try !Self.run("{ $.a NOT EXISTS }", event))
        #expect(try !Self.run("{ $.a = * }", event))
        #expect(try !Self.run("[a, b]", event))
        #expect(try !Self.run("[..., a = b, ...]", event))
        #expect(try Self.run("[a]", event))
    }

    @Test func megabyteEventOfFields() throws {
        var event = [UInt8]()
        event.reserveCapacity(1 << 20)
        while event.count < 1 << 20 { event.append(contentsOf: "a ".utf8) }
        #expect(try !Self.run("[a, b]", event))
        #expect(try !Self.run("[..., x = b, ...]", event))
        #expect(try !Self.run("[..., a = b, ..., c = d, ...]", event))
        #expect(try Self.run("[first, ..., last = a]", event))
    }

    @Test func tenMegabyteJSONString() throws {
        let event = Array(#"{"a":""#.utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 10_000_000) + Array(#"","b":1}"#.utf8)
        #expect(try Self.run("{ $.b = 1 }", event))
        #expect(try !Self.run("{ $.a = \"x\" }", event))
        #expect(try Self.run("{ $.a = x* }", event))
        #expect(try !Self.run("{ $.a = %y% }", event))
    }

    @Test func nulBytesInEvents() throws {
        let text: [UInt8] = [0x00] + Array("ERROR".utf8) + [0x00, 0x00] + Array(" disk".utf8)
        #expect(try Self.run("ERROR", text))
        #expect(try !Self.run("WARN", text))
        #expect(try Self.run("%ERROR%", text))
        #expect(try !Self.run("{ $.a NOT EXISTS }", text))
        _ = try Self.run("[a, b]", text)
        // A raw control character inside a JSON string is not valid JSON.
        let json: [UInt8] = Array(#"{"a":"x"#.utf8) + [0x00] + Array(#"y"}"#.utf8)
        #expect(try !Self.run("{ $.b NOT EXISTS }", json))
        #expect(try Self.run("ERROR", Array(#"{"level":"ERROR"}"#.utf8) + [0x00]))
        // An escaped NUL is valid JSON.
        #expect(try Self.run("{ $.a = * }", Array(#"{"a":"x\u0000y"}"#.utf8)))
        #expect(try Self.run("{ $.a = x* }", Array(#"{"a":"x\u0000y"}"#.utf8)))
    }

    @Test func invalidUTF8InEvents() throws {
        let lone: [UInt8] = Array("ERROR ".utf8) + [0xFF, 0xFE, 0xC3] + Array(" tail".utf8)
        #expect(try Self.run("ERROR", lone))
        #expect(try Self.run("tail", lone))
        #expect(try !Self.run("WARN", lone))
        _ = try Self.run("%^ERROR .+ tail$%", lone)
        _ = try Self.run("%[^a]%", lone)
        _ = try Self.run("%\\W%", lone)
        _ = try Self.run("[a, b, c]", lone)
        _ = try Self.run("[a, b = %.%, c]", lone)
        let json: [UInt8] = Array(#"{"a":""#.utf8) + [0xC0, 0xAF, 0xED, 0xA0, 0x80] + Array(#"","b":"x"}"#.utf8)
        #expect(try !Self.run("{ $.a NOT EXISTS }", json))
        _ = try Self.run("{ $.a = * }", json)
        _ = try Self.run("{ $.a = %.% }", json)
        _ = try Self.run("{ $.b = x }", json)
        let key: [UInt8] = Array(#"{""#.utf8) + [0xFF] + Array(#"":1}"#.utf8)
        _ = try Self.run("{ $.* = 1 }", key)
        // Unpaired surrogate escapes.
        _ = try Self.run("{ $.a = * }", Array(#"{"a":"\ud800"}"#.utf8))
        _ = try Self.run("{ $.a = %.% }", Array(#"{"a":"\udfff\ud800x"}"#.utf8))
        _ = try Self.run("{ $.a = \"\u{FFFD}\" }", Array(#"{"a":"\ud800"}"#.utf8))
        // Truncated escapes.
        #expect(try !Self.run("{ $.a NOT EXISTS }", Array(#"{"a":"\u00"#.utf8)))
        #expect(try !Self.run("{ $.b NOT EXISTS }", Array(#"{"a":"\"#.utf8)))
    }

    @Test func deeplyNestedJSONEvent() throws {
        let depth = 100_000
        let balanced = Array(#"{"a":"#.utf8) + [UInt8](repeating: UInt8(ascii: "["), count: depth)
            + [UInt8](repeating: UInt8(ascii: "]"), count: depth) + Array("}".utf8)
        #expect(try !Self.run("{ $.a = * }", balanced))
        #expect(try !Self.run("{ $.a[0] = * }", balanced))
        #expect(try !Self.run("{ $.a[*] = 1 }", balanced))
        _ = try Self.run("{ $.b NOT EXISTS }", balanced)
        #expect(try Self.run("[a]", balanced))

        let unclosed = Array(#"{"a":"#.utf8) + [UInt8](repeating: UInt8(ascii: "["), count: depth)
        #expect(try !Self.run("{ $.b NOT EXISTS }", unclosed))
        #expect(try !Self.run("{ $.a[0][0][0] NOT EXISTS }", unclosed))

        let topArray = [UInt8](repeating: UInt8(ascii: "["), count: depth) + [UInt8](repeating: UInt8(ascii: "]"), count: depth)
        #expect(try !Self.run("{ $.a NOT EXISTS }", topArray))

        var objects = [UInt8]()
        for _ in 0..<depth { objects.append(contentsOf: #"{"a":"#.utf8) }
        objects.append(contentsOf: "1".utf8)
        objects.append(contentsOf: [UInt8](repeating: UInt8(ascii: "}"), count: depth))
        _ = try Self.run("{ $.a.a.a = * }", objects)
        _ = try Self.run("{ $.a.* = 1 }", objects)
        #expect(try !Self.run("{ $.a = 1 }", objects))
        _ = try Self.run("{ $.b NOT EXISTS }", objects)
    }

    @Test func wideJSONEvent() throws {
        var event = Array("{".utf8)
        for index in 0..<200_000 { event.append(contentsOf: "\"k\(index)\":\(index),".utf8) }
        event.append(contentsOf: #""last":"x"}"#.utf8)
        #expect(try Self.run("{ $.last = x }", event))
        #expect(try Self.run("{ $.* = 199999 }", event))
        #expect(try !Self.run("{ $.* = 200000 }", event))
        #expect(try Self.run("{ $.k0 = 0 && $.missing NOT EXISTS }", event))
    }

    // MARK: - JSON edge cases the brief asks for in Swift

    @Test func escapedJSONStillMatches() throws {
        let line = #"{"eventName":"\u0043onsoleLogin","errorMessage":"Failed authentication"}"#
        #expect(try Self.run(#"{ $.eventName = "ConsoleLogin" }"#, line))
        #expect(try Self.run("{ $.eventName = ConsoleLogin }", line))
        #expect(try Self.run("{ $.eventName = Console* }", line))
        #expect(try Self.run("{ $.eventName = %^Console% }", line))
        #expect(try Self.run(#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#, line))
        #expect(try !Self.run(#"{ $.eventName = "\u0043onsoleLogin" }"#, line))
    }

    @Test func truncatedJSONNeverMatches() throws {
        for line in [#"{"a":1"#, #"{"a":1,"#, #"{"a":"#, #"{"a""#, #"{""#, "{", #"{"a":[1,2}"#, #"{"a":1}}"#] {
            #expect(try !Self.run("{ $.zzz NOT EXISTS }", line), "NOT EXISTS matched truncated \(line)")
            #expect(try !Self.run("{ $.a = * }", line), "= * matched truncated \(line)")
            #expect(try !Self.run("{ $.a IS NULL || $.a NOT EXISTS || $.a = * }", line))
        }
    }

    @Test func topLevelArrayNeverMatches() throws {
        for line in ["[]", "[{}]", #"[{"a":1}]"#, "[1,2,3]", " [ ] "] {
            #expect(try !Self.run("{ $.a NOT EXISTS }", line), "NOT EXISTS matched \(line)")
            #expect(try !Self.run("{ $[0] = * }", line))
            #expect(try !Self.run("{ $[0].a = 1 }", line))
        }
    }
}
