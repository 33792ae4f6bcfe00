#if canImport(Glibc)
internal import Glibc
#elseif canImport(Musl)
internal import Musl
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Byte-string comparisons and substring search, on raw buffers, without allocation.
enum ByteSearch {
    @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        return a.count == 0 || memoryEqual(a.baseAddress!, b.baseAddress!, a.count)  // safe because: count > 0
    }

    @inline(__always)
    static func hasPrefix(_ text: UnsafeRawBufferPointer, _ prefix: UnsafeRawBufferPointer) -> Bool {
        guard text.count >= prefix.count else { return false }
        return prefix.count == 0 || memoryEqual(text.baseAddress!, prefix.baseAddress!, prefix.count)  // safe because: count > 0
    }

    @inline(__always)
    static func hasSuffix(_ text: UnsafeRawBufferPointer, _ suffix: UnsafeRawBufferPointer) -> Bool {
        guard text.count >= suffix.count else { return false }
        guard suffix.count > 0 else { return true }
        // safe because: text.count >= suffix.count > 0
        return memoryEqual(text.baseAddress! + (text.count - suffix.count), suffix.baseAddress!, suffix.count)
    }

    static func contains(_ text: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        firstIndex(of: needle, in: text) != nil
    }

    /// Whether `text` contains `needle`, scanning for the needle's byte at `anchor` (its rarest).
    static func contains(_ text: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer, anchor: Int) -> Bool {
        let m = needle.count, n = text.count
        guard m > 1, anchor > 0, anchor < m else { return firstIndex(of: needle, in: text) != nil }
        guard n >= m else { return false }
        // safe because: n >= m > 1
        let base = text.baseAddress!
        let needleBase = needle.baseAddress!
        let byte = needle[anchor]
        var index = anchor
        let limit = n - m + anchor
        while index <= limit {
            guard let hit = firstByte(byte, in: base, from: index, to: limit + 1) else { return false }
            if memoryEqual(base + (hit - anchor), needleBase, m) { return true }
            index = hit + 1
        }
        return false
    }

    /// The offset of the first occurrence of `needle` in `text`.
    /// - Complexity: O(n·m) worst case, O(n) in practice: candidates are found by scanning for
    ///   the needle's first byte with `memchr`.
    static func firstIndex(of needle: UnsafeRawBufferPointer, in text: UnsafeRawBufferPointer, from start: Int = 0)
        -> Int?
    {
        let m = needle.count
        let n = text.count
        guard m > 0 else { return start <= n ? start : nil }
        guard n - start >= m else { return nil }
        // safe because: both buffers are non-empty here
        let base = text.baseAddress!
        let needleBase = needle.baseAddress!
        let first = needle[0]
        let last = needle[m - 1]
        var index = start
        let limit = n - m
        while index <= limit {
            guard let hit = firstByte(first, in: base, from: index, to: limit + 1) else { return nil }
            if base.load(fromByteOffset: hit + m - 1, as: UInt8.self) == last,
                m <= 2 || memoryEqual(base + hit + 1, needleBase + 1, m - 2)
            {
                return hit
            }
            index = hit + 1
        }
        return nil
    }

    /// Finds `byte` in `[from, to)` with the C library's `memchr`, which tests a vector register's
    /// width of bytes per step: the anchors searched for are rare bytes, so most calls cover a
    /// whole line.
    @inline(__always)
    static func firstByte(_ byte: UInt8, in base: UnsafeRawPointer, from: Int, to end: Int) -> Int? {
        guard from < end, let hit = memchr(base + from, Int32(byte), end - from) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    @inline(__always)
    static func memoryEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        var index = 0
        while index + 8 <= count {
            if a.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                != b.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            {
                return false
            }
            index += 8
        }
        while index < count {
            if a.load(fromByteOffset: index, as: UInt8.self) != b.load(fromByteOffset: index, as: UInt8.self) {
                return false
            }
            index += 1
        }
        return true
    }
}
