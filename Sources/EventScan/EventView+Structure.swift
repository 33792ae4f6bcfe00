// The validator's pass, 64 bytes at a time, in the manner of simdjson's two stages (Langdale and
// Lemire, "Parsing Gigabytes of JSON per Second", 2019): a vector kernel (CJSONClassify) marks each
// byte's class; word arithmetic here turns the marks into the bytes inside strings, checks every
// string byte at once (control bytes, escapes, non-ASCII outside strings), and leaves one bit per
// token: an operator, the opening quote of a string, or the first byte of a number or literal. A
// small state machine then reads only the tokens, about one in eight bytes of a CloudTrail event,
// instead of every byte.

import CJSONClassify

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the grammar expects at the next token.
private enum Expect: UInt8 {
    /// The root object's `{`.
    case root
    /// A value (after `:`, or after `,` in an array).
    case value
    /// A value or `]` (after `[`).
    case valueOrClose
    /// A member name (after `,` in an object).
    case name
    /// A member name or `}` (after `{`).
    case nameOrClose
    /// The `:` after a name.
    case colon
    /// `,` or the container's closing bracket (after a value).
    case separator
    /// Nothing: the root object is closed.
    case end
}

/// The state one 64-byte block hands to the next.
private struct BlockCarry {
    /// Whether the next block's first byte follows an unpaired backslash.
    var escaped = false
    /// All ones when the next block starts inside a string.
    var inString: UInt64 = 0
    /// Bit 0 set when this block ended inside a run of number or literal bytes.
    var scalar: UInt64 = 0
}

extension EventView {
    /// The structural pass behind ``isValidObjectDocument(maxDepth:recordingTopLevelInto:)``.
    func validateStructure<Recorder: TopLevelMemberRecorder>(
        stack: UnsafeMutableBufferPointer<UInt64>, maxDepth: Int, recorder: inout Recorder
    ) -> Bool {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return false }
        // Most lines hold no backslash at all; then no string needs its escapes looked for.
        let hasBackslash = memchr(base, Int32(ASCII.backslash), count) != nil
        var carry = BlockCarry()
        var expect = Expect.root
        var depth = 0
        var sawNonASCII = false
        // The root member being read: its name, and where its value starts.
        var memberName = JSONNode(kind: .string, start: 0, end: 0)
        var memberStart = 0
        var blockStart = 0
        while blockStart < count {
            let classes =
                blockStart &+ 64 <= count
                ? tl_classify64(base.advanced(by: blockStart).assumingMemoryBound(to: UInt8.self))
                : classifyTail(from: blockStart)
            // Bytes that an odd run of backslashes escapes; each must start a valid escape.
            var escaped: UInt64 = 0
            if classes.backslash != 0 || carry.escaped {
                escaped = Self.escapedBytes(classes.backslash, carry: &carry.escaped)
                var letters = escaped
                while letters != 0 {
                    guard validateEscape(at: blockStart &+ letters.trailingZeroBitCount) != nil else { return false }
                    letters &= letters &- 1
                }
            }
            let quotes = classes.quote & ~escaped
            // From each opening quote up to (not including) its closing quote.
            let inString = Self.prefixXor(quotes) ^ carry.inString
            carry.inString = UInt64(bitPattern: Int64(bitPattern: inString) >> 63)
            // Control bytes are never allowed in strings, and outside them only as whitespace.
            guard classes.control & (inString | ~classes.whitespace) == 0 else { return false }
            if classes.nonASCII != 0 {
                guard classes.nonASCII & ~inString == 0 else { return false }
                sawNonASCII = true
            }
            let operators = classes.operators & ~inString
            // Bytes outside strings that are not structure: numbers and literals, or garbage.
            let scalar = ~(classes.whitespace | classes.operators | classes.quote | inString)
            let scalarStarts = scalar & ~(scalar &<< 1 | carry.scalar)
            carry.scalar = scalar &>> 63
            let closingQuotes = quotes & ~inString
            var tokens = operators | (quotes & inString) | scalarStarts
            while tokens != 0 {
                let bit = tokens.trailingZeroBitCount
                tokens &= tokens &- 1
                let position = blockStart &+ bit
                let byte = bytes[position]
                switch byte {
                case ASCII.quote:
                    switch expect {
                    case .value, .valueOrClose:
                        if depth == 1 {
                            guard
                                let value = stringNode(
                                    openedAt: position, bit: bit, closingQuotes: closingQuotes, blockStart: blockStart,
                                    hasBackslash: hasBackslash)
                            else { return false }
                            recorder.record(name: memberName, value: value)
                        }
                        expect = .separator
                    case .name, .nameOrClose:
                        if depth == 1 {
                            guard
                                let name = stringNode(
                                    openedAt: position, bit: bit, closingQuotes: closingQuotes, blockStart: blockStart,
                                    hasBackslash: hasBackslash)
                            else { return false }
                            memberName = name
                        }
                        expect = .colon
                    default:
                        return false
                    }
                case ASCII.openBrace, ASCII.openBracket:
                    let isObject = byte == ASCII.openBrace
                    guard expect == .value || expect == .valueOrClose || (expect == .root && isObject),
                        depth < maxDepth
                    else { return false }
                    // Safe because depth < maxDepth <= stack.count * 64.
                    let word = depth &>> 6
                    let mask: UInt64 = 1 &<< UInt64(depth & 63)
                    stack[word] = isObject ? stack[word] | mask : stack[word] & ~mask
                    if depth == 1 { memberStart = position }
                    depth &+= 1
                    expect = isObject ? .nameOrClose : .valueOrClose
                case ASCII.closeBrace, ASCII.closeBracket:
                    guard depth > 0 else { return false }
                    let top = depth &- 1
                    let inObject = stack[top &>> 6] & (1 &<< UInt64(top & 63)) != 0
                    guard byte == (inObject ? ASCII.closeBrace : ASCII.closeBracket),
                        expect == .separator || expect == (inObject ? .nameOrClose : .valueOrClose)
                    else { return false }
                    depth = top
                    if depth == 0 {
                        expect = .end
                    } else {
                        if depth == 1 {
                            let kind: JSONKind = inObject ? .object : .array
                            recorder.record(name: memberName, value: JSONNode(kind: kind, start: memberStart, end: position &+ 1))
                        }
                        expect = .separator
                    }
                case ASCII.colon:
                    guard expect == .colon else { return false }
                    expect = .value
                case ASCII.comma:
                    guard expect == .separator else { return false }
                    let top = depth &- 1
                    expect = stack[top &>> 6] & (1 &<< UInt64(top & 63)) != 0 ? .name : .value
                default:
                    guard expect == .value || expect == .valueOrClose, let value = scalarNode(at: position) else {
                        return false
                    }
                    if depth == 1 { recorder.record(name: memberName, value: value) }
                    expect = .separator
                }
            }
            blockStart &+= 64
        }
        guard expect == .end else { return false }
        return !sawNonASCII || isValidUTF8()
    }

    /// Classifies the last, partial block, padded with spaces (which change no state).
    private func classifyTail(from start: Int) -> TLByteClasses {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { block in
            // Safe to force unwrap: a 64-byte allocation has an address, and so does a line with a
            // byte at `start`; fewer than 64 bytes remain after it.
            let padded = block.baseAddress!
            memset(padded, Int32(ASCII.space), 64)
            memcpy(padded, bytes.baseAddress! + start, bytes.count &- start)
            return tl_classify64(padded)
        }
    }

    /// The bytes escaped by backslashes: the byte after each backslash that is not itself escaped.
    /// `carry` says whether the block's first byte is escaped, and receives the same for the next.
    @inline(__always)
    private static func escapedBytes(_ backslashes: UInt64, carry: inout Bool) -> UInt64 {
        var remaining = backslashes
        var escaped: UInt64 = 0
        if carry {
            escaped = 1
            remaining &= ~1
        }
        carry = false
        // Backslashes are rare in CloudTrail; one step per escape is cheap enough.
        while remaining != 0 {
            let bit = remaining.trailingZeroBitCount
            if bit == 63 {
                carry = true
                break
            }
            let next: UInt64 = 1 &<< UInt64(bit &+ 1)
            escaped |= next
            remaining &= ~(next | 1 &<< UInt64(bit))
        }
        return escaped
    }

    /// Bit i is the parity of bits 0...i: set inside each quote pair, from the opening quote on.
    @inline(__always)
    private static func prefixXor(_ bits: UInt64) -> UInt64 {
        var value = bits
        value ^= value &<< 1
        value ^= value &<< 2
        value ^= value &<< 4
        value ^= value &<< 8
        value ^= value &<< 16
        value ^= value &<< 32
        return value
    }

    /// The node of the string whose opening quote is at `position` (`bit` in its block).
    @inline(__always)
    private func stringNode(
        openedAt position: Int, bit: Int, closingQuotes: UInt64, blockStart: Int, hasBackslash: Bool
    ) -> JSONNode? {
        let later = closingQuotes & ~((2 &<< UInt64(bit)) &- 1)
        if later != 0, !hasBackslash {
            return JSONNode(kind: .string, start: position &+ 1, end: blockStart &+ later.trailingZeroBitCount)
        }
        // The string runs on past its block, or may hold escapes: read it.
        guard let (close, escapes) = scanString(from: position &+ 1) else { return nil }
        return JSONNode(kind: .string, start: position &+ 1, end: close, hasEscapes: escapes)
    }

    /// Validates the number or literal at `start`; it must end where structure or whitespace begins.
    @inline(__always)
    private func scalarNode(at start: Int) -> JSONNode? {
        let kind: JSONKind
        let end: Int
        switch bytes[start] {
        case ASCII.lowerT:
            guard hasLiteral("true", at: start) else { return nil }
            (kind, end) = (.true, start &+ 4)
        case ASCII.lowerF:
            guard hasLiteral("false", at: start) else { return nil }
            (kind, end) = (.false, start &+ 5)
        case ASCII.lowerN:
            guard hasLiteral("null", at: start) else { return nil }
            (kind, end) = (.null, start &+ 4)
        default:
            guard let numberEnd = validateNumber(from: start) else { return nil }
            (kind, end) = (.number, numberEnd)
        }
        if end < bytes.count {
            let next = bytes[end]
            guard ASCII.isWhitespace(next) || next == ASCII.comma || next == ASCII.closeBrace
                || next == ASCII.closeBracket || next == ASCII.colon || next == ASCII.quote
                || next == ASCII.openBrace || next == ASCII.openBracket
            else { return nil }
        }
        return JSONNode(kind: kind, start: start, end: end)
    }

    /// Whether the whole line is valid UTF-8 (run only when some string held a non-ASCII byte; any
    /// outside strings already failed).
    private func isValidUTF8() -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            if index &+ 8 <= count, SWAR.load(bytes, index) & SWAR.highBits == 0 {
                index &+= 8
            } else if bytes[index] < 0x80 {
                index &+= 1
            } else {
                guard let next = validateUTF8(at: index) else { return false }
                index = next
            }
        }
        return true
    }
}
