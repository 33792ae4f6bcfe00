/// A filter pattern, parsed, checked and ready to match events.
///
/// Compile once and match many times: a compiled pattern is immutable and `Sendable`, and all
/// the state matching needs lives in a caller-owned ``MatchScratch``.
///
/// ```swift
/// let pattern = try CompiledPattern(#"{ $.eventName = "ConsoleLogin" && $.errorCode NOT EXISTS }"#)
/// var scratch = MatchScratch()
/// let hit = pattern.matches(&event, scratch: &scratch)
/// ```
public struct CompiledPattern: Sendable {
    /// Which of CloudWatch's three pattern languages the text is written in.
    public enum Kind: String, Sendable {
        /// A blank pattern: every event matches.
        case matchAll
        case terms
        case json
        case delimited
    }

    /// The pattern as the user wrote it.
    public let text: String
    public let kind: Kind
    /// Accepted-but-suspicious spots, such as a bare term with punctuation.
    public let warnings: [PatternDiagnostic]
    let terms: [Term]
    let conditions: [JSONCondition]
    let expression: BoolExpr
    /// The distinct selectors a JSON pattern references, in order of appearance.
    public let selectors: [Selector]
    let entries: [DelimitedEntry]
    let fieldConditions: [FieldCondition]
    /// The names of a space-delimited pattern's fields, in order.
    public let fieldNames: [String]
    /// The literals an event must contain to possibly match.
    public let prefilter: LiteralPrefilter

    /// Parses and checks `text`.
    /// - Throws: ``PatternError`` with the first problem, pointing at its spot.
    /// - Complexity: O(n) in the pattern's length; a pattern over 1024 characters is rejected
    ///   after counting them.
    public init(_ text: String) throws(PatternError) {
        var parser = PatternParser(text)
        self = try parser.parse()
    }

    init(
        text: String, kind: Kind, warnings: [PatternDiagnostic], terms: [Term] = [],
        conditions: [JSONCondition] = [], expression: BoolExpr = BoolExpr(), selectors: [Selector] = [],
        entries: [DelimitedEntry] = [], fieldConditions: [FieldCondition] = [], fieldNames: [String] = []
    ) {
        self.text = text
        self.kind = kind
        self.warnings = warnings
        self.terms = terms
        self.conditions = conditions
        self.expression = expression
        self.selectors = selectors
        self.entries = entries
        self.fieldConditions = fieldConditions
        self.fieldNames = fieldNames
        self.prefilter = LiteralPrefilter.extract(
            kind: kind, terms: terms, conditions: conditions, expression: expression, entries: entries,
            fieldConditions: fieldConditions)
    }

    /// How many `%regex%` the pattern holds, for the per-log-group quota of five.
    public var regexCount: Int {
        var count = 0
        for term in terms { if case .regex = term.matcher { count += 1 } }
        for condition in conditions { if case .compare(_, .regex) = condition.test { count += 1 } }
        for leaf in fieldConditions { if case .regex = leaf.operand { count += 1 } }
        return count
    }

    /// Whether `event` matches, with the prefilter skipped.
    /// - Complexity: O(n) in the event's length for term and JSON patterns (regexes included),
    ///   O(n·k) for space-delimited patterns with k entries.
    public func matches<Event: FieldLookup>(_ event: inout Event, scratch: inout MatchScratch) -> Bool {
        switch kind {
        case .matchAll:
            return true
        case .terms:
            return matchesTerms(event.rawLine, regexScratch: &scratch.regex)
        case .json:
            guard let root = event.jsonRoot() else { return false }
            let hit = expression.evaluate { index in
                evaluate(conditions[index], root: root, in: event, text: &scratch.text, regex: &scratch.regex)
            }
            return hit && event.isValidJSONObject()
        case .delimited:
            return bindFields(event.rawLine, scratch: &scratch)
        }
    }
}
