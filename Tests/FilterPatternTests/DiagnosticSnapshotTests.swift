import FilterPattern
import Testing

/// Every rejected pattern renders a caret block; the renderings are golden files.
struct DiagnosticSnapshotTests {
    /// One invalid pattern per error case, each named after what it shows.
    static let rejected: [(name: String, pattern: String)] = [
        ("json-missing-close-brace", #"{ $.eventName = "ConsoleLogin""#),
        ("delimited-missing-close-bracket", "[ip, user, status"),
        ("selector-without-dollar", #"{ status = "401" }"#),
        ("double-equals", "{ $.eventName == ConsoleLogin }"),
        ("missing-value", #"{ $.userIdentity.type = && $.eventType != "AwsServiceEvent" }"#),
        ("missing-operator", "{ $.eventName ConsoleLogin }"),
        ("is-not", "{ $.errorCode IS NOT NULL }"),
        ("bare-exists", "{ $.errorCode EXISTS }"),
        ("lowercase-keyword", "{ $.readOnly is true }"),
        ("two-wildcards-in-selector", "{ $.a[*].b[*] = 1 }"),
        ("four-wildcard-selectors", "{ $.a[*] = 1 && $.b[*] = 1 && $.c[*] = 1 && $.d[*] = 1 }"),
        ("regex-with-parenthesis", "{ $.eventName = %(Create|Delete)User% }"),
        ("regex-escaped-parenthesis", #"{ $.eventName = %\(x% }"#),
        ("regex-unclosed-class", "%[abc%"),
        ("three-regexes", "{ $.a = %a% && $.b = %b% && $.c = %c% }"),
        ("unquoted-at-sign", "{ $.email = a@example.com }"),
        ("relational-on-text", "{ $.eventName > Create }"),
        ("regex-with-relational", "{ $.latency > %1% }"),
        ("unbalanced-parenthesis", "{ ($.a = 1 || $.b = 2 }"),
        ("stray-close-parenthesis", "{ $.a = 1 ) }"),
        ("dangling-and", "{ $.a = 1 && }"),
        ("leading-or", "{ || $.a = 1 }"),
        ("empty-json", "{ }"),
        ("empty-delimited", "[ ]"),
        ("unterminated-quote", #"ERROR "unfinished"#),
        ("unterminated-regex", "%abc"),
        ("empty-regex", "%%"),
        ("detached-minus", #"ERROR - "Exiting""#),
        ("terms-not-separated", #""a""b""#),
        ("parentheses-in-delimited", "[a, (b = 1 || b = 2)]"),
        ("condition-on-other-field", "[a = 1 || b = 2, b]"),
        ("duplicate-field", "[a, a]"),
        ("deep-nesting", "{ " + String(repeating: "(", count: 70) + "$.a = 1" + String(repeating: ")", count: 70) + " }"),
        ("too-long", "{ $.eventName = \"" + String(repeating: "x", count: 1100) + "\" }"),
        ("regex-repetition-too-large", "%a{1001}%"),
        ("regex-nested-quantifier", "%a{1000}{1000}%"),
        ("bracket-key-double-quotes", #"{ $.["a.b"] = 1 }"#),
    ]

    @Test func renderedDiagnosticsMatchGoldenFile() {
        var rendered = ""
        for (name, pattern) in Self.rejected {
            rendered += "=== \(name)\n"
            do {
                _ = try CompiledPattern(pattern)
                rendered += "(compiled)\n"
            } catch {
                rendered += "[\(error.diagnostic.id.rawValue)]\n"
                rendered += DiagnosticRenderer().render(error.diagnostic, in: pattern)
            }
        }
        if let problem = assertSnapshot(rendered, named: "diagnostics.txt") {
            Issue.record(Comment(rawValue: problem))
        }
    }

    @Test func everyRejectedPatternHasACaretAndAFix() {
        for (name, pattern) in Self.rejected {
            do {
                _ = try CompiledPattern(pattern)
                Issue.record("\(name) compiled")
            } catch {
                let text = DiagnosticRenderer().render(error.diagnostic, in: pattern)
                #expect(text.contains("^"), "\(name) has no caret")
                #expect(error.diagnostic.fixIt != nil, "\(name) says nothing about how to fix it")
                #expect(!(error.diagnostic.message.first?.isUppercase ?? true), "\(name) message starts upper case")
            }
        }
    }
}
