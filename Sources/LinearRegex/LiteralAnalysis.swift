/// Finds literal text that every match of a regex must contain, for a prefilter.
enum LiteralAnalysis {
    /// The longest byte string found in every match of `ast`, or `[]` when none is known.
    ///
    /// For one alternative this is its longest run of adjacent mandatory literal bytes. For several,
    /// it is the longest common substring of their runs, which every alternative's matches contain.
    ///
    /// - Complexity: O(*s*) for one alternative; the common-substring step is skipped when its
    ///   quadratic cost would exceed a fixed budget, falling back to `[]` (always sound).
    static func requiredLiteral(_ ast: RegexAST) -> [UInt8] {
        var common: [UInt8]?
        for alternative in ast.alternatives {
            let run = longestRun(alternative)
            guard let sofar = common else {
                common = run
                continue
            }
            common = longestCommonSubstring(sofar, run)
            if common?.isEmpty ?? true {
                return []
            }
        }
        return common ?? []
    }

    /// The longest run of literal bytes that every match of `alternative` contains contiguously.
    static func longestRun(_ alternative: RegexAlternative) -> [UInt8] {
        var best: [UInt8] = []
        var run: [UInt8] = []
        for piece in alternative.pieces {
            guard case .byte(let byte) = piece.atom, piece.min >= 1 else {
                if run.count > best.count { best = run }
                run = []
                continue
            }
            run.append(contentsOf: repeatElement(byte, count: piece.min))
            if piece.max != piece.min {
                // A variable count ends the run, but its last copy is adjacent to what follows.
                if run.count > best.count { best = run }
                run = [byte]
            }
        }
        if run.count > best.count { best = run }
        return best
    }

    /// The longest common substring of `a` and `b` by dynamic programming, or `[]` past a budget.
    static func longestCommonSubstring(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        if a == b { return a }
        // Runs are bounded by the program size, so the product cannot overflow.
        guard !a.isEmpty, !b.isEmpty, a.count * b.count <= 1 << 20 else { return [] }
        var previous = [Int](repeating: 0, count: b.count + 1)
        var row = previous
        var bestLength = 0
        var bestEnd = 0
        for i in 1...a.count {
            for j in 1...b.count {
                row[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : 0
                if row[j] > bestLength {
                    bestLength = row[j]
                    bestEnd = i
                }
            }
            swap(&previous, &row)
        }
        return Array(a[(bestEnd - bestLength)..<bestEnd])
    }
}
