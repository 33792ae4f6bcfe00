extension AlarmRule {
    /// Parses an `AlarmRule`.
    /// - Throws: ``AlarmRuleError`` pointing at the first problem.
    public init(parsing text: String) throws(AlarmRuleError) {
        let characters = Array(text)
        guard characters.count <= Self.maxLength else {
            throw AlarmRuleError(
                offset: Self.maxLength, message: "the rule is longer than \(Self.maxLength) characters",
                fix: "split it into several composite alarms")
        }
        var parser = RuleParser(characters: characters)
        let rule = try parser.parseExpression(depth: 0)
        parser.skipSpace()
        guard parser.position == characters.count else {
            throw AlarmRuleError(
                offset: parser.position, message: "unexpected '\(characters[parser.position])' after a complete rule",
                fix: "join rules with AND or OR")
        }
        guard parser.childCount <= Self.maxChildren else {
            throw AlarmRuleError(
                offset: 0, message: "the rule refers to \(parser.childCount) alarms, more than \(Self.maxChildren)",
                fix: "group children in intermediate composite alarms")
        }
        self = rule
    }
}

private struct RuleParser {
    let characters: [Character]
    var position = 0
    var childCount = 0

    mutating func skipSpace() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    /// Reads an upper-case keyword or function name at the current position.
    func peekWord() -> String {
        var end = position
        while end < characters.count, characters[end].isLetter || characters[end] == "_" { end += 1 }
        return String(characters[position..<end])
    }

    mutating func parseExpression(depth: Int) throws(AlarmRuleError) -> AlarmRule {
        var terms = [try parseTerm(depth: depth)]
        while true {
            skipSpace()
            guard peekWord() == "OR" else { break }
            position += 2
            terms.append(try parseTerm(depth: depth))
        }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    mutating func parseTerm(depth: Int) throws(AlarmRuleError) -> AlarmRule {
        var factors = [try parseFactor(depth: depth)]
        while true {
            skipSpace()
            guard peekWord() == "AND" else { break }
            position += 3
            factors.append(try parseFactor(depth: depth))
        }
        return factors.count == 1 ? factors[0] : .and(factors)
    }

    mutating func parseFactor(depth: Int) throws(AlarmRuleError) -> AlarmRule {
        guard depth < AlarmRule.maxDepth else {
            throw AlarmRuleError(offset: position, message: "the rule nests deeper than \(AlarmRule.maxDepth) levels", fix: "simplify it")
        }
        skipSpace()
        guard position < characters.count else {
            throw AlarmRuleError(offset: position, message: "expected ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or '('", fix: "complete the rule")
        }
        if characters[position] == "(" {
            position += 1
            let inner = try parseExpression(depth: depth + 1)
            skipSpace()
            guard position < characters.count, characters[position] == ")" else {
                throw AlarmRuleError(offset: position, message: "expected ')'", fix: "close the parenthesis")
            }
            position += 1
            return inner
        }
        let start = position
        let word = peekWord()
        switch word {
        case "TRUE", "FALSE":
            position += word.count
            return .constant(word == "TRUE")
        case "NOT":
            position += 3
            return .not(try parseFactor(depth: depth + 1))
        case "ALARM", "OK", "INSUFFICIENT_DATA":
            position += word.count
            skipSpace()
            guard position < characters.count, characters[position] == "(" else {
                throw AlarmRuleError(offset: position, message: "expected '(' after \(word)", fix: "write \(word)(alarm-name)")
            }
            position += 1
            let name = try parseReference(after: word)
            childCount += 1
            // safe because: the word is one of the three state names
            return .state(AlarmState(rawValue: word)!, alarm: name)
        default:
            let upper = word.uppercased()
            if ["ALARM", "OK", "INSUFFICIENT_DATA", "TRUE", "FALSE", "NOT", "AND", "OR"].contains(upper), !word.isEmpty {
                throw AlarmRuleError(offset: start, message: "keywords are written in upper case", fix: "write \(upper)")
            }
            throw AlarmRuleError(
                offset: start, message: "expected ALARM(...), OK(...), INSUFFICIENT_DATA(...), TRUE, FALSE, NOT or '('",
                fix: "write for example ALARM(my-alarm)")
        }
    }

    /// Reads the alarm name or ARN inside `STATE( ... )`, quoted or bare, and the closing ')'.
    mutating func parseReference(after word: String) throws(AlarmRuleError) -> String {
        skipSpace()
        var name: String
        if position < characters.count, characters[position] == "\"" {
            let open = position
            position += 1
            let start = position
            while position < characters.count, characters[position] != "\"" { position += 1 }
            guard position < characters.count else {
                throw AlarmRuleError(offset: open, message: "this quoted alarm name is never closed", fix: "add the closing '\"'")
            }
            name = String(characters[start..<position])
            position += 1
            skipSpace()
        } else {
            let start = position
            while position < characters.count, characters[position] != ")" { position += 1 }
            name = String(characters[start..<position])
            while name.last?.isWhitespace == true { name.removeLast() }
        }
        guard !name.isEmpty else {
            throw AlarmRuleError(offset: position, message: "\(word)() needs an alarm name or ARN", fix: "write \(word)(alarm-name)")
        }
        guard position < characters.count, characters[position] == ")" else {
            throw AlarmRuleError(offset: position, message: "expected ')' after the alarm name", fix: "close \(word)(...)")
        }
        position += 1
        return name
    }
}

