extension PatternParser {
    /// Parses the value after a comparison operator, applying CloudWatch's rules for each kind.
    mutating func parseOperand(_ lexer: inout Lexer, op: ConditionOperator, after opToken: Token)
        throws(PatternError) -> Operand
    {
        let token = lexer.next()
        switch token.kind {
        case .quoted(let value):
            if op.isRelational {
                throw relationalError(op, token.range, "a quoted string")
            }
            return .text(TextPattern(value: value))
        case .regex:
            if op.isRelational {
                throw fail(
                    .regexOperator, "a regex can only be compared with '=' or '!='", opToken.range,
                    fix: "write '=' to require a match or '!=' to require none")
            }
            return .regex(try compileRegex(token.range))
        case .word(let illegal):
            if let illegal {
                throw fail(
                    .unquotedValueCharacters,
                    "an unquoted value may hold only letters, digits, '_', '.', '*', '+' and '-'",
                    illegal..<(illegal + 1), fix: "put the value in double quotes: \"\(string(token.range))\"")
            }
            let raw = Array(bytes[token.range])
            if let number = Self.parseNumber(raw) {
                return .number(number, text: raw)
            }
            if op.isRelational {
                throw relationalError(op, token.range, "'\(string(token.range))'")
            }
            let word = string(token.range)
            if ["true", "false", "null"].contains(word.lowercased()) {
                let keyword = word.uppercased()
                warnings.append(
                    Diag.warning(
                        .booleanComparedAsText,
                        "'\(word)' is compared as text and never equals a JSON \(keyword == "NULL" ? "null" : "boolean")",
                        token.range, fix: "write IS \(keyword) to test a JSON \(keyword.lowercased())"))
            }
            return .text(TextPattern(value: raw))
        case .selector:
            throw fail(
                .unexpectedToken, "a condition compares a field with a value, not with another field", token.range,
                fix: Diag.valueFix)
        case .error(let diagnostic):
            throw fail(diagnostic)
        default:
            let at = token.range.lowerBound
            throw fail(
                .expectedValue, "expected a value after '\(op.rawValue)'", at..<(at + 1), fix: Diag.valueFix)
        }
    }

    private func relationalError(_ op: ConditionOperator, _ range: Range<Int>, _ what: String) -> PatternError {
        fail(
            .relationalNonNumeric, "'\(op.rawValue)' compares numbers, but \(what) is not a number", range,
            fix: "compare with a number, or use '=' / '!=' for text")
    }

    /// Reads a CloudWatch number: sign, digits, optional fraction, optional exponent.
    static func parseNumber(_ raw: [UInt8]) -> Double? {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < raw.count, raw[index] >= 0x30, raw[index] <= 0x39 { index += 1 }
            return index - start
        }
        if index < raw.count, raw[index] == UInt8(ascii: "+") || raw[index] == UInt8(ascii: "-") { index += 1 }
        let integer = digits()
        var fraction = 0
        if index < raw.count, raw[index] == UInt8(ascii: ".") {
            index += 1
            fraction = digits()
            guard fraction > 0 else { return nil }
        }
        guard integer + fraction > 0 else { return nil }
        if index < raw.count, raw[index] == UInt8(ascii: "e") || raw[index] == UInt8(ascii: "E") {
            index += 1
            if index < raw.count, raw[index] == UInt8(ascii: "+") || raw[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return nil }
        }
        guard index == raw.count else { return nil }
        var text = String(decoding: raw, as: UTF8.self)
        if text.hasPrefix("+") { text.removeFirst() }
        return Double(text)
    }
}
