/// An open-addressing hash table from byte strings to small lists of filter indices, looked up
/// with a borrowed buffer so a lookup allocates nothing.
///
/// Everything is stored in flat arrays of plain values (key bytes, filter lists), so a lookup
/// reads memory and retains nothing.
struct ValueIndex: Sendable {
    /// Per slot: the entry it holds, or -1 when empty.
    private var slots: [Int32]
    private var mask: Int
    /// Per entry: the key's hash, where its bytes and its filters lie in the flat arrays.
    private var hashes: [UInt64] = []
    private var keyBounds: [Int32] = [0]
    private var filterBounds: [Int32] = [0]
    private var keyBytes: [UInt8] = []
    private var filterList: [Int32] = []

    init(_ entries: [([UInt8], Int)]) {
        var grouped: [[UInt8]: [Int]] = [:]
        var order: [[UInt8]] = []
        for (key, filter) in entries {
            if grouped[key] == nil { order.append(key) }
            if !(grouped[key]?.contains(filter) ?? false) { grouped[key, default: []].append(filter) }
        }
        var capacity = 8
        while capacity < order.count * 2 { capacity *= 2 }
        slots = Array(repeating: -1, count: capacity)
        mask = capacity - 1
        for (entry, key) in order.enumerated() {
            let hash = key.withUnsafeBytes(Self.hash)
            hashes.append(hash)
            keyBytes += key
            keyBounds.append(Int32(keyBytes.count))
            filterList += (grouped[key] ?? []).map { Int32($0) }
            filterBounds.append(Int32(filterList.count))
            var position = Int(truncatingIfNeeded: hash) & mask
            while slots[position] >= 0 { position = (position + 1) & mask }
            slots[position] = Int32(entry)
        }
    }

    /// Calls `body` with each filter indexed under `key` (none when the key is absent).
    @inline(__always)
    func forEachFilter(for key: UnsafeRawBufferPointer, _ body: (Int) -> Void) {
        let hash = Self.hash(key)
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[position])
            if entry < 0 { return }
            if hashes[entry] == hash {
                let start = Int(keyBounds[entry])
                let end = Int(keyBounds[entry + 1])
                if end - start == key.count, keyBytes.withUnsafeBytes({ Self.equal($0, start, key) }) {
                    for position in Int(filterBounds[entry])..<Int(filterBounds[entry + 1]) {
                        body(Int(filterList[position]))
                    }
                    return
                }
            }
            position = (position + 1) & mask
        }
    }

    @inline(__always)
    private static func equal(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < key.count {
            if bytes[start &+ index] != key[index] { return false }
            index &+= 1
        }
        return true
    }

    /// A multiply-mix hash of the key eight bytes at a time (the last word overlapping the one
    /// before it, the length mixed in first so keys that differ only in length hash apart): keys are
    /// event names and service hosts of 10 to 40 bytes, which a byte-at-a-time hash reads one
    /// multiply per byte. Collisions are harmless: a lookup compares the key's bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var hash = mix(0x9E37_79B9_7F4A_7C15, UInt64(truncatingIfNeeded: count))
        if count >= 8 {
            var offset = 0
            while offset &+ 8 < count {
                hash = mix(hash, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset &+= 8
            }
            hash = mix(hash, bytes.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
        } else if count >= 4 {
            let low = UInt64(bytes.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            let high = UInt64(bytes.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
            hash = mix(hash, low | high << 32)
        } else if count > 0 {
            hash = mix(hash, UInt64(bytes[0]) | UInt64(bytes[count >> 1]) << 8 | UInt64(bytes[count &- 1]) << 16)
        }
        // The table reads the low bits: fold the well-mixed high half into them.
        hash ^= hash >> 32
        return hash &* 0xD6E8_FEB8_6659_FD93
    }

    @inline(__always)
    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let product = (hash ^ word) &* 0xFF51_AFD7_ED55_8CCD
        return product ^ (product >> 29)
    }
}
