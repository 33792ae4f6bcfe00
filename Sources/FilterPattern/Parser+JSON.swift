extension PatternParser {
    /// Parses `{ ... }`: conditions on selectors joined by `&&`, `||` and parentheses.
    mutating func parseJSON(_ range: Range<Int>) throws(PatternError) -> CompiledPattern {
        var lexer = Lexer(bytes: bytes, range: (range.lowerBound + 1)..<(range.upperBound - 1))
        if case .end = lexer.peekToken().kind {
            throw fail(
                .emptyJSONPattern, "a JSON pattern needs at least one condition", range,
                fix: "write a condition such as { $.eventName = \"ConsoleLogin\" }, or a blank pattern to match everything")
        }
        var conditions: [JSONCondition] = []
        let tree = try parseOr(&lexer, depth: 0, conditions: &conditions)
        let trailing = lexer.next()
        switch trailing.kind {
        case .end: break
        case .closeParen:
            throw fail(
                .unexpectedCloseParenthesis, "this ')' has no matching '('", trailing.range,
                fix: "remove it, or add '(' where the group starts")
        case .error(let diagnostic): throw fail(diagnostic)
        default:
            throw fail(
                .unexpectedToken, "expected '&&', '||' or the closing '}' here", trailing.range,
                fix: "join conditions with && or ||")
        }
        let merged = Self.mergeEqualities(tree, conditions: &conditions)
        var selectors: [Selector] = []
        for condition in conditions where !selectors.contains(condition.selector) {
            selectors.append(condition.selector)
        }
        return CompiledPattern(
            text: text, kind: .json, warnings: warnings, conditions: conditions,
            expression: BoolExprBuilder.build(merged), selectors: selectors)
    }

    /// Folds `(sel = a) || (sel = b) || ...` into one condition with alternatives: equivalent
    /// under the any-of rule, and the selector is then resolved once per event, not once per value.
    static func mergeEqualities(_ tree: BoolExprBuilder.Tree, conditions: inout [JSONCondition]) -> BoolExprBuilder.Tree {
        switch tree {
        case .leaf:
            return tree
        case .and(let items):
            return .and(items.map { mergeEqualities($0, conditions: &conditions) })
        case .or(let items):
            var result: [BoolExprBuilder.Tree] = []
            var groups: [Selector: Int] = [:]
            for item in items.map({ mergeEqualities($0, conditions: &conditions) }) {
                guard case .leaf(let index) = item, case .compare(.equal, let operand) = conditions[index].test,
                    let values = Self.textValues(operand)
                else {
                    result.append(item)
                    continue
                }
                let selector = conditions[index].selector
                if let position = groups[selector], case .leaf(let first) = result[position],
                    case .compare(.equal, let existing) = conditions[first].test, let previous = Self.textValues(existing)
                {
                    conditions.append(JSONCondition(selector: selector, test: .compare(.equal, .texts(previous + values))))
                    result[position] = .leaf(conditions.count - 1)
                } else {
                    groups[selector] = result.count
                    result.append(item)
                }
            }
            return result.count == 1 ? result[0] : .or(result)
        }
    }

    private static func textValues(_ operand: Operand) -> [TextPattern]? {
        switch operand {
        case .text(let pattern): [pattern]
        case .texts(let patterns): patterns
        case .number, .regex: nil
        }
    }

    private mutating func parseOr(_ lexer: inout Lexer, depth: Int, conditions: inout [JSONCondition])
        throws(PatternError) -> BoolExprBuilder.Tree
    {
        var items = [try parseAnd(&lexer, depth: depth, conditions: &conditions)]
        while case .or = lexer.peekToken().kind {
            _ = lexer.next()
            items.append(try parseAnd(&lexer, depth: depth, conditions: &conditions))
        }
        return items.count == 1 ? items[0] : .or(items)
    }

    private mutating func parseAnd(_ lexer: inout Lexer, depth: Int, conditions: inout [JSONCondition])
        throws(PatternError) -> BoolExprBuilder.Tree
    {
        var items = [try parsePrimary(&lexer, depth: depth, conditions: &conditions)]
        while case .and = lexer.peekToken().kind {
            _ = lexer.next()
            items.append(try parsePrimary(&lexer, depth: depth, conditions: &conditions))
        }
        return items.count == 1 ? items[0] : .and(items)
    }

    private mutating func parsePrimary(_ lexer: inout Lexer, depth: Int, conditions: inout [JSONCondition])
        throws(PatternError) -> BoolExprBuilder.Tree
    {
        let token = lexer.next()
        switch token.kind {
        case .openParen:
            guard depth < PatternLimits.maxNestingDepth else {
                throw fail(
                    .nestingTooDeep,
                    "parentheses nest deeper than Tripline's limit of \(PatternLimits.maxNestingDepth)", token.range,
                    fix: "remove redundant parentheses; && binds tighter than || without them")
            }
            if case .closeParen = lexer.peekToken().kind {
                throw fail(.expectedCondition, "expected a condition inside the parentheses", token.range.upperBound..<token.range.upperBound + 1,
                    fix: "write a condition such as $.eventName = \"X\", or remove the empty '()'")
            }
            let inner = try parseOr(&lexer, depth: depth + 1, conditions: &conditions)
            let close = lexer.next()
            guard case .closeParen = close.kind else {
                if case .error(let diagnostic) = close.kind { throw fail(diagnostic) }
                throw fail(
                    .missingCloseParenthesis, "expected ')' to close the '(' here", token.range,
                    fix: "add ')' where the group ends", notes: ["found \(describe(close)) instead"])
            }
            return inner
        case .selector(let segments):
            let selector = try makeSelector(segments, token.range)
            let test = try parseConditionTest(&lexer, selector: selector)
            conditions.append(JSONCondition(selector: selector, test: test))
            return .leaf(conditions.count - 1)
        case .word(let illegal) where illegal == nil && looksLikeName(token.range):
            throw fail(
                .selectorMissingDollar, "a JSON selector must start with '$'", token.range,
                fix: "write $.\(string(token.range))")
        case .and, .or:
            throw fail(
                .danglingOperator, "expected a condition before '\(string(token.range))'", token.range,
                fix: "remove the operator or add a condition before it")
        case .closeParen:
            throw fail(.unexpectedCloseParenthesis, "expected a condition, found ')'", token.range,
                fix: "remove the ')' or add a condition before it")
        case .end:
            throw fail(.expectedCondition, "expected a condition here", token.range.lowerBound..<token.range.lowerBound + 1,
                fix: "add a condition such as $.eventName = \"X\", or remove the trailing operator")
        case .error(let diagnostic):
            throw fail(diagnostic)
        default:
            throw fail(
                .expectedCondition, "expected a condition starting with a selector such as $.eventName", token.range,
                fix: "write $.field = value")
        }
    }

    /// Parses what follows a selector: an operator and value, `IS ...` or `NOT EXISTS`.
    private mutating func parseConditionTest(_ lexer: inout Lexer, selector: Selector) throws(PatternError)
        -> ConditionTest
    {
        let token = lexer.next()
        switch token.kind {
        case .op(let op):
            return .compare(op, try parseOperand(&lexer, op: op, after: token))
        case .doubleEquals:
            throw fail(.doubleEquals, "'==' is not an operator in filter patterns", token.range, fix: "write '='")
        case .word(nil):
            let word = string(token.range)
            switch word {
            case "IS":
                let next = lexer.next()
                let value = string(next.range)
                switch value {
                case "NULL": return .isNull
                case "TRUE": return .isTrue
                case "FALSE": return .isFalse
                case "NOT":
                    throw fail(
                        .isNotUnsupported, "'IS NOT' is not supported by CloudWatch", token.range.lowerBound..<next.range.upperBound,
                        fix: "use '!=' for values, or NOT EXISTS for a missing field")
                default:
                    if ["null", "true", "false"].contains(value.lowercased()) {
                        throw fail(.keywordCase, "keywords are written in upper case", next.range, fix: "write \(value.uppercased())")
                    }
                    throw fail(.expectedValue, "expected NULL, TRUE or FALSE after IS", next.range.lowerBound..<max(next.range.upperBound, next.range.lowerBound + 1))
                }
            case "NOT":
                let next = lexer.next()
                guard string(next.range) == "EXISTS" else {
                    if string(next.range).lowercased() == "exists" {
                        throw fail(.keywordCase, "keywords are written in upper case", next.range, fix: "write EXISTS")
                    }
                    throw fail(.expectedValue, "expected EXISTS after NOT", next.range.lowerBound..<max(next.range.upperBound, next.range.lowerBound + 1),
                        fix: "write NOT EXISTS")
                }
                return .notExists
            case "EXISTS":
                throw fail(
                    .existsUnsupported, "bare EXISTS is not supported by CloudWatch", token.range,
                    fix: "write '\(selector.text) = *' to test that the field is present")
            default:
                if ["is", "not", "exists"].contains(word.lowercased()) {
                    throw fail(.keywordCase, "keywords are written in upper case", token.range, fix: "write \(word.uppercased())")
                }
            }
        case .error(let diagnostic):
            throw fail(diagnostic)
        default:
            break
        }
        throw fail(
            .expectedOperator, "expected one of \(Diag.comparisonOperators), IS or NOT EXISTS after the selector",
            token.range.lowerBound..<max(token.range.upperBound, token.range.lowerBound + 1),
            fix: "write for example \(selector.text) = \"value\"")
    }

    /// Checks a selector against the wildcard quotas and records it.
    private mutating func makeSelector(_ segments: [SelectorSegment], _ range: Range<Int>) throws(PatternError)
        -> Selector
    {
        let selector = Selector(segments: segments, text: string(range))
        if selector.wildcardCount > PatternLimits.maxWildcardsPerSelector {
            throw fail(
                .tooManyWildcardsInSelector, "a selector may hold at most one wildcard ('[*]' or '.*')", range,
                fix: "keep one wildcard and name the other steps")
        }
        if selector.wildcardCount > 0 {
            wildcardSelectorCount += 1
            if wildcardSelectorCount > PatternLimits.maxWildcardSelectors {
                throw fail(
                    .tooManyWildcardSelectors,
                    "a pattern may hold at most \(PatternLimits.maxWildcardSelectors) selectors with wildcards", range,
                    fix: "name array indexes or members explicitly in some selectors")
            }
        }
        return selector
    }

    private func looksLikeName(_ range: Range<Int>) -> Bool {
        bytes[range].allSatisfy { Lexer.isNameByte($0) || $0 == UInt8(ascii: ".") }
            && !bytes[range].allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") }
    }

    func describe(_ token: Token) -> String {
        if case .end = token.kind { return "the end of the pattern" }
        return "'\(string(token.range))'"
    }
}
