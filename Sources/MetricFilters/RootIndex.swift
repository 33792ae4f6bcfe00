import EventScan

/// The members of an event's root object, found in one walk and reused by every lookup.
///
/// Filters look up several top-level fields per event (`eventName`, `eventSource`,
/// `userIdentity`); walking the root once and keeping each member's name and value makes every
/// further lookup a hash of the key and, usually, one name compared. One instance is owned by each worker and reused for
/// every event, so it allocates only while it grows to the widest event seen.
///
/// The walk is either the lenient one (``EventView/recordMembers(of:into:)``), run on the first
/// lookup, or the validation pass itself (``build(validating:)``), when the caller must validate
/// the line anyway: then the line is read once for both.
public final class RootIndex {
    fileprivate var members = Members()
    fileprivate var built = false
    /// False when the walk met malformed JSON: lookups then fall back to walking.
    fileprivate var complete = false

    public init() {}

    deinit { members.deallocate() }

    /// Whether this event's members have been walked (or the walk was tried and failed).
    var isBuilt: Bool { built }

    /// Forgets the previous event.
    @inline(__always)
    func reset() {
        members.removeAll()
        built = false
        complete = false
    }

    /// Validates the line and fills the index in the same pass; returns whether the line is one
    /// valid JSON object. An invalid line leaves the index unbuilt (lookups walk leniently).
    func build(validating view: EventView) -> Bool {
        members.removeAll()
        members.bytes = view.bytes
        let valid = withUnsafeMutablePointer(to: &members) { target in
            var recorder = RecordingCall(target: target)
            return view.isValidObjectDocument(recordingTopLevelInto: &recorder)
        }
        if valid {
            built = true
            complete = true
        } else {
            members.removeAll()
        }
        return valid
    }

    /// Validates and indexes the first line of `bytes`, which may hold more lines after it, in one
    /// pass that also finds where the line ends: returns its length (the offset of its newline), or
    /// nil (index unbuilt) when it is not one valid JSON object followed by a newline. An event
    /// made with ``LogEvent/init(indexedLine:rootIndex:validated:)`` on that line then uses this index.
    public func indexFirstLine(of bytes: UnsafeRawBufferPointer) -> Int? {
        let view = EventView(bytes: bytes)
        members.removeAll()
        members.bytes = view.bytes
        let length = withUnsafeMutablePointer(to: &members) { target in
            var recorder = RecordingCall(target: target)
            return view.validObjectLineLength(recordingTopLevelInto: &recorder)
        }
        return finishFirstLine(of: view, length: length)
    }

    /// Indexes the first line of `bytes` (which may hold more lines after it) with the lenient walk,
    /// which also finds where the line ends: returns its length, or nil (index unbuilt) when the walk
    /// cannot finish inside the line (``EventView/recordMembersOfFirstLine(into:)``). Nothing is
    /// validated: an event made with ``LogEvent/init(indexedLine:rootIndex:validated:)`` then uses this
    /// index, and validates only if a pattern needs it.
    public func indexFirstLineLeniently(of bytes: UnsafeRawBufferPointer) -> Int? {
        let view = EventView(bytes: bytes)
        members.removeAll()
        members.bytes = view.bytes
        return finishFirstLine(of: view, length: view.recordMembersOfFirstLine(into: &members))
    }

    /// Keeps the members recorded from the first line of `view` when it was measured, else none.
    private func finishFirstLine(of view: EventView, length: Int?) -> Int? {
        if let length {
            members.bytes = UnsafeRawBufferPointer(rebasing: view.bytes[..<length])
            built = true
            complete = true
        } else {
            members.removeAll()
            built = false
        }
        return length
    }

    /// The value of `key` at the top level of `view`, the last one when a key repeats.
    func member(_ key: UnsafeRawBufferPointer, root: JSONNode, in view: EventView) -> JSONNode? {
        if !built {
            built = true
            members.bytes = view.bytes
            complete = view.recordMembers(of: root, into: &members)
        }
        guard complete else { return view.member(key, of: root) }
        return members.last(named: key, in: view)
    }
}

@available(*, unavailable)
extension RootIndex: Sendable {}

/// Records into `Members` through a call, for the validation pass: inlined there, the stores and
/// hashing took registers the loop needs for every token, where a call costs a few cycles on
/// about 17 members per event. (The lenient walk, with fewer live values, records inline.)
private struct RecordingCall: TopLevelMemberRecorder {
    let target: UnsafeMutablePointer<Members>

    @inline(never)
    mutating func record(name: JSONNode, value: JSONNode) {
        target.pointee.record(name: name, value: value)
    }
}

/// The names and values of a root object's members, in buffers that only grow.
///
/// Each name also keeps a one-word signature (a hash of its length and first eight bytes). Its top
/// six bits pick one of 64 buckets, each remembering the last member recorded in it, and each
/// member remembers the one recorded in its bucket before it: a lookup follows one bucket's chain,
/// usually one name long, newest first, so the last of repeated names wins.
private struct Members: TopLevelMemberRecorder {
    var names: UnsafeMutablePointer<JSONNode>
    var values: UnsafeMutablePointer<JSONNode>
    var signatures: UnsafeMutablePointer<UInt64>
    /// Per member, the member recorded in the same bucket before it (-1: none).
    var previous: UnsafeMutablePointer<Int>
    /// For each of the 64 buckets, the position of the last member recorded in it. An entry is
    /// only read when `seen` has its bit, that is when this event wrote it.
    var latest: UnsafeMutablePointer<Int>
    var count = 0
    var capacity: Int
    /// One bit per name recorded (the top six bits of its signature, a one-word Bloom filter): a
    /// key whose bit is clear is not a member.
    var seen: UInt64 = 0
    /// Whether some name holds an escape: its raw bytes are not its decoded text, so signatures
    /// cannot find it and lookups compare every name instead.
    var hasEscapedName = false
    /// The line being indexed (set before each walk).
    var bytes = UnsafeRawBufferPointer(start: nil, count: 0)

    init() {
        capacity = 64
        names = .allocate(capacity: capacity)
        values = .allocate(capacity: capacity)
        signatures = .allocate(capacity: capacity)
        previous = .allocate(capacity: capacity)
        latest = .allocate(capacity: 64)
        latest.initialize(repeating: 0, count: 64)
    }

    @inline(__always)
    mutating func record(name: JSONNode, value: JSONNode) {
        if count == capacity { grow() }
        (names + count).initialize(to: name)
        (values + count).initialize(to: value)
        // A name always has its closing quote and more after it, so the eight-byte load rarely
        // needs the slow path.
        let start = name.start
        let length = name.end &- start
        let word =
            start >= 0 && start &+ 8 <= bytes.count
            ? UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: UInt64.self)) & Self.mask(length)
            : Self.prefix(bytes, from: start, count: length)
        let signature = Self.signature(word, length: length)
        (signatures + count).initialize(to: signature)
        let bucket = Int(truncatingIfNeeded: signature >> 58)
        let bit: UInt64 = 1 << UInt64(bucket)
        (previous + count).initialize(to: seen & bit != 0 ? latest[bucket] : -1)
        seen |= bit
        latest[bucket] = count
        hasEscapedName = hasEscapedName || name.hasEscapes
        count &+= 1
    }

    /// Forgets every member (the buffers are kept).
    @inline(__always)
    mutating func removeAll() {
        count = 0
        seen = 0
        hasEscapedName = false
    }

    /// The signature of a name of `length` bytes whose first `min(length, 8)` bytes are `prefix`
    /// (zero-padded): a multiplicative hash, whose top bits are its best mixed.
    @inline(__always)
    static func signature(_ prefix: UInt64, length: Int) -> UInt64 {
        (prefix ^ UInt64(truncatingIfNeeded: length)) &* 0x9E37_79B9_7F4A_7C15
    }

    @inline(__always)
    static func signature(of key: UnsafeRawBufferPointer) -> UInt64 {
        signature(prefix(key, from: 0, count: key.count), length: key.count)
    }

    /// Keeps the first `min(length, 8)` bytes of a little-endian word.
    @inline(__always)
    static func mask(_ length: Int) -> UInt64 {
        length >= 8 ? ~0 : (1 << UInt64(truncatingIfNeeded: length &* 8)) &- 1
    }

    private mutating func grow() {
        let larger = capacity * 2
        let newNames = UnsafeMutablePointer<JSONNode>.allocate(capacity: larger)
        let newValues = UnsafeMutablePointer<JSONNode>.allocate(capacity: larger)
        let newSignatures = UnsafeMutablePointer<UInt64>.allocate(capacity: larger)
        let newPrevious = UnsafeMutablePointer<Int>.allocate(capacity: larger)
        newNames.moveInitialize(from: names, count: count)
        newValues.moveInitialize(from: values, count: count)
        newSignatures.moveInitialize(from: signatures, count: count)
        newPrevious.moveInitialize(from: previous, count: count)
        names.deallocate()
        values.deallocate()
        signatures.deallocate()
        previous.deallocate()
        names = newNames
        values = newValues
        signatures = newSignatures
        previous = newPrevious
        capacity = larger
    }

    /// Frees the buffers (their elements are trivial values); the owner's deinit calls it.
    func deallocate() {
        names.deallocate()
        values.deallocate()
        signatures.deallocate()
        previous.deallocate()
        latest.deallocate()
    }

    /// The first `min(count, 8)` bytes at `start`, little-endian, zero-padded.
    @inline(__always)
    static func prefix(_ buffer: UnsafeRawBufferPointer, from start: Int, count: Int) -> UInt64 {
        guard start >= 0, count > 0, start &+ min(count, 8) <= buffer.count else { return 0 }
        if count >= 8 || start &+ 8 <= buffer.count {
            // Safe because start + 8 <= buffer.count here (count >= 8 was checked above to fit).
            let word = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: start, as: UInt64.self))
            return count >= 8 ? word : word & ((1 << UInt64(count &* 8)) &- 1)
        }
        var word: UInt64 = 0
        for offset in 0..<count { word |= UInt64(buffer[start &+ offset]) << UInt64(offset &* 8) }
        return word
    }

    /// The value of the last member named `key`.
    @inline(__always)
    func last(named key: UnsafeRawBufferPointer, in view: EventView) -> JSONNode? {
        var position = count
        if hasEscapedName {
            while position > 0 {
                position &-= 1
                if view.string(names[position], equals: key) { return values[position] }
            }
            return nil
        }
        let wanted = Self.signature(of: key)
        let bucket = Int(truncatingIfNeeded: wanted >> 58)
        // Most absent names (`errorCode` in a successful call) are told by their bucket's bit.
        guard seen & (1 << UInt64(bucket)) != 0 else { return nil }
        // The bucket's members, newest first; a signature that matches is confirmed on the name's bytes.
        position = latest[bucket]
        while position >= 0 {
            if signatures[position] == wanted, view.string(names[position], equals: key) { return values[position] }
            position = previous[position]
        }
        return nil
    }
}
