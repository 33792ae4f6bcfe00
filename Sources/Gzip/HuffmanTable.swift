/// A canonical Huffman code for DEFLATE: a direct lookup table for short codes, and the counts and
/// sorted symbols for the bit-by-bit decode of longer ones (the scheme of zlib's `puff.c`).
///
/// Table entries are `symbol << 4 | length`; `0` means "longer than the table, or no such code".
struct HuffmanTable: ~Copyable {
    let tableBits: Int
    let table: UnsafeMutablePointer<UInt16>
    let counts: UnsafeMutablePointer<Int>
    let symbols: UnsafeMutablePointer<UInt16>

    init(tableBits: Int, maxSymbols: Int) {
        self.tableBits = tableBits
        table = .allocate(capacity: 1 << tableBits)
        counts = .allocate(capacity: 16)
        symbols = .allocate(capacity: maxSymbols)
        table.initialize(repeating: 0, count: 1 << tableBits)
        counts.initialize(repeating: 0, count: 16)
        symbols.initialize(repeating: 0, count: maxSymbols)
    }

    deinit {
        table.deallocate()
        counts.deallocate()
        symbols.deallocate()
    }

    /// build makes the code for `lengths`; it returns false when the lengths over-subscribe the code space.
    ///
    /// An incomplete code is accepted; decoding one of its missing codes fails later.
    func build(_ lengths: UnsafePointer<UInt8>, count n: Int) -> Bool {
        for len in 0..<16 { counts[len] = 0 }
        for s in 0..<n { counts[Int(lengths[s])] += 1 }
        var left = 1
        for len in 1..<16 {
            left <<= 1
            left -= counts[len]
            if left < 0 { return false }
        }
        var offsets = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &offsets) { raw in
            let offs = raw.bindMemory(to: Int.self)
            offs[1] = 0
            for len in 1..<15 { offs[len + 1] = offs[len] + counts[len] }
            for s in 0..<n where lengths[s] != 0 {
                let len = Int(lengths[s])
                symbols[offs[len]] = UInt16(s)
                offs[len] += 1
            }
        }
        let size = 1 << tableBits
        table.update(repeating: 0, count: size)
        var code = 0
        var index = 0
        for len in 1..<16 {
            for _ in 0..<counts[len] {
                let symbol = symbols[index]
                index += 1
                if len <= tableBits {
                    var reversed = 0
                    var c = code
                    for _ in 0..<len {
                        reversed = (reversed << 1) | (c & 1)
                        c >>= 1
                    }
                    let entry = symbol << 4 | UInt16(len)
                    var i = reversed
                    while i < size {
                        table[i] = entry
                        i += 1 << len
                    }
                }
                code += 1
            }
            code <<= 1
        }
        return true
    }
}
