/// A token of a JSON or space-delimited pattern.
struct Token {
    enum Kind {
        case end
        case openParen, closeParen
        case and, or
        case comma
        case op(ConditionOperator)
        /// `==`, which users try and CloudWatch rejects.
        case doubleEquals
        /// A selector such as `$.a[0].b`, already split into segments.
        case selector([SelectorSegment])
        /// A bare run of value characters: a name, a number, a keyword or an unquoted string.
        /// `illegal` is the offset of the first character that a bare value may not hold.
        case word(illegal: Int?)
        /// A double-quoted string; `value` has its escapes resolved.
        case quoted(value: [UInt8])
        /// A `%regex%`; the range covers the `%` delimiters.
        case regex
        /// Something the lexer could not read; the parser turns it into this diagnostic.
        case error(PatternDiagnostic)
    }

    var kind: Kind
    var range: Range<Int>
}

/// Splits the inside of a JSON or space-delimited pattern into tokens.
///
/// The lexer never throws: a problem becomes an `.error` token that the parser reports, so all
/// wording stays in the parser and the catalogue.
struct Lexer {
    let bytes: [UInt8]
    var position: Int
    let end: Int
    /// The problem found inside a bracket segment, reported by the selector scanner.
    var pendingSelectorError: PatternDiagnostic?

    init(bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    /// Reads the next token, skipping whitespace before it.
    mutating func next() -> Token {
        while position < end, Self.isSpace(bytes[position]) { position += 1 }
        guard position < end else { return Token(kind: .end, range: end..<end) }
        let start = position
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "("): return single(.openParen)
        case UInt8(ascii: ")"): return single(.closeParen)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: "&"), UInt8(ascii: "|"):
            if position + 1 < end, bytes[position + 1] == byte {
                position += 2
                return Token(kind: byte == UInt8(ascii: "&") ? .and : .or, range: start..<position)
            }
            position += 1
            let text = byte == UInt8(ascii: "&") ? "&&" : "||"
            return errorToken(
                .unexpectedCharacter, "a single '\(Character(Unicode.Scalar(byte)))' is not an operator",
                start..<position, fix: "write '\(text)'")
        case UInt8(ascii: "="):
            if peek(1) == UInt8(ascii: "=") {
                position += 2
                return Token(kind: .doubleEquals, range: start..<position)
            }
            return single(.op(.equal))
        case UInt8(ascii: "!"):
            if peek(1) == UInt8(ascii: "=") {
                position += 2
                return Token(kind: .op(.notEqual), range: start..<position)
            }
            position += 1
            return errorToken(
                .unexpectedCharacter, "'!' is not an operator on its own", start..<position,
                fix: "write '!=' to compare, or NOT EXISTS to test for a missing field")
        case UInt8(ascii: "<"), UInt8(ascii: ">"):
            let orEqual = peek(1) == UInt8(ascii: "=")
            position += orEqual ? 2 : 1
            let op: ConditionOperator =
                byte == UInt8(ascii: "<") ? (orEqual ? .lessOrEqual : .less) : (orEqual ? .greaterOrEqual : .greater)
            return Token(kind: .op(op), range: start..<position)
        case UInt8(ascii: "\""): return quoted()
        case UInt8(ascii: "%"): return regex()
        case UInt8(ascii: "$"): return selector()
        default:
            if Self.isWordByte(byte) || !Self.isStructural(byte) { return word() }
            position += 1
            return errorToken(
                .unexpectedCharacter, "unexpected character '\(Character(Unicode.Scalar(byte)))'", start..<position,
                fix: "quote values that contain it, or remove it")
        }
    }

    /// Reads the next token without consuming it.
    func peekToken() -> Token {
        var copy = self
        return copy.next()
    }

    private func peek(_ offset: Int) -> UInt8? {
        position + offset < end ? bytes[position + offset] : nil
    }

    private mutating func single(_ kind: Token.Kind) -> Token {
        position += 1
        return Token(kind: kind, range: (position - 1)..<position)
    }

    private func errorToken(_ id: DiagnosticID, _ message: String, _ range: Range<Int>, fix: String? = nil) -> Token {
        Token(kind: .error(Diag.error(id, message, range, fix: fix)), range: range)
    }

    /// Scans a double-quoted string; `\"` and `\\` are escapes, any other backslash is literal.
    private mutating func quoted() -> Token {
        let start = position
        position += 1
        var value: [UInt8] = []
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\\"), position + 1 < end,
                bytes[position + 1] == UInt8(ascii: "\"") || bytes[position + 1] == UInt8(ascii: "\\")
            {
                value.append(bytes[position + 1])
                position += 2
                continue
            }
            if byte == UInt8(ascii: "\"") {
                position += 1
                return Token(kind: .quoted(value: value), range: start..<position)
            }
            value.append(byte)
            position += 1
        }
        position = end
        return errorToken(
            .unterminatedQuote, "this quoted string is never closed", start..<(start + 1),
            fix: "add a closing '\"' (write \\\" for a quote inside the string)")
    }

    /// Scans `%...%`; the regex body cannot hold `%`, so the next `%` ends it.
    private mutating func regex() -> Token {
        let start = position
        position += 1
        while position < end, bytes[position] != UInt8(ascii: "%") { position += 1 }
        guard position < end else {
            return errorToken(
                .unterminatedRegex, "this regex is never closed", start..<(start + 1),
                fix: "add a closing '%' after the regular expression")
        }
        position += 1
        return Token(kind: .regex, range: start..<position)
    }

    /// Scans a bare run of characters up to whitespace or an operator.
    private mutating func word() -> Token {
        let start = position
        var illegal: Int?
        while position < end {
            let byte = bytes[position]
            if Self.isSpace(byte) || Self.isStructural(byte) { break }
            if !Self.isWordByte(byte), illegal == nil { illegal = position }
            position += 1
        }
        return Token(kind: .word(illegal: illegal), range: start..<position)
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Characters a bare value may hold: letters, digits, `_`, `.`, `*`, `+`, `-`.
    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// Characters that end a bare word because they begin another token.
    static func isStructural(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
            UInt8(ascii: "}"), UInt8(ascii: "|"), UInt8(ascii: "&"), UInt8(ascii: ","), UInt8(ascii: "="),
            UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "%"):
            true
        default: false
        }
    }

    /// Letters, digits, `_` and `-`: the characters of a member or field name.
    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }
}
