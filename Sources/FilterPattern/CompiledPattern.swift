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

    /// Everything the pattern holds, behind one reference: copying a pattern (the matcher's
    /// callers do, per candidate event) then costs one retain instead of one per array.
    private let storage: Storage

    /// The pattern as the user wrote it.
    public var text: String { storage.text }
    public var kind: Kind { storage.kind }
    /// Accepted-but-suspicious spots, such as a bare term with punctuation.
    public var warnings: [PatternDiagnostic] { storage.warnings }
    var terms: [Term] { storage.terms }
    var conditions: [JSONCondition] { storage.conditions }
    var expression: BoolExpr { storage.expression }
    /// The distinct selectors a JSON pattern references, in order of appearance.
    public var selectors: [Selector] { storage.selectors }
    var entries: [DelimitedEntry] { storage.entries }
    var fieldConditions: [FieldCondition] { storage.fieldConditions }
    /// The names of a space-delimited pattern's fields, in order.
    public var fieldNames: [String] { storage.fieldNames }
    /// The literals an event must contain to possibly match.
    public var prefilter: LiteralPrefilter { storage.prefilter }

    private final class Storage: Sendable {
        let text: String
        let kind: Kind
        let warnings: [PatternDiagnostic]
        let terms: [Term]
        let conditions: [JSONCondition]
        let expression: BoolExpr
        let selectors: [Selector]
        let entries: [DelimitedEntry]
        let fieldConditions: [FieldCondition]
        let fieldNames: [String]
        let prefilter: LiteralPrefilter

        init(
            text: String, kind: Kind, warnings: [PatternDiagnostic], terms: [Term], conditions: [JSONCondition],
            expression: BoolExpr, selectors: [Selector], entries: [DelimitedEntry], fieldConditions: [FieldCondition],
            fieldNames: [String]
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
    }

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
        self.storage = Storage(
            text: text, kind: kind, warnings: warnings, terms: terms, conditions: conditions, expression: expression,
            selectors: selectors, entries: entries, fieldConditions: fieldConditions, fieldNames: fieldNames)
    }

    /// Whether this is a JSON pattern whose every condition reads a top-level member (`$.errorCode`,
    /// not `$.userIdentity.type` or `$.resources[0]`): with the event's top level already indexed,
    /// running the matcher costs a few name lookups, less than one literal scan of the line.
    public var readsOnlyTopLevelMembers: Bool {
        guard kind == .json, !conditions.isEmpty else { return false }
        return conditions.allSatisfy { condition in
            let segments = condition.selector.segments
            guard segments.count == 1, case .member = segments[0] else { return false }
            return true
        }
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
