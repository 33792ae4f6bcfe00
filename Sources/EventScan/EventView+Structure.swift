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
    /// A value (after a name and its `:`, or after `,` in an array).
    case value
    /// A value or `]` (after `[`).
    case valueOrClose
    /// A member name (after `,` in an object).
    case name
    /// A member name or `}` (after `{`).
    case nameOrClose
    /// The container's closing bracket (after a value not followed by `,`).
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
        // Whether the innermost open container is an object (the top of `stack`).
        var inObject = true
        // `:` and `,` are not tokens: the name or value before each one reads it (a byte after the
        // value's end), and the counts must agree at the end, so that none can stand anywhere else.
        var separatorsSeen = 0
        var separatorsUsed = 0
        var blockStart = 0
        // Blocks are classified sixteen at a time (one kernel call per kilobyte), the last partial
        // one on its own.
        let batchCapacity = 16
        var batchNext = 0
        var batchCount = 0
        return withUnsafeTemporaryAllocation(of: TLByteClasses.self, capacity: batchCapacity) { batch in
            // Safe to force unwrap: a temporary allocation of 16 elements has an address.
            let batchBase = batch.baseAddress!
            while blockStart < count {
                if batchNext == batchCount {
                    let fullBlocks = (count &- blockStart) &>> 6
                    if fullBlocks > 0 {
                        batchCount = min(fullBlocks, batchCapacity)
                        tl_classify_blocks(
                            base.advanced(by: blockStart).assumingMemoryBound(to: UInt8.self), batchCount, batchBase)
                    } else {
                        batchBase[0] = classifyTail(from: blockStart)
                        batchCount = 1
                    }
                    batchNext = 0
                }
                let classes = batchBase[batchNext]
                batchNext &+= 1
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
                let brackets = classes.brackets & ~inString
                separatorsSeen &+= (classes.separators & ~inString).nonzeroBitCount
                // Bytes outside strings that are not structure: numbers and literals, or garbage.
                let scalar = ~(classes.whitespace | classes.brackets | classes.separators | classes.quote | inString)
                let scalarStarts = scalar & ~(scalar &<< 1 | carry.scalar)
                carry.scalar = scalar &>> 63
                let closingQuotes = quotes & ~inString
                var tokens = brackets | (quotes & inString) | scalarStarts
                while tokens != 0 {
                    let bit = tokens.trailingZeroBitCount
                    tokens &= tokens &- 1
                    let position = blockStart &+ bit
                    let byte = bytes[position]
                    switch byte {
                    case ASCII.quote:
                        guard let close = closingQuote(opening: bit, closingQuotes, blockStart: blockStart) else {
                            return false
                        }
                        switch expect {
                        case .value, .valueOrClose:
                            if depth == 1 {
                                recorder.record(name: memberName, value: stringNode(position, close, hasBackslash))
                            }
                            expect = afterValue(close &+ 1, inObject: inObject, separatorsUsed: &separatorsUsed)
                        case .name, .nameOrClose:
                            if depth == 1 { memberName = stringNode(position, close, hasBackslash) }
                            // The colon is the first byte after the name that is not whitespace.
                            let colon = close &+ 1 < count && bytes[close &+ 1] == ASCII.colon ? close &+ 1 : skipWhitespace(close &+ 1)
                            guard colon < count, bytes[colon] == ASCII.colon else { return false }
                            separatorsUsed &+= 1
                            expect = .value
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
                        inObject = isObject
                        expect = isObject ? .nameOrClose : .valueOrClose
                    case ASCII.closeBrace, ASCII.closeBracket:
                        guard byte == (inObject ? ASCII.closeBrace : ASCII.closeBracket),
                            expect == .separator || expect == (inObject ? .nameOrClose : .valueOrClose), depth > 0
                        else { return false }
                        let closedObject = inObject
                        depth &-= 1
                        if depth == 0 {
                            expect = .end
                        } else {
                            let top = depth &- 1
                            inObject = stack[top &>> 6] & (1 &<< UInt64(top & 63)) != 0
                            if depth == 1 {
                                let kind: JSONKind = closedObject ? .object : .array
                                recorder.record(name: memberName, value: JSONNode(kind: kind, start: memberStart, end: position &+ 1))
                            }
                            expect = afterValue(position &+ 1, inObject: inObject, separatorsUsed: &separatorsUsed)
                        }
                    default:
                        guard expect == .value || expect == .valueOrClose, let value = scalarNode(at: position) else {
                            return false
                        }
                        if depth == 1 { recorder.record(name: memberName, value: value) }
                        expect = afterValue(value.end, inObject: inObject, separatorsUsed: &separatorsUsed)
                    }
                }
                blockStart &+= 64
            }
            // Every `:` and `,` outside strings must have been the one after a name or a value.
            guard expect == .end, separatorsUsed == separatorsSeen else { return false }
            return !sawNonASCII || isValidUTF8()
        }
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

    /// The offset of the closing quote of the string opened at `bit` of the block at `blockStart`.
    @inline(__always)
    private func closingQuote(opening bit: Int, _ closingQuotes: UInt64, blockStart: Int) -> Int? {
        let later = closingQuotes & ~((2 &<< UInt64(bit)) &- 1)
        if later != 0 { return blockStart &+ later.trailingZeroBitCount }
        // The string runs on past its block: read on to its end.
        return scanString(from: blockStart &+ bit &+ 1)?.close
    }

    /// The node of the string from the quote at `open` to the one at `close`.
    @inline(__always)
    private func stringNode(_ open: Int, _ close: Int, _ lineHasBackslash: Bool) -> JSONNode {
        // Safe because open < close <= bytes.count.
        let escapes =
            lineHasBackslash && memchr(bytes.baseAddress!.advanced(by: open &+ 1), Int32(ASCII.backslash), close &- open &- 1) != nil
        return JSONNode(kind: .string, start: open &+ 1, end: close, hasEscapes: escapes)
    }

    /// What may follow a value that ends at `end`: after a `,` (which it reads), the next member
    /// or element; otherwise only the container's closing bracket.
    @inline(__always)
    private func afterValue(_ end: Int, inObject: Bool, separatorsUsed: inout Int) -> Expect {
        let count = bytes.count
        var next = end
        if next < count, ASCII.isWhitespace(bytes[next]) { next = skipWhitespace(next) }
        guard next < count, bytes[next] == ASCII.comma else { return .separator }
        separatorsUsed &+= 1
        return inObject ? .name : .value
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
