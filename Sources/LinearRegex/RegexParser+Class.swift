extension RegexParser {
    /// The meaning of an escape or a class item: one byte, or a class such as `\d`.
    enum Item {
        case byte(UInt8)
        case set(ByteClass)
    }

    /// Parses `[...]` at `index` and moves past the closing `]`.
    ///
    /// A class with a single ASCII member becomes a literal byte, so `[a]` is the same as `a`.
    mutating func parseClass() throws(RegexError) -> RegexAtom {
        let start = index
        index += 1
        var negated = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        var members = ByteClass()
        var isEmpty = true
        while true {
            guard index < bytes.count else {
                throw RegexError(
                    code: .unclosedClass, offset: start, length: 1,
                    message: "'[' starts a character class that is never closed with ']'",
                    fixIt: "add ']' to close the class, or write \\[ to match a literal '['"
                )
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                break
            }
            isEmpty = false
            let itemStart = index
            let item = try parseClassItem()
            let isRange = index + 1 < bytes.count && bytes[index] == UInt8(ascii: "-")
                && bytes[index + 1] != UInt8(ascii: "]")
            guard isRange else {
                switch item {
                case .byte(let byte): members.insert(byte)
                case .set(let set): members.formUnion(set)
                }
                continue
            }
            index += 1
            let last = try parseClassItem()
            guard case .byte(let low) = item, case .byte(let high) = last, low <= high else {
                let reversed: Bool
                if case .byte = item, case .byte = last { reversed = true } else { reversed = false }
                throw RegexError(
                    code: .invalidRange, offset: itemStart, length: index - itemStart,
                    message: reversed
                        ? "this range ends before it starts; a range goes from the lower to the higher character"
                        : "a range needs a single character at each end, not a class such as \\d",
                    fixIt: reversed ? "swap the two ends of the range" : "write \\- to include a literal '-'"
                )
            }
            members.insert(range: low, high)
        }
        if isEmpty {
            throw RegexError(
                code: .emptyClass, offset: start, length: index - start,
                message: "a character class needs at least one member",
                fixIt: "write \\[\\] to match the literal text, or put characters between the brackets"
            )
        }
        if negated {
            members = members.inverted
        }
        if let single = members.singleByte {
            return .byte(single)
        }
        return .set(members)
    }

    /// Parses one member of a class: a character or an escape.
    mutating func parseClassItem() throws(RegexError) -> Item {
        // Safe because callers check `index < bytes.count` first.
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "\\"):
            return try parseEscape()
        case UInt8(ascii: "["):
            throw RegexError(
                code: .nestedClass, offset: index, length: 1,
                message: "'[' inside a character class must be escaped; classes cannot be nested",
                fixIt: "write \\[ to include a literal '['"
            )
        default:
            guard Self.isLiteral(byte) || Self.isOperator(byte) else {
                throw RegexError.disallowed(
                    bytes, at: index, sequenceLength: Self.sequenceLength(bytes, at: index), spanStart: index
                )
            }
            index += 1
            return .byte(byte)
        }
    }

    /// Parses a backslash escape at `index` and moves past it.
    mutating func parseEscape() throws(RegexError) -> Item {
        let start = index
        index += 1
        guard index < bytes.count else {
            throw RegexError(
                code: .trailingBackslash, offset: start, length: 1,
                message: "'\\' at the end of the regex has nothing to escape",
                fixIt: "write \\\\ to match a literal backslash"
            )
        }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "d"): return .set(.digit)
        case UInt8(ascii: "D"): return .set(ByteClass.digit.inverted)
        case UInt8(ascii: "w"): return .set(.word)
        case UInt8(ascii: "W"): return .set(ByteClass.word.inverted)
        case UInt8(ascii: "s"): return .set(.space)
        case UInt8(ascii: "S"): return .set(ByteClass.space.inverted)
        case UInt8(ascii: "x"): return .byte(try parseHexEscape(start: start))
        default:
            break
        }
        if Self.isOperator(byte) || (Self.isLiteral(byte) && !Self.isAlphanumeric(byte)) {
            return .byte(byte)
        }
        if Self.isAlphanumeric(byte) {
            throw Self.unknownEscape(byte, at: start)
        }
        throw RegexError.disallowed(
            bytes, at: start + 1, sequenceLength: Self.sequenceLength(bytes, at: start + 1), spanStart: start
        )
    }

    /// Parses the two hex digits of `\xhh`; `start` is the offset of the backslash.
    mutating func parseHexEscape(start: Int) throws(RegexError) -> UInt8 {
        var value: UInt8 = 0
        var digits = 0
        // Exactly two digits, as ICU reads `\xhh`: `\x3Ab` is ':' then 'b'.
        while digits < 2, index < bytes.count, let digit = Self.hexValue(bytes[index]) {
            value = value << 4 | digit
            digits += 1
            index += 1
        }
        guard digits == 2 else {
            let written = String(decoding: bytes[start..<min(index, start + 8)], as: UTF8.self)
                + (index - start > 8 ? "..." : "")
            let fix = "write the code as two hex digits, for example \\x28 for '('"
            throw RegexError(
                code: .invalidHexEscape, offset: start, length: index - start,
                message: "'\\x' takes exactly two hex digits, but '\(written)' has"
                    + " \(digits == 1 ? "one" : String(digits))",
                fixIt: fix
            )
        }
        guard value < 0x80 else {
            throw RegexError(
                code: .invalidHexEscape, offset: start, length: index - start,
                message: "\\x\(RegexError.hex(value)) is not an ASCII character; \\xhh must be between \\x00 and \\x7F",
                fixIt: "use '.' or a negated class such as [^a-z] to match a non-ASCII character"
            )
        }
        return value
    }

    /// The value of an ASCII hex digit, or `nil`.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Whether `byte` is an ASCII letter or digit.
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        hexValue(byte) != nil || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
    }

    /// The error for `\` followed by a letter or digit that is not a CloudWatch escape.
    static func unknownEscape(_ byte: UInt8, at offset: Int) -> RegexError {
        let fixIt: String
        switch byte {
        case UInt8(ascii: "n"): fixIt = "write \\x0A to match a newline"
        case UInt8(ascii: "t"): fixIt = "write \\x09 to match a tab"
        case UInt8(ascii: "r"): fixIt = "write \\x0D to match a carriage return"
        case UInt8(ascii: "f"): fixIt = "write \\x0C to match a form feed"
        case UInt8(ascii: "v"): fixIt = "write \\x0B to match a vertical tab"
        case UInt8(ascii: "b"), UInt8(ascii: "B"): fixIt = "CloudWatch has no word boundary; use \\W or ^ and $ instead"
        default: fixIt = "remove the backslash, or use one of \\d \\D \\w \\W \\s \\S \\xhh"
        }
        return RegexError(
            code: .invalidEscape, offset: offset, length: 2,
            message: "'\\\(Character(Unicode.Scalar(byte)))' is not a CloudWatch escape; expected one of"
                + " \\d, \\D, \\w, \\W, \\s, \\S, \\xhh or a backslash before an operator",
            fixIt: fixIt
        )
    }
}
