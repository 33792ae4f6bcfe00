/// One instruction of a compiled regex program, run by the Pike VM.
///
/// Consuming instructions (`byte`, `asciiSet`, `charSet`) advance a thread by one character of the
/// subject. The others are followed while computing a thread's epsilon closure.
enum RegexInstruction: Sendable, Equatable {
    /// Consumes the ASCII byte.
    case byte(UInt8)
    /// Consumes one ASCII byte that is a member of the set; never consumes a non-ASCII character.
    case asciiSet(ByteClass)
    /// Consumes one character that is a member: an ASCII byte by the bitmap, or any non-ASCII
    /// character (a whole UTF-8 sequence, or one invalid byte) when the set's `nonASCII` flag is on.
    case charSet(ByteClass)
    /// Continues at both targets; the first is preferred (irrelevant here, as we only report a match).
    case split(Int32, Int32)
    /// Continues at the target.
    case jump(Int32)
    /// Continues at the next instruction only at offset 0 of the subject.
    case assertStart
    /// Continues at the next instruction only at the end of the subject.
    case assertEnd
    /// A thread that gets here has found a match.
    case match
}

/// A compiled regex program: a flat list of instructions starting at index 0.
struct RegexProgram: Sendable {
    /// The instructions; the entry point is index 0.
    var instructions: [RegexInstruction] = []
    /// Whether every alternative begins with `^`, so threads need only start at offset 0.
    var isAnchoredStart = false

    /// The number of instructions.
    var count: Int { instructions.count }
}

extension RegexProgram {
    /// The ASCII bytes that can begin a match at a subject offset other than 0, or `nil` when a match
    /// could begin with a non-ASCII character or consume nothing.
    ///
    /// When the VM has no live thread, it may skip every byte outside this set: such a byte cannot
    /// start a match, and every ASCII byte is a character boundary, so no UTF-8 sequence is split.
    ///
    /// - Complexity: O(*s*) in the program size.
    func startBytes() -> ByteClass? {
        var result = ByteClass()
        var seen = [Bool](repeating: false, count: instructions.count)
        var stack = [0]
        while let pc = stack.popLast() {
            guard !seen[pc] else { continue }
            seen[pc] = true
            switch instructions[pc] {
            case .byte(let byte):
                result.insert(byte)
            case .asciiSet(let set):
                result.formUnion(set)
            case .charSet(let set):
                guard !set.nonASCII else { return nil }
                result.formUnion(set)
            case .split(let first, let second):
                stack.append(Int(second))
                stack.append(Int(first))
            case .jump(let target):
                stack.append(Int(target))
            case .assertStart:
                // Fails at every offset but 0, where the VM never skips.
                break
            case .assertEnd, .match:
                return nil
            }
        }
        return result
    }
}
