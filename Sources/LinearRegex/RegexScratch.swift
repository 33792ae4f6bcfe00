/// Reusable memory for the Pike VM: two sparse sets of threads and a stack for epsilon closures.
///
/// Keep one scratch per worker and pass it to every ``CompiledRegex/matches(_:scratch:)`` call. It
/// grows to fit the largest program it has run and then never allocates again. A scratch can be used
/// with any number of regexes, one call at a time.
///
/// ```swift
/// var scratch = RegexScratch()
/// for line in lines {
///     line.withUnsafeBytes { if regex.matches($0, scratch: &scratch) { count += 1 } }
/// }
/// ```
public struct RegexScratch: Sendable {
    var currentDense: [Int32] = []
    var currentSparse: [Int32] = []
    var nextDense: [Int32] = []
    var nextSparse: [Int32] = []
    var stack: [Int32] = []

    /// Creates an empty scratch; it grows on first use.
    public init() {}

    /// Grows the buffers to fit a program of `size` instructions.
    mutating func reserve(programSize size: Int) {
        guard currentDense.count < size else { return }
        currentDense = [Int32](repeating: 0, count: size)
        currentSparse = [Int32](repeating: 0, count: size)
        nextDense = [Int32](repeating: 0, count: size)
        nextSparse = [Int32](repeating: 0, count: size)
        // Every instruction enters a set once and pushes at most two successors.
        stack = [Int32](repeating: 0, count: 2 * size + 2)
    }

    /// Calls `body` with the closure stack and the two thread lists, all empty.
    ///
    /// - Precondition: ``reserve(programSize:)`` was called, so no buffer is empty.
    mutating func withThreadLists<Result>(
        _ body: (UnsafeMutablePointer<Int32>, ThreadList, ThreadList) -> Result
    ) -> Result {
        stack.withUnsafeMutableBufferPointer { stack in
            currentDense.withUnsafeMutableBufferPointer { currentDense in
                currentSparse.withUnsafeMutableBufferPointer { currentSparse in
                    nextDense.withUnsafeMutableBufferPointer { nextDense in
                        nextSparse.withUnsafeMutableBufferPointer { nextSparse in
                            // Safe to force unwrap: reserve(programSize:) made every buffer non-empty.
                            body(
                                stack.baseAddress!,
                                ThreadList(dense: currentDense.baseAddress!, sparse: currentSparse.baseAddress!),
                                ThreadList(dense: nextDense.baseAddress!, sparse: nextSparse.baseAddress!)
                            )
                        }
                    }
                }
            }
        }
    }
}
