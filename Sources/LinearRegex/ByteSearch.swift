/// A precompiled substring search: Knuth–Morris–Pratt, with a fast skip to the needle's first byte
/// whenever no partial match is pending.
///
/// The skip reads eight bytes at a time, so the common case (the first byte is rare in the subject)
/// runs at memchr-like speed, and the KMP fallback keeps the worst case linear.
struct ByteSearch: Sendable {
    /// The bytes to find; never empty.
    let needle: [UInt8]
    /// `failure[k]` is the length of the longest proper border of `needle[0...k]`.
    let failure: [Int32]

    /// Precomputes the failure table for `needle`.
    ///
    /// - Precondition: `needle` is not empty.
    /// - Complexity: O(*m*) in the length of the needle.
    init(_ needle: [UInt8]) {
        precondition(!needle.isEmpty, "ByteSearch needs a non-empty needle")
        self.needle = needle
        var failure = [Int32](repeating: 0, count: needle.count)
        var border = 0
        for index in 1..<max(needle.count, 1) {
            while border > 0 && needle[index] != needle[border] {
                border = Int(failure[border - 1])
            }
            if needle[index] == needle[border] {
                border += 1
            }
            failure[index] = Int32(border)
        }
        self.failure = failure
    }

    /// Whether `haystack` contains the needle.
    ///
    /// - Complexity: O(*n* + *m*) for a haystack of *n* bytes and a needle of *m* bytes.
    func isFound(in haystack: UnsafeRawBufferPointer) -> Bool {
        let count = haystack.count
        let length = needle.count
        guard length <= count else { return false }
        return needle.withUnsafeBufferPointer { needle in
            failure.withUnsafeBufferPointer { failure in
                let first = needle[0]
                var matched = 0
                var offset = 0
                while offset < count {
                    if matched == 0 {
                        offset = Self.firstIndex(of: first, in: haystack, from: offset)
                        guard offset < count else { return false }
                        matched = 1
                        offset += 1
                    } else {
                        let byte = haystack[offset]
                        while matched > 0 && needle[matched] != byte {
                            matched = Int(failure[matched - 1])
                        }
                        if needle[matched] == byte {
                            matched += 1
                        }
                        offset += 1
                    }
                    if matched == length {
                        return true
                    }
                }
                return false
            }
        }
    }

    /// The first offset at or after `start` holding `byte`, or `haystack.count` when there is none.
    ///
    /// - Complexity: O(*n*), eight bytes per step.
    static func firstIndex(of byte: UInt8, in haystack: UnsafeRawBufferPointer, from start: Int) -> Int {
        let count = haystack.count
        var offset = start
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let pattern = ones &* UInt64(byte)
        while offset + 8 <= count {
            // Safe because offset + 8 <= count; loadUnaligned has no alignment requirement.
            let word = UInt64(littleEndian: haystack.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) ^ pattern
            // A zero byte in `word` marks a hit; this classic test has no false negatives, and its
            // false positives only occur above a real hit, so the lowest flagged byte is exact.
            let found = (word &- ones) & ~word & highs
            if found != 0 {
                return offset + found.trailingZeroBitCount / 8
            }
            offset += 8
        }
        while offset < count {
            if haystack[offset] == byte {
                return offset
            }
            offset += 1
        }
        return count
    }
}

extension UnsafeRawBufferPointer {
    /// Whether the buffer begins with `prefix`.
    func hasPrefix(_ prefix: [UInt8]) -> Bool {
        guard prefix.count <= count else { return false }
        for index in 0..<prefix.count where self[index] != prefix[index] {
            return false
        }
        return true
    }

    /// Whether the buffer ends with `suffix`.
    func hasSuffix(_ suffix: [UInt8]) -> Bool {
        guard suffix.count <= count else { return false }
        let base = count - suffix.count
        for index in 0..<suffix.count where self[base + index] != suffix[index] {
            return false
        }
        return true
    }
}
