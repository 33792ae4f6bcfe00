// Byte constants and word-at-a-time ("SWAR") search helpers shared by the scanner and the validator.
// Everything here works on `UnsafeRawBufferPointer` and never allocates.

/// ASCII bytes the scanner looks at, named once so the hot loops read as JSON grammar.
enum ASCII {
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let slash = UInt8(ascii: "/")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let lowerE = UInt8(ascii: "e")
    static let upperE = UInt8(ascii: "E")
    static let lowerT = UInt8(ascii: "t")
    static let lowerF = UInt8(ascii: "f")
    static let lowerN = UInt8(ascii: "n")
    static let lowerU = UInt8(ascii: "u")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    /// JSON whitespace: space, tab, CR, LF (RFC 8259 §2).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == newline || byte == carriageReturn || byte == tab
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- zero < 10
    }
}

/// Word-at-a-time byte search on little-endian 64-bit words.
///
/// The zero-byte test `(w - ones) & ~w & highBits` sets the high bit of every byte of `w` that is
/// zero; applied to `w` XOR a word of `b` in every byte, it finds the bytes equal to `b`. Borrows only
/// run from a zero byte towards more significant bytes, so the *lowest* flagged byte is always a true
/// hit; higher ones may be false positives, which is why callers only use `trailingZeroBitCount`
/// (the first hit in memory order).
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Flags quotes, backslashes, control bytes (below 0x20) and non-ASCII bytes: what a strict
    /// string scan must stop at. As with the zero-byte test, only the lowest flag is sure.
    ///
    /// The test's `& ~w` is left out: it only clears lanes whose own high bit is set, and those are
    /// non-ASCII bytes, flagged anyway. Nine operations instead of seventeen.
    @inline(__always)
    static func stringSpecialBytes(_ word: UInt64) -> UInt64 {
        (((word ^ quotes) &- ones) | ((word ^ backslashes) &- ones) | (word &- spaces) | word) & highBits
    }

    /// Flags quotes and backslashes (the lenient string scan's stops); only the lowest flag is sure.
    @inline(__always)
    static func quoteOrBackslashBytes(_ word: UInt64) -> UInt64 {
        (((word ^ quotes) &- ones) | ((word ^ backslashes) &- ones)) & ~word & highBits
    }

    static let quotes: UInt64 = 0x2222_2222_2222_2222
    static let backslashes: UInt64 = 0x5C5C_5C5C_5C5C_5C5C
    static let spaces: UInt64 = 0x2020_2020_2020_2020

    /// Loads eight bytes at `offset` as a little-endian word.
    ///
    /// - Precondition: `offset + 8 <= buffer.count` (checked by every caller's loop condition).
    @inline(__always)
    static func load(_ buffer: UnsafeRawBufferPointer, _ offset: Int) -> UInt64 {
        // Safe because callers guarantee offset + 8 <= buffer.count; unaligned loads are allowed.
        UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}

/// Whether `buffer[start..<start + other.count]` equals `other`, compared eight bytes at a time.
///
/// - Precondition: `start >= 0` and `start + other.count <= buffer.count`.
@inline(__always)
func bytesEqual(_ buffer: UnsafeRawBufferPointer, at start: Int, _ other: UnsafeRawBufferPointer) -> Bool {
    let count = other.count
    var offset = 0
    while offset &+ 8 <= count {
        if SWAR.load(buffer, start &+ offset) != SWAR.load(other, offset) { return false }
        offset &+= 8
    }
    while offset < count {
        if buffer[start &+ offset] != other[offset] { return false }
        offset &+= 1
    }
    return true
}
