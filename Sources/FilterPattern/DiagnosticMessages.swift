/// The catalogue of pattern diagnostics: one stable identifier per problem, in alphabetical order.
///
/// Identifiers never change meaning; tests and golden files refer to them. Messages live beside
/// them in ``Diag`` so every spelling of a problem comes from one place.
public enum DiagnosticID: String, Sendable, Hashable, CaseIterable {
    case bareTermCharacters = "bare-term-characters"
    case booleanComparedAsText = "boolean-compared-as-text"
    case conditionOnOtherField = "condition-on-other-field"
    case danglingOperator = "dangling-operator"
    case delimitedPatternUnclosed = "delimited-pattern-unclosed"
    case detachedPrefix = "detached-prefix"
    case doubleEquals = "double-equals"
    case duplicateFieldName = "duplicate-field-name"
    case emptyDelimitedPattern = "empty-delimited-pattern"
    case emptyJSONPattern = "empty-json-pattern"
    case emptyPattern = "empty-pattern"
    case emptyQuotedTerm = "empty-quoted-term"
    case emptyRegex = "empty-regex"
    case existsUnsupported = "exists-unsupported"
    case expectedCondition = "expected-condition"
    case expectedField = "expected-field"
    case expectedFieldSeparator = "expected-field-separator"
    case expectedOperator = "expected-operator"
    case expectedValue = "expected-value"
    case isNotUnsupported = "is-not-unsupported"
    case jsonPatternUnclosed = "json-pattern-unclosed"
    case keywordCase = "keyword-case"
    case missingCloseParenthesis = "missing-close-parenthesis"
    case nestingTooDeep = "nesting-too-deep"
    case parenthesesInDelimited = "parentheses-in-delimited"
    case patternTooLong = "pattern-too-long"
    case plainRegex = "plain-regex"
    case quoteInsideTerm = "quote-inside-term"
    case regexInvalid = "regex-invalid"
    case regexOperator = "regex-operator"
    case regexQuotaExceeded = "regex-quota-exceeded"
    case relationalNonNumeric = "relational-non-numeric"
    case selectorInvalid = "selector-invalid"
    case selectorMissingDollar = "selector-missing-dollar"
    case termsNotSeparated = "terms-not-separated"
    case tooManyWildcardSelectors = "too-many-wildcard-selectors"
    case tooManyWildcardsInSelector = "too-many-wildcards-in-selector"
    case unexpectedCharacter = "unexpected-character"
    case unexpectedCloseParenthesis = "unexpected-close-parenthesis"
    case unexpectedToken = "unexpected-token"
    case unquotedValueCharacters = "unquoted-value-characters"
    case unterminatedQuote = "unterminated-quote"
    case unterminatedRegex = "unterminated-regex"
}

/// Builds diagnostics with the catalogue's wording.
enum Diag {
    static func error(
        _ id: DiagnosticID, _ message: String, _ span: Range<Int>, fix: String? = nil, notes: [String] = []
    ) -> PatternDiagnostic {
        PatternDiagnostic(id, severity: .error, message: message, span: span, notes: notes, fixIt: fix)
    }

    static func warning(
        _ id: DiagnosticID, _ message: String, _ span: Range<Int>, fix: String? = nil, notes: [String] = []
    ) -> PatternDiagnostic {
        PatternDiagnostic(id, severity: .warning, message: message, span: span, notes: notes, fixIt: fix)
    }

    static let comparisonOperators = "'=', '!=', '<', '<=', '>', '>='"
    static let valueFix = "add a quoted string, a number, a wildcard such as *, or a %regex% here"
}
