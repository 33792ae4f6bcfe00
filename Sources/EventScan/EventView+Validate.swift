// Strict RFC 8259 validation of a whole line, as a separate pass that callers run only when a pattern
// would otherwise match. Iterative: the container stack is a bit set (1 = object, 0 = array) held in a
// temporary allocation, so depth costs one bit and 100,000 nested `[` fail fast without recursion.
//
// The same pass can hand over the root object's members as it meets them (`recordingTopLevelInto:`),
// so a caller that both validates a line and looks up its top-level fields reads the line once.

/// Receives the members of a root object while ``EventView/isValidObjectDocument(maxDepth:recordingTopLevelInto:)``
/// validates it: each name and value, in order, duplicates included.
public protocol TopLevelMemberRecorder {
    /// One member of the root object: its name (a string node) and its value, as
    /// ``EventView/forEachMember(of:_:)`` would give them.
    mutating func record(name: JSONNode, value: JSONNode)
}

/// Records nothing: plain validation.
private struct NoRecorder: TopLevelMemberRecorder {
    @inline(__always)
    mutating func record(name: JSONNode, value: JSONNode) {}
}

/// Where the validated document ends: at the end of the bytes, or at the first newline. Chosen at
/// compile time, so each caller gets its own specialized loop.
@usableFromInline
protocol ValidationFraming {
    /// Whether a newline ends the document instead of being whitespace.
    static var endsAtNewline: Bool { get }
}

/// The document is all the bytes.
@usableFromInline
enum WholeBytes: ValidationFraming {
    @inlinable static var endsAtNewline: Bool { false }
}

/// The document is the first line of the bytes.
@usableFromInline
enum FirstLine: ValidationFraming {
    @inlinable static var endsAtNewline: Bool { true }
}

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
        var none = NoRecorder()
        return isValidObjectDocument(maxDepth: maxDepth, recordingTopLevelInto: &none)
    }

    /// Validates the line as ``isValidObjectDocument(maxDepth:)`` does and, in the same pass, hands
    /// each member of the root object to `recorder` as soon as its value has been read.
    ///
    /// On a valid line the recorder receives exactly the members ``forEachMember(of:_:)`` walks from
    /// ``root()``, with the same nodes. On an invalid line it may have received some members before
    /// the problem was found: discard them when this returns `false`.
    ///
    /// - Complexity: O(n) time, as plain validation; nothing is allocated but the depth stack.
    public func isValidObjectDocument<Recorder: TopLevelMemberRecorder>(
        maxDepth: Int = 512, recordingTopLevelInto recorder: inout Recorder
    ) -> Bool {
        guard maxDepth >= 1 else { return false }
        let words = (min(maxDepth, bytes.count) &+ 63) / 64
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(words, 1)) { stack in
            stack.initialize(repeating: 0)
            return validate(stack: stack, maxDepth: min(maxDepth, words &* 64), recorder: &recorder, framing: WholeBytes.self) >= 0
        }
    }

    /// Validates the first line of the bytes, which may hold more lines after it, and returns its
    /// length (the offset of the newline that ends it); nil when the line is not one valid JSON
    /// object, or no newline ends it.
    ///
    /// Equivalent to finding the first newline and then calling
    /// ``isValidObjectDocument(maxDepth:recordingTopLevelInto:)`` on the bytes before it, but reads
    /// them once: a valid line holds no newline (not inside a string, where control bytes are
    /// invalid, and here not as whitespace either), so the pass itself finds where the line ends.
    /// A reader framing NDJSON can then skip its own search for the newline. The recorder receives
    /// what it would receive on the line alone.
    ///
    /// - Complexity: O(length of the line): nothing after the newline is read.
    public func validObjectLineLength<Recorder: TopLevelMemberRecorder>(
        maxDepth: Int = 512, recordingTopLevelInto recorder: inout Recorder
    ) -> Int? {
        guard maxDepth >= 1 else { return nil }
        let words = (min(maxDepth, bytes.count) &+ 63) / 64
        let end = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(words, 1)) { stack in
            stack.initialize(repeating: 0)
            return validate(stack: stack, maxDepth: min(maxDepth, words &* 64), recorder: &recorder, framing: FirstLine.self)
        }
        return end >= 0 ? end : nil
    }

    /// The validation loop: read a value, then close containers until one needs another value.
    /// Returns where the document ends (`bytes.count`, or the offset of the newline that ends the
    /// first line), or -1 when it is not one valid object.
    private func validate<Recorder: TopLevelMemberRecorder, Framing: ValidationFraming>(
        stack: UnsafeMutableBufferPointer<UInt64>, maxDepth: Int, recorder: inout Recorder, framing: Framing.Type
    ) -> Int {
        let count = bytes.count
        var index = skip(0, framing)
        guard index < count, bytes[index] == ASCII.openBrace else { return -1 }
        var depth = 0
        // The root member being read: its name, and where its value starts.
        var memberName = JSONNode(kind: .string, start: 0, end: 0)
        var memberStart = 0
        // Whether the last string read held a backslash.
        var escaped = false
        while true {
            // Read one value at `index`.
            guard index < count else { return -1 }
            let byte = bytes[index]
            if byte == ASCII.openBrace || byte == ASCII.openBracket {
                guard depth < maxDepth else { return -1 }
                let isObject = byte == ASCII.openBrace
                // Safe because depth < maxDepth <= stack.count * 64.
                let word = depth >> 6
                let bit: UInt64 = 1 << UInt64(depth & 63)
                stack[word] = isObject ? stack[word] | bit : stack[word] & ~bit
                depth &+= 1
                index = skip(index &+ 1, framing)
                guard index < count else { return -1 }
                if bytes[index] == (isObject ? ASCII.closeBrace : ASCII.closeBracket) {
                    index &+= 1
                    depth &-= 1
                } else {
                    if isObject {
                        guard let next = validateName(at: index, framing) else { return -1 }
                        if depth == 1 { (memberName, memberStart) = next }
                        index = next.value
                    }
                    continue
                }
            } else {
                guard let scalar = validateScalar(at: index) else { return -1 }
                index = scalar.end
                escaped = scalar.escaped
            }
            // After a value: close containers, or find the separator before the next value.
            while true {
                // The value that just ended at `index` is a member of the root when depth is 1.
                if depth == 1 {
                    recorder.record(name: memberName, value: node(from: memberStart, to: index, escaped: escaped))
                }
                index = skip(index, framing)
                if depth == 0 {
                    if Framing.endsAtNewline { return index < count && bytes[index] == ASCII.newline ? index : -1 }
                    return index == count ? index : -1
                }
                guard index < count else { return -1 }
                let top = depth &- 1
                let inObject = stack[top >> 6] & (1 << UInt64(top & 63)) != 0
                let separator = bytes[index]
                if separator == ASCII.comma {
                    index = skip(index &+ 1, framing)
                    if inObject {
                        guard let next = validateName(at: index, framing) else { return -1 }
                        if depth == 1 { (memberName, memberStart) = next }
                        index = next.value
                    }
                    break
                }
                guard separator == (inObject ? ASCII.closeBrace : ASCII.closeBracket) else { return -1 }
                index &+= 1
                depth &-= 1
            }
        }
    }

    /// The node of a validated value spanning `start..<end` (quotes included for strings).
    ///
    /// Built without a branch on the kind: the root's members alternate between strings, objects and
    /// literals in no order a predictor learns, and a mispredicted switch here cost more than
    /// recording the member.
    @inline(__always)
    private func node(from start: Int, to end: Int, escaped: Bool) -> JSONNode {
        let first = bytes[start]
        let quoted = first == ASCII.quote ? 1 : 0
        return JSONNode(
            kind: JSONKind(firstByte: first), start: start &+ quoted, end: end &- quoted,
            hasEscapes: escaped && quoted != 0)
    }

    /// Validates `"name" :` at `start`; returns the name's node and the offset of the value that
    /// follows. The name's `hasEscapes` tells whether it holds a backslash.
    @inline(__always)
    private func validateName<Framing: ValidationFraming>(at start: Int, _ framing: Framing.Type) -> (name: JSONNode, value: Int)? {
        guard start < bytes.count, bytes[start] == ASCII.quote,
            let string = validateString(from: start &+ 1)
        else { return nil }
        let colon = skip(string.end, framing)
        guard colon < bytes.count, bytes[colon] == ASCII.colon else { return nil }
        let name = JSONNode(kind: .string, start: start &+ 1, end: string.end &- 1, hasEscapes: string.escaped)
        return (name, skip(colon &+ 1, framing))
    }

    /// The first offset at or after `start` that is not whitespace, where a newline is not
    /// whitespace when it ends the document.
    @inline(__always)
    private func skip<Framing: ValidationFraming>(_ start: Int, _ framing: Framing.Type) -> Int {
        Framing.endsAtNewline ? skipSpaceInLine(start) : skipWhitespace(start)
    }

    /// Validates a string, number or literal at `start`; returns the offset just past it and, for a
    /// string, whether it holds a backslash.
    private func validateScalar(at start: Int) -> (end: Int, escaped: Bool)? {
        switch bytes[start] {
        case ASCII.quote: return validateString(from: start &+ 1)
        case ASCII.minus, ASCII.zero...ASCII.nine: return validateNumber(from: start).map { ($0, false) }
        case ASCII.lowerT: return hasLiteral("true", at: start) ? (start &+ 4, false) : nil
        case ASCII.lowerF: return hasLiteral("false", at: start) ? (start &+ 5, false) : nil
        case ASCII.lowerN: return hasLiteral("null", at: start) ? (start &+ 4, false) : nil
        default: return nil
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
    /// closing quote and whether the string holds a backslash (returned, not written through a
    /// pointer, so the caller's flag stays in a register).
    ///
    /// Plain ASCII is skipped sixteen bytes at a time; from the first quote, backslash, control byte
    /// or non-ASCII byte, the string is read byte by byte until the next plain run.
    private func validateString(from start: Int) -> (end: Int, escaped: Bool)? {
        // Most strings hold nothing but plain ASCII: one scan finds their closing quote. Anything
        // else is read out of line, which keeps this part small enough to need few registers.
        let stop = firstStop(from: start, .strict)
        if stop < bytes.count, bytes[stop] == ASCII.quote { return (stop &+ 1, false) }
        return validateStringContent(from: stop)
    }

    /// ``validateString(from:)`` from the first byte that is not plain content.
    @inline(never)
    private func validateStringContent(from start: Int) -> (end: Int, escaped: Bool)? {
        let count = bytes.count
        var index = start
        var escaped = false
        while true {
            index = firstStop(from: index, .strict)
            guard index < count else { return nil }
            let byte = bytes[index]
            switch byte {
            case ASCII.quote:
                return (index &+ 1, escaped)
            case ASCII.backslash:
                escaped = true
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
