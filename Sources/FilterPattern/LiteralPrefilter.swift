internal import LinearRegex

/// The literals an event must contain for a pattern to possibly match.
///
/// Extracted at compile time: quoted and bare terms, JSON string constants (`eventName`
/// values), wildcard prefixes and suffixes, and the literal a regex requires. One cheap scan
/// of the raw line then rejects most events before any JSON is read. The prefilter never
/// rejects an event the full matcher accepts: literals that come from JSON strings are
/// compared with the raw (escaped) text, so a line holding a `\u` or `\/` escape, which could
/// spell a literal differently, always passes.
public struct LiteralPrefilter: Sendable, Hashable {
    /// The event passes when it contains any one of these. Empty: every event passes.
    public let anyOf: [[UInt8]]
    /// Whether the literals were decoded from JSON strings (see the type's discussion).
    public let fromJSONStrings: Bool
    /// A literal every one of `anyOf` contains (their longest common substring, when it has at
    /// least 3 bytes): one search for it rejects most events before the alternatives are tried.
    public let commonLiteral: [UInt8]?
    /// For each literal (and last, the common one), the offset of its rarest byte, where the scan anchors.
    let anchors: [Int]

    /// True when the prefilter narrows nothing.
    public var isTrivial: Bool { anyOf.isEmpty }

    init(anyOf: [[UInt8]], fromJSONStrings: Bool) {
        self.anyOf = anyOf
        self.fromJSONStrings = fromJSONStrings
        let common = anyOf.count > 1 ? Self.longestCommonSubstring(anyOf, minimum: 3) : nil
        self.commonLiteral = common
        self.anchors = anyOf.map(ByteFrequency.rarestOffset) + [common.map(ByteFrequency.rarestOffset) ?? 0]
    }

    /// The prefilter of a JSON field that must equal one of `values` (decoded texts), or nil when
    /// some value has no one raw spelling to look for (empty, or holding `"`, `\` or a control
    /// byte, which JSON writes escaped).
    ///
    /// A number or literal's text is its raw text, and a string without escapes is its decoded
    /// text, so a line whose field equals a value holds that value as written, unless an escape
    /// hides it; ``mayMatch(_:hidingEscape:)`` lets such lines through.
    public static func jsonField(equalToAnyOf values: [[UInt8]]) -> LiteralPrefilter? {
        let spelledAsIs = values.allSatisfy { value in
            !value.isEmpty && !value.contains { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }
        }
        guard !values.isEmpty, spelledAsIs else { return nil }
        return LiteralPrefilter(anyOf: values, fromJSONStrings: true)
    }

    /// Whether `text` holds `literal`, found by scanning for its byte at `anchor` (best its rarest,
    /// ``rarestByteOffset(_:)``): for callers that keep literals in plain memory.
    @inline(__always)
    public static func text(_ text: UnsafeRawBufferPointer, contains literal: UnsafeRawBufferPointer, anchor: Int) -> Bool {
        ByteSearch.contains(text, literal, anchor: anchor)
    }

    /// The offset of `literal`'s rarest byte in CloudTrail text, where a scan for it anchors.
    public static func rarestByteOffset(_ literal: [UInt8]) -> Int {
        ByteFrequency.rarestOffset(literal)
    }

    /// The longest byte string contained in every literal, if it has `minimum` bytes or more.
    static func longestCommonSubstring(_ literals: [[UInt8]], minimum: Int) -> [UInt8]? {
        guard let shortest = literals.min(by: { $0.count < $1.count }), shortest.count >= minimum else { return nil }
        for length in stride(from: shortest.count, through: minimum, by: -1) {
            for start in 0...(shortest.count - length) {
                let candidate = Array(shortest[start..<(start + length)])
                let everywhere = literals.allSatisfy { literal in
                    literal.withUnsafeBytes { haystack in candidate.withUnsafeBytes { ByteSearch.contains(haystack, $0) } }
                }
                if everywhere { return candidate }
            }
        }
        return nil
    }

    /// Whether `line` may match. False means the pattern cannot match it.
    /// - Complexity: O(n·k) for k literals, with a fast first-byte scan.
    public func mayMatch(_ line: UnsafeRawBufferPointer) -> Bool {
        var hidingEscape: Bool?
        return mayMatch(line, hidingEscape: &hidingEscape)
    }

    /// ``mayMatch(_:)`` for callers that screen one line with several prefilters: `hidingEscape`
    /// caches whether the line holds an escape that could hide a literal (nil: not looked yet), so
    /// that scan runs at most once per line.
    @inline(__always)
    public func mayMatch(_ line: UnsafeRawBufferPointer, hidingEscape: inout Bool?) -> Bool {
        guard !anyOf.isEmpty else { return true }
        if containsLiteral(line) { return true }
        guard fromJSONStrings else { return false }
        if let known = hidingEscape { return known }
        let found = Self.hasEscapeThatHidesText(line)
        hidingEscape = found
        return found
    }

    /// Whether `line` holds one of the literals as written.
    private func containsLiteral(_ line: UnsafeRawBufferPointer) -> Bool {
        if let commonLiteral,
            !commonLiteral.withUnsafeBytes({ ByteSearch.contains(line, $0, anchor: anchors[anyOf.count]) })
        {
            return false
        }
        for (index, literal) in anyOf.enumerated()
        where literal.withUnsafeBytes({ ByteSearch.contains(line, $0, anchor: anchors[index]) }) {
            return true
        }
        return false
    }

    /// A `\uXXXX` or `\/` escape could spell any literal's characters another way.
    public static func hasEscapeThatHidesText(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let base = line.baseAddress else { return false }
        var index = 0
        while let hit = ByteSearch.firstByte(UInt8(ascii: "\\"), in: base, from: index, to: line.count) {
            guard hit + 1 < line.count else { return false }
            let next = line[hit + 1]
            if next == UInt8(ascii: "u") || next == UInt8(ascii: "/") { return true }
            index = hit + 2
        }
        return false
    }
}

extension LiteralPrefilter {
    /// A requirement during extraction: any one of `literals` must occur (nil: none known).
    typealias Requirement = [[UInt8]]?

    static func extract(
        kind: CompiledPattern.Kind, terms: [Term], conditions: [JSONCondition], expression: BoolExpr,
        entries: [DelimitedEntry], fieldConditions: [FieldCondition]
    ) -> LiteralPrefilter {
        switch kind {
        case .matchAll:
            return LiteralPrefilter(anyOf: [], fromJSONStrings: false)
        case .terms:
            return LiteralPrefilter(anyOf: fromTerms(terms) ?? [], fromJSONStrings: false)
        case .json:
            let leaves = conditions.map { condition -> Requirement in
                guard case .compare(.equal, let operand) = condition.test else { return nil }
                return fromOperand(operand, jsonString: true)
            }
            return LiteralPrefilter(anyOf: combine(expression, leaves) ?? [], fromJSONStrings: true)
        case .delimited:
            let leaves = fieldConditions.map { test -> Requirement in
                test.op == .equal ? fromOperand(test.operand, jsonString: false) : nil
            }
            var best: Requirement = nil
            for case .field(_, let condition?) in entries {
                best = better(best, combine(condition, leaves))
            }
            return LiteralPrefilter(anyOf: best ?? [], fromJSONStrings: false)
        }
    }

    private static func fromTerms(_ terms: [Term]) -> Requirement {
        func literal(of matcher: Term.Matcher) -> [UInt8]? {
            switch matcher {
            case .literal(let bytes): return bytes.isEmpty ? nil : bytes
            case .regex(let regex): return regex.requiredLiteral.isEmpty ? nil : regex.requiredLiteral
            }
        }
        if terms.contains(where: { $0.role != .optional }) {
            var best: Requirement = nil
            for term in terms where term.role == .required {
                best = better(best, literal(of: term.matcher).map { [$0] })
            }
            return best
        }
        var alternatives: [[UInt8]] = []
        for term in terms {
            guard let bytes = literal(of: term.matcher) else { return nil }
            alternatives.append(bytes)
        }
        return alternatives.isEmpty ? nil : alternatives
    }

    /// The literal an `=` comparison needs. JSON strings containing characters JSON must
    /// escape (`"`, `\`, controls) are left out, since their raw spelling differs.
    private static func fromOperand(_ operand: Operand, jsonString: Bool) -> Requirement {
        let bytes: [UInt8]
        switch operand {
        case .text(let pattern):
            guard pattern.mode != .any else { return nil }
            bytes = pattern.literal
        case .texts(let patterns):
            var literals: [[UInt8]] = []
            for pattern in patterns {
                guard case .some(let requirement) = fromOperand(.text(pattern), jsonString: jsonString) else { return nil }
                literals += requirement
            }
            return literals
        case .regex(let regex):
            bytes = regex.requiredLiteral
        case .number:
            return nil
        }
        guard !bytes.isEmpty else { return nil }
        if jsonString, bytes.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            return nil
        }
        return [bytes]
    }

    /// Folds leaf requirements through the AND/OR tree: AND keeps the best child's, OR needs all.
    private static func combine(_ expr: BoolExpr, _ leaves: [Requirement]) -> Requirement {
        func visit(_ index: Int) -> Requirement {
            let node = expr.nodes[index]
            let children = (Int(node.first)..<Int(node.first + node.count)).map { Int(expr.children[$0]) }
            switch node.kind {
            case .leaf:
                return leaves[Int(node.first)]
            case .and:
                return children.reduce(nil) { better($0, visit($1)) }
            case .or:
                var union: [[UInt8]] = []
                for child in children {
                    guard let requirement = visit(child) else { return nil }
                    for literal in requirement where !union.contains(literal) { union.append(literal) }
                }
                return union
            }
        }
        return expr.nodes.isEmpty ? nil : visit(expr.root)
    }

    /// Prefers fewer alternatives, then longer shortest literal.
    private static func better(_ a: Requirement, _ b: Requirement) -> Requirement {
        guard let a else { return b }
        guard let b else { return a }
        if a.count != b.count { return a.count < b.count ? a : b }
        let shortestA = a.map(\.count).min() ?? 0
        let shortestB = b.map(\.count).min() ?? 0
        return shortestB > shortestA ? b : a
    }
}
