/// How the VM splits a subject into characters.
///
/// A character is an ASCII byte, a well-formed UTF-8 sequence of 2–4 bytes, or a single byte where
/// the bytes at that point are not well-formed UTF-8 (a stray continuation byte, an overlong or
/// surrogate encoding, a truncated sequence).
enum UTF8Decoding {
    /// The length of the character starting at `offset` of `bytes`: 1 for ASCII and for invalid bytes.
    ///
    /// - Precondition: `offset < bytes.count`.
    /// - Complexity: O(1).
    @inline(__always)
    static func sequenceLength(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int {
        let lead = bytes[offset]
        if lead < 0x80 {
            return 1
        }
        return multiByteLength(bytes, at: offset, lead: lead)
    }

    /// The length of a character whose lead byte is not ASCII.
    static func multiByteLength(_ bytes: UnsafeRawBufferPointer, at offset: Int, lead: UInt8) -> Int {
        let count = bytes.count
        /// Whether the byte at `index` exists and lies in `range`.
        func byte(_ index: Int, in range: ClosedRange<UInt8>) -> Bool {
            index < count && range.contains(bytes[index])
        }
        let tail: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF:
            return byte(offset + 1, in: tail) ? 2 : 1
        case 0xE0:
            return byte(offset + 1, in: 0xA0...0xBF) && byte(offset + 2, in: tail) ? 3 : 1
        case 0xE1...0xEC, 0xEE...0xEF:
            return byte(offset + 1, in: tail) && byte(offset + 2, in: tail) ? 3 : 1
        case 0xED:
            return byte(offset + 1, in: 0x80...0x9F) && byte(offset + 2, in: tail) ? 3 : 1
        case 0xF0:
            return byte(offset + 1, in: 0x90...0xBF) && byte(offset + 2, in: tail) && byte(offset + 3, in: tail) ? 4 : 1
        case 0xF1...0xF3:
            return byte(offset + 1, in: tail) && byte(offset + 2, in: tail) && byte(offset + 3, in: tail) ? 4 : 1
        case 0xF4:
            return byte(offset + 1, in: 0x80...0x8F) && byte(offset + 2, in: tail) && byte(offset + 3, in: tail) ? 4 : 1
        default:
            return 1
        }
    }
}
