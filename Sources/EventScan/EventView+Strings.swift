// String values: comparing and decoding JSON strings without allocating.

extension EventView {
    /// Whether the decoded value of string node `node` equals `other`.
    ///
    /// Without escapes this is a length check and a raw byte comparison; with escapes the string is
    /// decoded byte by byte and compared as it goes, with no scratch buffer.
    ///
    /// - Parameters:
    ///   - node: A string node from this view (a member name or a value).
    ///   - other: The UTF-8 bytes to compare with.
    /// - Returns: `true` when they are equal; `false` for non-string nodes.
    @inline(__always)
    public func string(_ node: JSONNode, equals other: UnsafeRawBufferPointer) -> Bool {
        guard node.kind == .string else { return false }
        let range = clampedRange(of: node)
        if !node.hasEscapes {
            return range.count == other.count && bytesEqual(bytes, at: range.lowerBound, other)
        }
        var position = 0
        let complete = decode(range) { byte in
            guard position < other.count, other[position] == byte else { return false }
            position &+= 1
            return true
        }
        return complete && position == other.count
    }

    /// Writes the decoded value of `node` into `buffer`.
    ///
    /// `buffer` is cleared first and its capacity reused, so once it has grown this never allocates.
    /// Escapes are resolved, `\uXXXX` pairs become UTF-8, and lone surrogates become U+FFFD. An invalid
    /// escape (possible only in unvalidated lines) is copied without its backslash; a malformed
    /// `\u` becomes U+FFFD. For non-string nodes the raw bytes of the value are written.
    ///
    /// For strings without escapes (``JSONNode/hasEscapes`` is `false`), the raw range is already the
    /// decoded value; ``withStringBytes(_:scratch:_:)`` uses it without copying.
    ///
    /// - Parameters:
    ///   - node: A node from this view.
    ///   - buffer: Receives the bytes.
    public func decodeString(_ node: JSONNode, into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        let range = clampedRange(of: node)
        if node.kind != .string || !node.hasEscapes {
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[range]))
            return
        }
        _ = decode(range) { byte in
            buffer.append(byte)
            return true
        }
    }

    /// Calls `body` with the decoded bytes of `node`.
    ///
    /// Strings without escapes are passed as the raw range (no copy); others are decoded into `scratch`
    /// first (see ``decodeString(_:into:)``).
    ///
    /// - Parameters:
    ///   - node: A node from this view.
    ///   - scratch: A reusable buffer for strings with escapes.
    ///   - body: Receives the bytes; they are valid only during the call.
    /// - Returns: What `body` returns.
    public func withStringBytes<R>(
        _ node: JSONNode,
        scratch: inout [UInt8],
        _ body: (UnsafeRawBufferPointer) -> R
    ) -> R {
        if node.kind != .string || !node.hasEscapes {
            return body(UnsafeRawBufferPointer(rebasing: bytes[clampedRange(of: node)]))
        }
        decodeString(node, into: &scratch)
        return scratch.withUnsafeBytes(body)
    }

    /// `node`'s range clamped to the line, so a hand-made node can never read out of bounds.
    @inline(__always)
    func clampedRange(of node: JSONNode) -> Range<Int> {
        let lower = min(max(node.start, 0), bytes.count)
        let upper = min(max(node.end, lower), bytes.count)
        return lower..<upper
    }

    /// Decodes the raw string content in `range`, calling `emit` with each output byte.
    ///
    /// - Returns: `false` when `emit` stopped the decoding, else `true`.
    @inline(__always)
    func decode(_ range: Range<Int>, _ emit: (UInt8) -> Bool) -> Bool {
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            let byte = bytes[index]
            guard byte == ASCII.backslash, index &+ 1 < end else {
                if !emit(byte) { return false }
                index &+= 1
                continue
            }
            let escaped = bytes[index &+ 1]
            index &+= 2
            if escaped == ASCII.lowerU {
                let scalar = decodeUnicodeEscape(&index, end: end)
                if !emitUTF8(scalar, emit) { return false }
            } else if !emit(Self.unescaped(escaped)) {
                return false
            }
        }
        return true
    }

    /// The byte a one-character escape `\x` stands for (`x` itself for `"`, `\`, `/` and unknown ones).
    @inline(__always)
    static func unescaped(_ escaped: UInt8) -> UInt8 {
        switch escaped {
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: escaped
        }
    }

    /// Decodes the four hex digits after `\u` at `index` (and a following `\uXXXX` low surrogate).
    ///
    /// Advances `index` past what it consumed. Lone surrogates and malformed digits give U+FFFD.
    @inline(__always)
    func decodeUnicodeEscape(_ index: inout Int, end: Int) -> UInt32 {
        guard let high = hex4(at: index, end: end) else { return 0xFFFD }
        index &+= 4
        switch high {
        case 0xD800...0xDBFF:
            guard index &+ 6 <= end, bytes[index] == ASCII.backslash, bytes[index &+ 1] == ASCII.lowerU,
                let low = hex4(at: index &+ 2, end: end), (0xDC00...0xDFFF).contains(low)
            else { return 0xFFFD }
            index &+= 6
            return 0x10000 &+ ((high &- 0xD800) << 10) &+ (low &- 0xDC00)
        case 0xDC00...0xDFFF:
            return 0xFFFD
        default:
            return high
        }
    }

    /// The value of four hex digits at `start`, or nil if they are not all there.
    @inline(__always)
    func hex4(at start: Int, end: Int) -> UInt32? {
        guard start &+ 4 <= end else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = Self.hexValue(bytes[start &+ offset]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case ASCII.zero...ASCII.nine: byte &- ASCII.zero
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    /// Emits the UTF-8 encoding of `scalar` (a non-surrogate code point up to U+10FFFF).
    @inline(__always)
    func emitUTF8(_ scalar: UInt32, _ emit: (UInt8) -> Bool) -> Bool {
        switch scalar {
        case 0..<0x80:
            return emit(UInt8(truncatingIfNeeded: scalar))
        case 0x80..<0x800:
            return emit(0xC0 | UInt8(truncatingIfNeeded: scalar >> 6))
                && emit(0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F))
        case 0x800..<0x10000:
            return emit(0xE0 | UInt8(truncatingIfNeeded: scalar >> 12))
                && emit(0x80 | UInt8(truncatingIfNeeded: (scalar >> 6) & 0x3F))
                && emit(0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F))
        default:
            return emit(0xF0 | UInt8(truncatingIfNeeded: scalar >> 18))
                && emit(0x80 | UInt8(truncatingIfNeeded: (scalar >> 12) & 0x3F))
                && emit(0x80 | UInt8(truncatingIfNeeded: (scalar >> 6) & 0x3F))
                && emit(0x80 | UInt8(truncatingIfNeeded: scalar & 0x3F))
        }
    }
}
