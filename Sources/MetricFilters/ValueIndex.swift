/// An open-addressing hash table from byte strings to small lists of filter indices, looked up
/// with a borrowed buffer so a lookup allocates nothing.
struct ValueIndex: Sendable {
    private struct Slot: Sendable {
        var hash: UInt64
        var key: [UInt8]
        var filters: [Int]
    }

    private var slots: [Slot?]
    private var mask: Int

    init(_ entries: [([UInt8], Int)]) {
        var grouped: [[UInt8]: [Int]] = [:]
        var order: [[UInt8]] = []
        for (key, filter) in entries {
            if grouped[key] == nil { order.append(key) }
            if !(grouped[key]?.contains(filter) ?? false) { grouped[key, default: []].append(filter) }
        }
        var capacity = 8
        while capacity < order.count * 2 { capacity *= 2 }
        slots = Array(repeating: nil, count: capacity)
        mask = capacity - 1
        for key in order {
            let hash = key.withUnsafeBytes(Self.hash)
            var position = Int(truncatingIfNeeded: hash) & mask
            while slots[position] != nil { position = (position + 1) & mask }
            slots[position] = Slot(hash: hash, key: key, filters: grouped[key] ?? [])
        }
    }

    /// The filters indexed under `key`, or an empty list.
    func filters(for key: UnsafeRawBufferPointer) -> [Int] {
        let hash = Self.hash(key)
        var position = Int(truncatingIfNeeded: hash) & mask
        while let slot = slots[position] {
            if slot.hash == hash, slot.key.count == key.count,
                slot.key.withUnsafeBytes({ $0.elementsEqual(key) })
            {
                return slot.filters
            }
            position = (position + 1) & mask
        }
        return []
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
