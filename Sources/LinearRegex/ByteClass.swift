/// A set of characters: a 128-bit bitmap over ASCII plus one flag for every non-ASCII character.
///
/// CloudWatch regexes are written in ASCII, so a class can only name ASCII characters individually.
/// Negation (`[^...]`, `\D`, `\W`, `\S`) and `.` also admit every non-ASCII character, which the VM
/// consumes as one whole UTF-8 sequence, or one byte where the subject is not valid UTF-8.
struct ByteClass: Sendable, Equatable, Hashable {
    /// Members 0x00–0x3F.
    var low: UInt64 = 0
    /// Members 0x40–0x7F.
    var high: UInt64 = 0
    /// Whether every non-ASCII character (and every byte that is not valid UTF-8) is a member.
    var nonASCII = false

    /// Whether ASCII byte `byte` is a member; bytes >= 0x80 are never ASCII members.
    @inline(__always)
    func contains(ascii byte: UInt8) -> Bool {
        if byte < 64 {
            return low & (1 &<< UInt64(byte)) != 0
        }
        if byte < 128 {
            return high & (1 &<< UInt64(byte &- 64)) != 0
        }
        return false
    }

    /// Adds one ASCII byte.
    mutating func insert(_ byte: UInt8) {
        precondition(byte < 128, "ByteClass holds ASCII bytes only")
        if byte < 64 {
            low |= 1 &<< UInt64(byte)
        } else {
            high |= 1 &<< UInt64(byte - 64)
        }
    }

    /// Adds the ASCII bytes `first...last`.
    mutating func insert(range first: UInt8, _ last: UInt8) {
        guard first <= last else { return }
        for byte in first...last {
            insert(byte)
        }
    }

    /// Adds every member of `other`.
    mutating func formUnion(_ other: ByteClass) {
        low |= other.low
        high |= other.high
        nonASCII = nonASCII || other.nonASCII
    }

    /// The complement over ASCII and the non-ASCII flag.
    var inverted: ByteClass {
        ByteClass(low: ~low, high: ~high, nonASCII: !nonASCII)
    }

    /// The number of ASCII members.
    var asciiCount: Int {
        low.nonzeroBitCount + high.nonzeroBitCount
    }

    /// Whether the class has no member at all.
    var isEmpty: Bool {
        low == 0 && high == 0 && !nonASCII
    }

    /// The single ASCII member when the class has exactly one member, otherwise `nil`.
    var singleByte: UInt8? {
        guard !nonASCII, asciiCount == 1 else { return nil }
        if low != 0 {
            return UInt8(low.trailingZeroBitCount)
        }
        return UInt8(64 + high.trailingZeroBitCount)
    }

    /// A class with the given members.
    static func of(_ bytes: UInt8...) -> ByteClass {
        var result = ByteClass()
        for byte in bytes {
            result.insert(byte)
        }
        return result
    }

    /// `\d`: the ASCII digits.
    static let digit: ByteClass = {
        var result = ByteClass()
        result.insert(range: UInt8(ascii: "0"), UInt8(ascii: "9"))
        return result
    }()

    /// `\w`: ASCII letters, digits and `_`.
    static let word: ByteClass = {
        var result = digit
        result.insert(range: UInt8(ascii: "a"), UInt8(ascii: "z"))
        result.insert(range: UInt8(ascii: "A"), UInt8(ascii: "Z"))
        result.insert(UInt8(ascii: "_"))
        return result
    }()

    /// `\s`: tab, space or newline, exactly as CloudWatch documents it (not CR, VT or FF).
    static let space: ByteClass = ByteClass.of(0x09, 0x0A, 0x20)

    /// `.`: every character except `\n` and `\r`.
    static let dot: ByteClass = ByteClass.of(0x0A, 0x0D).inverted
}
