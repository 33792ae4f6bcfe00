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

    /// FNV-1a, 64-bit: keys are short event names and service hosts.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
