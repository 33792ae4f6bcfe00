// Strict RFC 8259 validation of a whole line, as a separate pass that callers run only when a pattern
// would otherwise match. Iterative: the container stack is a bit set (1 = object, 0 = array) held in a
// temporary allocation, so depth costs one bit and 100,000 nested `[` fail fast without recursion.

extension EventView {
    /// Whether the whole line is exactly one valid JSON object, nested at most `maxDepth` levels.
    ///
    /// The grammar is RFC 8259's, strictly: strings must be valid UTF-8 (no overlong forms, no encoded
    /// surrogates, nothing above U+10FFFF) with no unescaped byte below 0x20 and only the escapes
    /// `\" \\ \/ \b \f \n \r \t \uXXXX`; numbers are `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`;
    /// only space, tab, CR and LF may surround tokens. `\uXXXX` escapes of lone surrogates are accepted,
    /// as the RFC's grammar does; decoding turns them into U+FFFD.
    ///
    /// The root object counts as depth 1, so `{}` needs `maxDepth >= 1` and `{"a":[]}` needs 2.
    ///
    /// - Parameter maxDepth: The deepest nesting of objects and arrays allowed.
    /// - Returns: `true` when the line is one valid object and nothing else but whitespace.
    /// - Complexity: O(n) time; O(min(maxDepth, n) / 64) words of temporary memory.
    public func isValidObjectDocument(maxDepth: Int = 512) -> Bool {
        guard maxDepth >= 1 else { return false }
        let words = (min(maxDepth, bytes.count) &+ 63) / 64
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(words, 1)) { stack in
            stack.initialize(repeating: 0)
            return validate(stack: stack, maxDepth: min(maxDepth, words &* 64))
        }
    }

    /// The validation loop: read a value, then close containers until one needs another value.
    private func validate(stack: UnsafeMutableBufferPointer<UInt64>, maxDepth: Int) -> Bool {
        let count = bytes.count
        var index = skipWhitespace(0)
        guard index < count, bytes[index] == ASCII.openBrace else { return false }
        var depth = 0
        while true {
            // Read one value at `index`.
            guard index < count else { return false }
            let byte = bytes[index]
            if byte == ASCII.openBrace || byte == ASCII.openBracket {
                guard depth < maxDepth else { return false }
                let isObject = byte == ASCII.openBrace
                // Safe because depth < maxDepth <= stack.count * 64.
                let word = depth >> 6
                let bit: UInt64 = 1 << UInt64(depth & 63)
                stack[word] = isObject ? stack[word] | bit : stack[word] & ~bit
                depth &+= 1
                index = skipWhitespace(index &+ 1)
                guard index < count else { return false }
                if bytes[index] == (isObject ? ASCII.closeBrace : ASCII.closeBracket) {
                    index &+= 1
                    depth &-= 1
                } else {
                    if isObject {
                        guard let next = validateName(at: index) else { return false }
                        index = next
                    }
                    continue
                }
            } else {
                guard let end = validateScalar(at: index) else { return false }
                index = end
            }
            // After a value: close containers, or find the separator before the next value.
            while true {
                index = skipWhitespace(index)
                if depth == 0 { return index == count }
                guard index < count else { return false }
                let top = depth &- 1
                let inObject = stack[top >> 6] & (1 << UInt64(top & 63)) != 0
                let separator = bytes[index]
                if separator == ASCII.comma {
                    index = skipWhitespace(index &+ 1)
                    if inObject {
                        guard let next = validateName(at: index) else { return false }
                        index = next
                    }
                    break
                }
                guard separator == (inObject ? ASCII.closeBrace : ASCII.closeBracket) else { return false }
                index &+= 1
                depth &-= 1
            }
        }
    }

    /// Validates `"name" :` at `start`; returns the offset of the value that follows.
    private func validateName(at start: Int) -> Int? {
        guard start < bytes.count, bytes[start] == ASCII.quote,
            let end = validateString(from: start &+ 1)
        else { return nil }
        let colon = skipWhitespace(end)
        guard colon < bytes.count, bytes[colon] == ASCII.colon else { return nil }
        return skipWhitespace(colon &+ 1)
    }

    /// Validates a string, number or literal at `start`; returns the offset just past it.
    private func validateScalar(at start: Int) -> Int? {
        switch bytes[start] {
        case ASCII.quote: validateString(from: start &+ 1)
        case ASCII.minus, ASCII.zero...ASCII.nine: validateNumber(from: start)
        case ASCII.lowerT: hasLiteral("true", at: start) ? start &+ 4 : nil
        case ASCII.lowerF: hasLiteral("false", at: start) ? start &+ 5 : nil
        case ASCII.lowerN: hasLiteral("null", at: start) ? start &+ 4 : nil
        default: nil
        }
    }

    /// Validates a number at `start`; returns the offset just past it (the caller checks what follows).
    private func validateNumber(from start: Int) -> Int? {
        let count = bytes.count
        var index = start
        if bytes[index] == ASCII.minus { index &+= 1 }
        guard index < count, ASCII.isDigit(bytes[index]) else { return nil }
        if bytes[index] == ASCII.zero {
            index &+= 1
        } else {
            while index < count, ASCII.isDigit(bytes[index]) { index &+= 1 }
        }
        if index < count, bytes[index] == ASCII.dot {
            index &+= 1
            guard index < count, ASCII.isDigit(bytes[index]) else { return nil }
            while index < count, ASCII.isDigit(bytes[index]) { index &+= 1 }
        }
        if index < count, bytes[index] == ASCII.lowerE || bytes[index] == ASCII.upperE {
            index &+= 1
            if index < count, bytes[index] == ASCII.plus || bytes[index] == ASCII.minus { index &+= 1 }
            guard index < count, ASCII.isDigit(bytes[index]) else { return nil }
            while index < count, ASCII.isDigit(bytes[index]) { index &+= 1 }
        }
        return index
    }

    /// Validates string content from `start` (after the opening quote); returns the offset past the
    /// closing quote.
    ///
    /// Plain ASCII is skipped eight bytes at a time; a word holding a quote, backslash, control byte or
    /// non-ASCII byte is handled byte by byte from its first such byte.
    private func validateString(from start: Int) -> Int? {
        let count = bytes.count
        let quotes = SWAR.splat(ASCII.quote)
        let backslashes = SWAR.splat(ASCII.backslash)
        var index = start
        while true {
            while index &+ 8 <= count {
                let word = SWAR.load(bytes, index)
                let hits =
                    SWAR.equalBytes(word, quotes) | SWAR.equalBytes(word, backslashes)
                    | SWAR.controlOrHighBytes(word)
                if hits != 0 {
                    index &+= hits.trailingZeroBitCount >> 3
                    break
                }
                index &+= 8
            }
            guard index < count else { return nil }
            let byte = bytes[index]
            switch byte {
            case ASCII.quote:
                return index &+ 1
            case ASCII.backslash:
                guard let next = validateEscape(at: index &+ 1) else { return nil }
                index = next
            case 0..<0x20:
                return nil
            case 0x20..<0x80:
                index &+= 1
            default:
                guard let next = validateUTF8(at: index) else { return nil }
                index = next
            }
        }
    }

    /// Validates the escape whose letter is at `start`; returns the offset just past it.
    private func validateEscape(at start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        switch bytes[start] {
        case ASCII.quote, ASCII.backslash, ASCII.slash, UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return start &+ 1
        case ASCII.lowerU:
            return hex4(at: start &+ 1, end: bytes.count) == nil ? nil : start &+ 5
        default:
            return nil
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `start` (Unicode Table 3-7); returns the offset past it.
    private func validateUTF8(at start: Int) -> Int? {
        let lead = bytes[start]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return nil
        }
        guard start &+ length <= bytes.count else { return nil }
        let second = bytes[start &+ 1]
        guard second >= low, second <= high else { return nil }
        var index = start &+ 2
        while index < start &+ length {
            guard bytes[index] & 0xC0 == 0x80 else { return nil }
            index &+= 1
        }
        return index
    }
}
