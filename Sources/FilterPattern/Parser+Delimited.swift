extension PatternParser {
    /// Parses `[a, b = 1 || b = 2, ...]`: one entry per field, bound by position.
    mutating func parseDelimited(_ range: Range<Int>) throws(PatternError) -> CompiledPattern {
        var lexer = Lexer(bytes: bytes, range: (range.lowerBound + 1)..<(range.upperBound - 1))
        if case .end = lexer.peekToken().kind {
            throw fail(
                .emptyDelimitedPattern, "a space-delimited pattern needs at least one field", range,
                fix: "name the fields, e.g. [ip, user, status_code = 404, ...]")
        }
        var entries: [DelimitedEntry] = []
        var leaves: [FieldCondition] = []
        var names: [String] = []
        while true {
            let entry = try parseEntry(&lexer, leaves: &leaves)
            if case .field(let name, _) = entry.entry {
                if names.contains(name) {
                    throw fail(
                        .duplicateFieldName, "the field name '\(name)' is used twice", entry.range,
                        fix: "give each field its own name")
                }
                names.append(name)
            }
            entries.append(entry.entry)
            let separator = lexer.next()
            switch separator.kind {
            case .comma: continue
            case .end: break
            case .openParen, .closeParen:
                throw fail(
                    .parenthesesInDelimited, "parentheses are not allowed in space-delimited patterns",
                    separator.range, fix: "join the field's conditions with && and || without parentheses")
            case .error(let diagnostic):
                throw fail(diagnostic)
            default:
                throw fail(
                    .expectedFieldSeparator, "expected ',' or the closing ']' after this field",
                    separator.range, fix: "separate fields with commas")
            }
            break
        }
        return CompiledPattern(
            text: text, kind: .delimited, warnings: warnings, entries: entries, fieldConditions: leaves,
            fieldNames: names)
    }

    /// Parses one entry: `...`, a bare name, or conditions on one name.
    private mutating func parseEntry(_ lexer: inout Lexer, leaves: inout [FieldCondition]) throws(PatternError)
        -> (entry: DelimitedEntry, range: Range<Int>)
    {
        let first = lexer.peekToken()
        if case .word(nil) = first.kind, string(first.range) == "..." {
            _ = lexer.next()
            return (.ellipsis, first.range)
        }
        guard case .word = first.kind, bytes[first.range].allSatisfy(Lexer.isNameByte) else {
            if case .error(let diagnostic) = first.kind { throw fail(diagnostic) }
            if case .openParen = first.kind {
                throw fail(
                    .parenthesesInDelimited, "parentheses are not allowed in space-delimited patterns", first.range,
                    fix: "join the field's conditions with && and || without parentheses")
            }
            throw fail(
                .expectedField, "expected a field name or '...' here",
                first.range.lowerBound..<max(first.range.upperBound, first.range.lowerBound + 1),
                fix: "field names hold letters, digits, '_' and '-'")
        }
        let name = string(first.range)
        switch lexer.peekToken(skipping: 1).kind {
        case .op, .doubleEquals:
            break
        default:
            _ = lexer.next()
            return (.field(name: name, condition: nil), first.range)
        }
        var orItems: [BoolExprBuilder.Tree] = []
        var andItems: [BoolExprBuilder.Tree] = []
        while true {
            andItems.append(.leaf(try parseFieldCondition(&lexer, name: name, leaves: &leaves)))
            let joiner = lexer.peekToken()
            if case .and = joiner.kind {
                _ = lexer.next()
                continue
            }
            orItems.append(andItems.count == 1 ? andItems[0] : .and(andItems))
            andItems = []
            if case .or = joiner.kind {
                _ = lexer.next()
                continue
            }
            break
        }
        let tree: BoolExprBuilder.Tree = orItems.count == 1 ? orItems[0] : .or(orItems)
        return (.field(name: name, condition: BoolExprBuilder.build(tree)), first.range)
    }

    /// Parses `name op value`, where the name must be the entry's own.
    private mutating func parseFieldCondition(_ lexer: inout Lexer, name: String, leaves: inout [FieldCondition])
        throws(PatternError) -> Int
    {
        let nameToken = lexer.next()
        switch nameToken.kind {
        case .word(nil) where string(nameToken.range) == name:
            break
        case .word(nil) where bytes[nameToken.range].allSatisfy(Lexer.isNameByte):
            throw fail(
                .conditionOnOtherField, "a field's conditions may only test that field ('\(name)')", nameToken.range,
                fix: "move this condition to the entry of '\(string(nameToken.range))'")
        case .openParen, .closeParen:
            throw fail(
                .parenthesesInDelimited, "parentheses are not allowed in space-delimited patterns", nameToken.range,
                fix: "join the field's conditions with && and || without parentheses")
        case .error(let diagnostic):
            throw fail(diagnostic)
        default:
            throw fail(
                .danglingOperator, "expected a condition on '\(name)' here",
                nameToken.range.lowerBound..<max(nameToken.range.upperBound, nameToken.range.lowerBound + 1),
                fix: "write \(name) = value, or remove the trailing operator")
        }
        let opToken = lexer.next()
        switch opToken.kind {
        case .op(let op):
            let operand = try parseOperand(&lexer, op: op, after: opToken)
            leaves.append(FieldCondition(op: op, operand: operand))
            return leaves.count - 1
        case .doubleEquals:
            throw fail(.doubleEquals, "'==' is not an operator in filter patterns", opToken.range, fix: "write '='")
        case .error(let diagnostic):
            throw fail(diagnostic)
        default:
            throw fail(
                .expectedOperator, "expected one of \(Diag.comparisonOperators) after '\(name)'",
                opToken.range.lowerBound..<max(opToken.range.upperBound, opToken.range.lowerBound + 1))
        }
    }
}

extension Lexer {
    /// Reads the token after skipping `count` tokens, without consuming anything.
    func peekToken(skipping count: Int) -> Token {
        var copy = self
        for _ in 0..<count { _ = copy.next() }
        return copy.next()
    }
}
