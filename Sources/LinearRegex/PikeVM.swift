/// A set of instruction indices with O(1) insert, lookup and clear (Briggs and Torczon's sparse set).
struct ThreadList {
    let dense: UnsafeMutablePointer<Int32>
    let sparse: UnsafeMutablePointer<Int32>
    var count = 0

    /// Whether `pc` is in the set; `sparse` may hold garbage, which the `dense` check rejects.
    @inline(__always)
    func contains(_ pc: Int) -> Bool {
        let slot = Int(sparse[pc])
        return slot < count && dense[slot] == Int32(truncatingIfNeeded: pc)
    }

    /// Adds `pc`, which must not be in the set.
    @inline(__always)
    mutating func insert(_ pc: Int) {
        sparse[pc] = Int32(truncatingIfNeeded: count)
        dense[count] = Int32(truncatingIfNeeded: pc)
        count += 1
    }
}

/// A Thompson NFA simulation over a ``RegexProgram``, after regex-lite's `pikevm.rs`.
///
/// The VM walks the subject one character at a time, keeping the set of program positions that are
/// still alive. Each position is visited at most once per character, so the run is linear in the
/// subject length times the program size, whatever the regex.
struct PikeVM {
    let program: UnsafeBufferPointer<RegexInstruction>
    let subject: UnsafeRawBufferPointer
    let stack: UnsafeMutablePointer<Int32>
    let isAnchoredStart: Bool
    let startBytes: ByteClass?

    /// Whether the program matches anywhere in the subject.
    ///
    /// - Complexity: O(*n* × *s*) for a subject of *n* bytes and a program of *s* instructions.
    func run(current: ThreadList, next: ThreadList) -> Bool {
        var current = current
        var next = next
        let end = subject.count
        var offset = 0
        while true {
            if offset == 0 || !isAnchoredStart {
                if current.count == 0, offset > 0, let startBytes {
                    // No thread is alive: skip to the next byte that can begin a match.
                    while offset < end, !startBytes.contains(ascii: subject[offset]) {
                        offset += 1
                    }
                }
                if addThread(&current, 0, at: offset) {
                    return true
                }
            } else if current.count == 0 {
                return false
            }
            guard offset < end else { return false }
            let byte = subject[offset]
            let following = byte < 0x80
                ? offset + 1 : offset + UTF8Decoding.multiByteLength(subject, at: offset, lead: byte)
            next.count = 0
            for slot in 0..<current.count {
                let pc = Int(current.dense[slot])
                let advances: Bool
                switch program[pc] {
                case .byte(let literal): advances = byte == literal
                case .asciiSet(let set): advances = set.contains(ascii: byte)
                case .charSet(let set): advances = byte < 0x80 ? set.contains(ascii: byte) : set.nonASCII
                default: advances = false
                }
                if advances, addThread(&next, pc + 1, at: following) {
                    return true
                }
            }
            swap(&current, &next)
            offset = following
        }
    }

    /// Adds `start` and everything reachable from it without consuming input at `offset`.
    ///
    /// Returns `true` as soon as the closure reaches `match`: the search is then over.
    @inline(__always)
    func addThread(_ list: inout ThreadList, _ start: Int, at offset: Int) -> Bool {
        var top = 1
        stack[0] = Int32(truncatingIfNeeded: start)
        while top > 0 {
            top -= 1
            let pc = Int(stack[top])
            if list.contains(pc) {
                continue
            }
            list.insert(pc)
            switch program[pc] {
            case .match:
                return true
            case .jump(let target):
                stack[top] = target
                top += 1
            case .split(let first, let second):
                stack[top] = second
                stack[top + 1] = first
                top += 2
            case .assertStart:
                if offset == 0 {
                    stack[top] = Int32(truncatingIfNeeded: pc + 1)
                    top += 1
                }
            case .assertEnd:
                if offset == subject.count {
                    stack[top] = Int32(truncatingIfNeeded: pc + 1)
                    top += 1
                }
            case .byte, .asciiSet, .charSet:
                break
            }
        }
        return false
    }
}
