// A DEFLATE (RFC 1951) decoder inside a gzip (RFC 1952) frame: one member at a time.
//
// It pulls input through a `read` closure into a 64 KiB buffer and pushes output through an `emit`
// closure in chunks of up to 256 KiB, keeping the 32 KiB window in front of the chunk. The bit buffer
// is 64 bits wide and refilled eight bytes at a time where possible (as libdeflate does); at the end of
// the input it is padded with zero bytes that are counted, so that a stream which uses them is reported
// truncated instead of being decoded from made-up bits.

/// The state of one decompression run. Used only through ``GzipReader`` and ``GzipDecompressor``.
final class Inflater {
    static let windowSize = 32 * 1024
    static let chunkSize = 256 * 1024
    static let inputCapacity = 64 * 1024

    private let input: UnsafeMutablePointer<UInt8>
    private var inPos = 0
    private var inEnd = 0
    private var sourceDone = false
    private var padBytes = 0
    private(set) var inputBytesRead = 0

    private var bitBuf: UInt64 = 0
    private var bitCount = 0

    private let out: UnsafeMutablePointer<UInt8>
    private var outPos = 0
    private var emittedTo = 0
    private(set) var totalOut = 0
    /// Output bytes of the current member (the gzip trailer's ISIZE is per member).
    private var memberOut = 0
    /// Whether a member has been decoded completely (so a bad header after it means a cut-off member).
    private var afterFirstMember = false
    private var crc = CRC32()
    private let maxOutput: Int

    private let lit = HuffmanTable(tableBits: 10, maxSymbols: 288)
    private let dist = HuffmanTable(tableBits: 8, maxSymbols: 32)
    private let lengths: UnsafeMutablePointer<UInt8>

    private let read: (UnsafeMutableRawBufferPointer) throws -> Int
    private let emit: (UnsafeRawBufferPointer) throws -> Void

    init(
        maxOutput: Int,
        read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int,
        emit: @escaping (UnsafeRawBufferPointer) throws -> Void
    ) {
        self.maxOutput = maxOutput
        self.read = read
        self.emit = emit
        input = .allocate(capacity: Inflater.inputCapacity)
        out = .allocate(capacity: Inflater.windowSize + Inflater.chunkSize + 512)
        lengths = .allocate(capacity: 320)
        lengths.initialize(repeating: 0, count: 320)
    }

    deinit {
        input.deallocate()
        out.deallocate()
        lengths.deallocate()
    }

    // MARK: Input

    private func loadInput() throws -> Bool {
        if sourceDone { return false }
        let n = try read(UnsafeMutableRawBufferPointer(start: input, count: Inflater.inputCapacity))
        precondition(n >= 0 && n <= Inflater.inputCapacity, "read returned an impossible count")
        inPos = 0
        inEnd = n
        inputBytesRead += n
        if n == 0 { sourceDone = true }
        return n > 0
    }

    @inline(__always)
    private func refill() throws {
        if inEnd - inPos >= 8 {
            // Safe because at least eight bytes remain in the buffer.
            let w = UnsafeRawPointer(input + inPos).loadUnaligned(as: UInt64.self).littleEndian
            bitBuf |= w &<< UInt64(bitCount)
            let n = (63 - bitCount) >> 3
            inPos += n
            bitCount += n << 3
        } else {
            try slowRefill()
        }
    }

    private func slowRefill() throws {
        while bitCount <= 56 {
            if inPos == inEnd, try !loadInput() {
                padBytes += 1
                if padBytes > 16 { throw GzipError.truncated }
                bitCount += 8
                continue
            }
            bitBuf |= UInt64(input[inPos]) &<< UInt64(bitCount)
            inPos += 1
            bitCount += 8
        }
    }

    @inline(__always)
    private func bits(_ n: Int) -> Int {
        let v = Int(truncatingIfNeeded: bitBuf & ((1 &<< UInt64(n)) &- 1))
        bitBuf &>>= UInt64(n)
        bitCount -= n
        return v
    }

    private func byte() throws -> UInt8 {
        if bitCount < 8 { try refill() }
        return UInt8(bits(8))
    }

    // MARK: Output

    private func flush() throws {
        let n = outPos - emittedTo
        if n > 0 {
            if n > maxOutput - totalOut { throw GzipError.outputLimit(maxOutput) }
            let chunk = UnsafeRawBufferPointer(start: out + emittedTo, count: n)
            crc.update(chunk)
            try emit(chunk)
            totalOut += n
            memberOut += n
            emittedTo = outPos
        }
        if outPos > Inflater.windowSize {
            (out).update(from: out + (outPos - Inflater.windowSize), count: Inflater.windowSize)
            outPos = Inflater.windowSize
            emittedTo = outPos
        }
    }

    // MARK: Decoding

    /// run decodes the header, the DEFLATE blocks and the trailer of the first member.
    /// Returns the number of input bytes after the member that were already read into memory.
    func run() throws -> Int {
        try member()
        return bitCount / 8 - padBytes + (inEnd - inPos)
    }

    /// runAll decodes every member of a multi-member stream (RFC 1952 section 2.2), as `gunzip` does.
    ///
    /// Returns the number of bytes after the last member that do not start another member (0 for a
    /// clean stream); those bytes are read to the end of the input and counted, not decoded.
    func runAll() throws -> Int {
        try member()
        while true {
            // Look at the next two bytes without consuming them: another member, or the end.
            if bitCount < 16 { try refill() }
            let buffered = bitCount / 8 - padBytes
            if buffered <= 0 && inPos == inEnd { return 0 }
            if buffered >= 2 && bitBuf & 0xFFFF == 0x8B1F {
                crc = CRC32()
                memberOut = 0
                outPos = 0
                emittedTo = 0
                try member()
                continue
            }
            var trailing = max(buffered, 0) + (inEnd - inPos)
            inPos = inEnd
            while try loadInput() {
                trailing += inEnd
                inPos = inEnd
            }
            return trailing
        }
    }

    /// member decodes the header, the DEFLATE blocks and the trailer of one member.
    private func member() throws {
        try header()
        var final = false
        repeat {
            if bitCount < 3 { try refill() }
            final = bits(1) == 1
            switch bits(2) {
            case 0: try storedBlock()
            case 1:
                buildFixed()
                try codes()
            case 2:
                try dynamicTables()
                try codes()
            default: throw GzipError.corrupt("block type 3")
            }
        } while !final
        _ = bits(bitCount & 7)
        var trailer: UInt64 = 0
        for i in 0..<8 { trailer |= UInt64(try byte()) << (8 * UInt64(i)) }
        if bitCount / 8 < padBytes { throw GzipError.truncated }
        try flush()
        if UInt32(truncatingIfNeeded: trailer) != crc.value
            || UInt32(truncatingIfNeeded: trailer >> 32) != UInt32(truncatingIfNeeded: memberOut)
        {
            throw GzipError.checksumMismatch
        }
        afterFirstMember = true
    }

    private func header() throws {
        if try byte() != 0x1f || byte() != 0x8b { throw GzipError.notGzip }
        // Padding already at the magic: the input is too short to be gzip, or (after a first member)
        // a second member was cut off.
        if padBytes > 0 { throw !afterFirstMember ? GzipError.notGzip : GzipError.truncated }
        let method = try byte()
        if method != 8 { throw GzipError.unsupported("compression method \(method)") }
        let flags = try byte()
        if flags & 0xE0 != 0 { throw GzipError.unsupported("reserved flags \(flags)") }
        for _ in 0..<6 { _ = try byte() }  // MTIME, XFL, OS
        if flags & 0x04 != 0 {
            let xlen = Int(try byte()) | Int(try byte()) << 8
            for _ in 0..<xlen { _ = try byte() }
        }
        if flags & 0x08 != 0 { while try byte() != 0 {} }
        if flags & 0x10 != 0 { while try byte() != 0 {} }
        if flags & 0x02 != 0 { _ = try byte(); _ = try byte() }
        if padBytes > 0 { throw GzipError.truncated }
    }

    private func storedBlock() throws {
        _ = bits(bitCount & 7)
        if bitCount < 32 { try refill() }
        let len = bits(16)
        let nlen = bits(16)
        if len != (~nlen & 0xFFFF) { throw GzipError.corrupt("stored block length check") }
        var remaining = len
        while remaining > 0 && bitCount >= 8 {
            if outPos >= Inflater.windowSize + Inflater.chunkSize { try flush() }
            out[outPos] = UInt8(truncatingIfNeeded: bitBuf)
            bitBuf &>>= 8
            bitCount -= 8
            outPos += 1
            remaining -= 1
        }
        if remaining == 0 { return }
        bitBuf = 0  // the bits above bitCount are copies of input[inPos...], which is copied directly now
        while remaining > 0 {
            if inPos == inEnd, try !loadInput() { throw GzipError.truncated }
            if outPos >= Inflater.windowSize + Inflater.chunkSize { try flush() }
            let room = Inflater.windowSize + Inflater.chunkSize - outPos
            let k = min(remaining, inEnd - inPos, room)
            (out + outPos).update(from: input + inPos, count: k)
            outPos += k
            inPos += k
            remaining -= k
        }
    }

    private func buildFixed() {
        for i in 0..<144 { lengths[i] = 8 }
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        for i in 280..<288 { lengths[i] = 8 }
        _ = lit.build(lengths, count: 288)
        for i in 0..<30 { lengths[i] = 5 }
        _ = dist.build(lengths, count: 30)
    }

    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private func dynamicTables() throws {
        if bitCount < 14 { try refill() }
        let nlen = bits(5) + 257
        let ndist = bits(5) + 1
        let ncode = bits(4) + 4
        if nlen > 286 || ndist > 30 { throw GzipError.corrupt("too many length or distance codes") }
        let codeLengths = HuffmanTable(tableBits: 7, maxSymbols: 19)
        for i in 0..<19 { lengths[i] = 0 }
        var orderLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<ncode {
            if bitCount < 3 { try refill() }
            orderLengths[Inflater.codeLengthOrder[i]] = UInt8(bits(3))
        }
        let ok = orderLengths.withUnsafeBufferPointer { p in
            // Safe because the array holds 19 elements.
            codeLengths.build(p.baseAddress.unsafelyUnwrapped, count: 19)
        }
        if !ok { throw GzipError.corrupt("over-subscribed code-length code") }
        var index = 0
        let total = nlen + ndist
        while index < total {
            if bitCount < 24 { try refill() }
            let symbol = try decode(codeLengths)
            if symbol < 16 {
                lengths[index] = UInt8(symbol)
                index += 1
                continue
            }
            var value: UInt8 = 0
            var repeatCount: Int
            switch symbol {
            case 16:
                if index == 0 { throw GzipError.corrupt("repeat with no previous length") }
                value = lengths[index - 1]
                repeatCount = 3 + bits(2)
            case 17: repeatCount = 3 + bits(3)
            default: repeatCount = 11 + bits(7)
            }
            if index + repeatCount > total { throw GzipError.corrupt("too many code lengths") }
            for _ in 0..<repeatCount {
                lengths[index] = value
                index += 1
            }
        }
        if lengths[256] == 0 { throw GzipError.corrupt("no end-of-block code") }
        if !lit.build(lengths, count: nlen) { throw GzipError.corrupt("over-subscribed literal/length code") }
        if !dist.build(lengths + nlen, count: ndist) { throw GzipError.corrupt("over-subscribed distance code") }
    }

    /// decode reads one symbol; the caller has made sure 15 bits are buffered.
    @inline(__always)
    private func decode(_ h: borrowing HuffmanTable) throws -> Int {
        let entry = h.table[Int(truncatingIfNeeded: bitBuf) & ((1 << h.tableBits) - 1)]
        if entry != 0 {
            let len = Int(entry & 15)
            bitBuf &>>= UInt64(len)
            bitCount -= len
            return Int(entry >> 4)
        }
        return try slowDecode(h)
    }

    private func slowDecode(_ h: borrowing HuffmanTable) throws -> Int {
        var code = 0
        var first = 0
        var index = 0
        for len in 1..<16 {
            code |= Int(truncatingIfNeeded: bitBuf & 1)
            bitBuf &>>= 1
            bitCount -= 1
            let count = h.counts[len]
            if code - count < first { return Int(h.symbols[index + (code - first)]) }
            index += count
            first += count
            first <<= 1
            code <<= 1
        }
        throw GzipError.corrupt("invalid Huffman code")
    }

    private static let lengthBase: [UInt16] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    private static let lengthExtra: [UInt8] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distBase: [UInt16] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
        4097, 6145, 8193, 12289, 16385, 24577,
    ]
    private static let distExtra: [UInt8] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]

    /// codes decodes the symbols of one Huffman-coded block.
    ///
    /// The hot loop keeps the bit buffer, positions and table pointers in locals (class properties would
    /// be reloaded and exclusivity-checked on every access) and writes them back around the rare slow paths.
    private func codes() throws {
        let limit = Inflater.windowSize + Inflater.chunkSize
        let out = self.out
        let input = self.input
        let litTable = lit.table
        let distTable = dist.table
        let litMask = (1 << lit.tableBits) - 1
        let distMask = (1 << dist.tableBits) - 1
        var bitBuf = self.bitBuf
        var bitCount = self.bitCount
        var inPos = self.inPos
        var outPos = self.outPos
        let inEnd = self.inEnd
        @inline(__always) func store() {
            self.bitBuf = bitBuf
            self.bitCount = bitCount
            self.inPos = inPos
            self.outPos = outPos
        }
        @inline(__always) func load() {
            bitBuf = self.bitBuf
            bitCount = self.bitCount
            inPos = self.inPos
            outPos = self.outPos
        }
        while true {
            if outPos >= limit {
                store()
                try flush()
                load()
            }
            if bitCount < 48 {
                if inEnd - inPos >= 8 && self.inEnd == inEnd {
                    // Safe because at least eight bytes remain in the buffer.
                    let w = UnsafeRawPointer(input + inPos).loadUnaligned(as: UInt64.self).littleEndian
                    bitBuf |= w &<< UInt64(bitCount)
                    let n = (63 - bitCount) >> 3
                    inPos += n
                    bitCount += n << 3
                } else {
                    store()
                    try refill()
                    try codesSlowTail()
                    return
                }
            }
            var symbol: Int
            let entry = litTable[Int(truncatingIfNeeded: bitBuf) & litMask]
            if entry != 0 {
                let len = Int(entry & 15)
                bitBuf &>>= UInt64(len)
                bitCount -= len
                symbol = Int(entry >> 4)
            } else {
                store()
                symbol = try slowDecode(lit)
                load()
            }
            if symbol < 256 {
                out[outPos] = UInt8(truncatingIfNeeded: symbol)
                outPos += 1
                continue
            }
            if symbol == 256 {
                store()
                return
            }
            let ls = symbol - 257
            if ls >= 29 { throw GzipError.corrupt("invalid length symbol") }
            let lengthExtra = Int(Inflater.lengthExtraTable[ls])
            let length = Int(Inflater.lengthBaseTable[ls])
                + Int(truncatingIfNeeded: bitBuf & ((1 &<< UInt64(lengthExtra)) &- 1))
            bitBuf &>>= UInt64(lengthExtra)
            bitCount -= lengthExtra
            var ds: Int
            let dEntry = distTable[Int(truncatingIfNeeded: bitBuf) & distMask]
            if dEntry != 0 {
                let len = Int(dEntry & 15)
                bitBuf &>>= UInt64(len)
                bitCount -= len
                ds = Int(dEntry >> 4)
            } else {
                store()
                ds = try slowDecode(dist)
                load()
            }
            if ds >= 30 { throw GzipError.corrupt("invalid distance symbol") }
            let distExtra = Int(Inflater.distExtraTable[ds])
            let distance = Int(Inflater.distBaseTable[ds])
                + Int(truncatingIfNeeded: bitBuf & ((1 &<< UInt64(distExtra)) &- 1))
            bitBuf &>>= UInt64(distExtra)
            bitCount -= distExtra
            if distance > outPos { throw GzipError.corrupt("distance too far back") }
            var dst = out + outPos
            var src = dst - distance
            if distance >= 8 {
                // Safe because the buffer has 512 bytes of slack past the limit for this overrun.
                var remaining = length
                while remaining > 0 {
                    UnsafeMutableRawPointer(dst).storeBytes(
                        of: UnsafeRawPointer(src).loadUnaligned(as: UInt64.self), as: UInt64.self)
                    dst += 8
                    src += 8
                    remaining -= 8
                }
            } else if distance == 1 {
                dst.update(repeating: src.pointee, count: length)
            } else {
                for i in 0..<length { dst[i] = src[i] }
            }
            outPos += length
        }
    }

    /// codesSlowTail decodes the rest of a block near the end of the input buffer, one careful step at a time.
    private func codesSlowTail() throws {
        let limit = Inflater.windowSize + Inflater.chunkSize
        while true {
            if outPos >= limit { try flush() }
            if bitCount < 48 { try refill() }
            if inEnd - inPos >= 64 {
                // Enough input again for the fast loop.
                try codes()
                return
            }
            let symbol = try decode(lit)
            if symbol < 256 {
                out[outPos] = UInt8(truncatingIfNeeded: symbol)
                outPos += 1
                continue
            }
            if symbol == 256 { return }
            let ls = symbol - 257
            if ls >= 29 { throw GzipError.corrupt("invalid length symbol") }
            let length = Int(Inflater.lengthBaseTable[ls]) + bits(Int(Inflater.lengthExtraTable[ls]))
            let ds = try decode(dist)
            if ds >= 30 { throw GzipError.corrupt("invalid distance symbol") }
            let distance = Int(Inflater.distBaseTable[ds]) + bits(Int(Inflater.distExtraTable[ds]))
            if distance > outPos { throw GzipError.corrupt("distance too far back") }
            let dst = out + outPos
            let src = dst - distance
            for i in 0..<length { dst[i] = src[i] }
            outPos += length
        }
    }

    // Safe because these tables are written once, by their lazy initializer, and only read afterwards.
    nonisolated(unsafe) private static let lengthBaseTable = UnsafePointer(table(lengthBase))
    nonisolated(unsafe) private static let lengthExtraTable = UnsafePointer(table(lengthExtra))
    nonisolated(unsafe) private static let distBaseTable = UnsafePointer(table(distBase))
    nonisolated(unsafe) private static let distExtraTable = UnsafePointer(table(distExtra))

    /// table copies a constant table to memory that lives for the whole process (read-only after this).
    private static func table<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: values.count)
        p.initialize(from: values, count: values.count)
        return p
    }
}
