// Lazy, non-validating scanning: find where a value ends without looking inside it more than needed.
//
// Every function here is iterative, reads only within `bytes` (the container skip, in C, is given its
// count), and returns nil as soon as the data cannot be what it claims (unterminated string,
// unbalanced brackets, truncated literal). None of them validate: `{"a":1 2}` scans happily.
// Validation is `isValidObjectDocument`'s job.

internal import CEventScan

/// The bytes a string scan stops at.
enum StringStops {
    /// What a strict (validating) scan must look at: quotes, backslashes, control and non-ASCII bytes.
    case strict
    /// What a lenient scan needs to find the closing quote: quotes and backslashes.
    case quoteOrBackslash
}

extension EventView {
    /// The first offset at or after `start` that is not JSON whitespace (may be `bytes.count`).
    @inline(__always)
    func skipWhitespace(_ start: Int) -> Int {
        var index = start
        let count = bytes.count
        while index < count, ASCII.isWhitespace(bytes[index]) { index &+= 1 }
        return index
    }

    /// The offset of the first byte at or after `start` that `stops` names; or, when none comes,
    /// `bytes.count` or an offset where too few bytes remain for a step (callers finish byte by
    /// byte from there, and treat any byte they land on that is not a stop as plain content).
    ///
    /// On x86-64 each step classifies sixteen bytes with SSE2 (``tl_string_stops16``), and the last
    /// step reads the sixteen bytes that end the line, so only lines shorter than that are left to
    /// the caller. Elsewhere two words at a time with ``SWAR``, whose lowest flagged byte is always
    /// a true stop; the last bytes go one word at a time.
    @inline(__always)
    func firstStop(from start: Int, _ stops: StringStops) -> Int {
        let count = bytes.count
        var index = start
        #if arch(x86_64)
        // Safe because the loop reads base[index..<index + 16] only while index + 16 <= count.
        if let base = bytes.baseAddress {
            while index &+ 16 <= count {
                let hits =
                    switch stops {
                    case .strict: tl_string_stops16(base + index)
                    case .quoteOrBackslash: tl_quote_or_backslash16(base + index)
                    }
                if hits != 0 { return index &+ hits.trailingZeroBitCount }
                index &+= 16
            }
            // The last bytes: the sixteen that end the line, less those already seen. (No word
            // arithmetic here, whose constants every call would otherwise load.)
            if index < count, count >= 16 {
                let block = count &- 16
                let hits =
                    switch stops {
                    case .strict: tl_string_stops16(base + block)
                    case .quoteOrBackslash: tl_quote_or_backslash16(base + block)
                    }
                let ahead = hits >> UInt32(truncatingIfNeeded: index &- block)
                return ahead != 0 ? index &+ ahead.trailingZeroBitCount : count
            }
        }
        // A line shorter than sixteen bytes: the caller reads it byte by byte.
        return index
        #else
        // Two words per step, one branch for both.
        while index &+ 16 <= count {
            let low = SWAR.load(bytes, index)
            let high = SWAR.load(bytes, index &+ 8)
            let (lowHits, highHits) =
                switch stops {
                case .strict: (SWAR.stringSpecialBytes(low), SWAR.stringSpecialBytes(high))
                case .quoteOrBackslash: (SWAR.quoteOrBackslashBytes(low), SWAR.quoteOrBackslashBytes(high))
                }
            if lowHits | highHits != 0 {
                return index &+ (lowHits != 0 ? lowHits.trailingZeroBitCount >> 3 : 8 &+ highHits.trailingZeroBitCount >> 3)
            }
            index &+= 16
        }
        while index &+ 8 <= count {
            let word = SWAR.load(bytes, index)
            let hits =
                switch stops {
                case .strict: SWAR.stringSpecialBytes(word)
                case .quoteOrBackslash: SWAR.quoteOrBackslashBytes(word)
                }
            if hits != 0 { return index &+ hits.trailingZeroBitCount >> 3 }
            index &+= 8
        }
        return index
        #endif
    }

    /// Finds the closing quote of a string whose content begins at `start` (just after the opening quote).
    ///
    /// Skips runs without `"` or `\` (``firstStop(from:_:)``); a backslash skips the byte after it, so `\"` and `\\`
    /// are handled and `\uXXXX` needs no special case (hex digits are never quotes).
    ///
    /// - Returns: The offset of the closing quote and whether a backslash was seen, or nil if unterminated.
    @inline(__always)
    func scanString(from start: Int) -> (close: Int, hasEscapes: Bool)? {
        let count = bytes.count
        var index = start
        var hasEscapes = false
        while true {
            index = firstStop(from: index, .quoteOrBackslash)
            while index < count {
                let byte = bytes[index]
                if byte == ASCII.quote || byte == ASCII.backslash { break }
                index &+= 1
            }
            guard index < count else { return nil }
            if bytes[index] == ASCII.quote { return (index, hasEscapes) }
            hasEscapes = true
            index &+= 2
        }
    }

    /// Finds the end of the object or array whose opening bracket is at `open`.
    ///
    /// Counts depth instead of recursing, so nesting depth costs nothing but an integer. Brackets inside
    /// strings are skipped with the strings. Mismatched bracket kinds (`{]`) are not detected. The
    /// scan takes 64 bytes per step (``tl_skip_container``): in a block without a backslash, the
    /// bytes inside strings are known at once from its quotes.
    ///
    /// - Returns: The offset just past the matching closing bracket, or nil if the data ends first.
    func skipContainer(from open: Int) -> Int? {
        guard open >= 0, open < bytes.count, let base = bytes.baseAddress else { return nil }
        let end = tl_skip_container(base.assumingMemoryBound(to: UInt8.self), Int64(bytes.count), Int64(open))
        return end < 0 ? nil : Int(end)
    }

    /// The offset just past the run of number characters (`0-9 + - . e E`) that starts at `start`.
    @inline(__always)
    func scanNumber(from start: Int) -> Int {
        let count = bytes.count
        var index = start
        while index < count {
            let byte = bytes[index]
            guard
                ASCII.isDigit(byte) || byte == ASCII.minus || byte == ASCII.plus || byte == ASCII.dot
                    || byte == ASCII.lowerE || byte == ASCII.upperE
            else { break }
            index &+= 1
        }
        return index
    }

    /// Whether the ASCII `literal` occurs at `start`.
    @inline(__always)
    func hasLiteral(_ literal: StaticString, at start: Int) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard start >= 0, start &+ length <= bytes.count else { return false }
        // Safe because a StaticString's storage is immortal and `length` bytes long.
        let other = UnsafeRawBufferPointer(start: literal.utf8Start, count: length)
        return bytesEqual(bytes, at: start, other)
    }

    /// The value that starts exactly at `start` (whitespace already skipped), or nil if none can be read.
    ///
    /// The kind comes from the first byte; containers are skipped to find their end, literals are
    /// checked in full. Numbers are the lenient run found by ``scanNumber(from:)``.
    @inline(__always)
    func value(at start: Int) -> JSONNode? {
        guard start >= 0, start < bytes.count else { return nil }
        let byte = bytes[start]
        switch byte {
        case ASCII.quote:
            guard let string = scanString(from: start &+ 1) else { return nil }
            return JSONNode(kind: .string, start: start &+ 1, end: string.close, hasEscapes: string.hasEscapes)
        case ASCII.openBrace:
            guard let end = skipContainer(from: start) else { return nil }
            return JSONNode(kind: .object, start: start, end: end)
        case ASCII.openBracket:
            guard let end = skipContainer(from: start) else { return nil }
            return JSONNode(kind: .array, start: start, end: end)
        case ASCII.minus, ASCII.zero...ASCII.nine:
            return JSONNode(kind: .number, start: start, end: scanNumber(from: start &+ 1))
        case ASCII.lowerT:
            return hasLiteral("true", at: start) ? JSONNode(kind: .true, start: start, end: start &+ 4) : nil
        case ASCII.lowerF:
            return hasLiteral("false", at: start) ? JSONNode(kind: .false, start: start, end: start &+ 5) : nil
        case ASCII.lowerN:
            return hasLiteral("null", at: start) ? JSONNode(kind: .null, start: start, end: start &+ 4) : nil
        default:
            return nil
        }
    }

    /// The offset just past `node` in the line (past the closing quote for strings).
    @inline(__always)
    func offset(after node: JSONNode) -> Int {
        node.kind == .string ? node.end &+ 1 : node.end
    }

    /// Whether `node` is a container of `kind` whose opening bracket really is at `node.start`.
    @inline(__always)
    func opens(_ node: JSONNode, as kind: JSONKind, with bracket: UInt8) -> Bool {
        node.kind == kind && node.start >= 0 && node.start < bytes.count && bytes[node.start] == bracket
    }
}
