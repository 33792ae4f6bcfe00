/// Compiles a ``RegexAST`` into a ``RegexProgram``.
///
/// The layout of `alt1|alt2|alt3` is:
///
/// ```
///     split L1, L2
/// L1: <alt1> ; jump END
/// L2: split L3, L4
/// L3: <alt2> ; jump END
/// L4: <alt3>
/// END: match
/// ```
///
/// The parser has already checked that the result fits ``RegexLimits/maxProgramSize``.
struct RegexCompiler {
    private var program: [RegexInstruction] = []

    /// Compiles `ast`.
    ///
    /// - Complexity: O(*s*) in the size of the resulting program.
    static func compile(_ ast: RegexAST) -> RegexProgram {
        var compiler = RegexCompiler()
        var pendingJumps: [Int] = []
        for (position, alternative) in ast.alternatives.enumerated() {
            let isLast = position == ast.alternatives.count - 1
            var split = -1
            if !isLast {
                split = compiler.emit(.split(0, 0))
            }
            compiler.compile(alternative)
            if !isLast {
                pendingJumps.append(compiler.emit(.jump(0)))
                compiler.patch(split, .split(Int32(split + 1), Int32(compiler.program.count)))
            }
        }
        let end = compiler.emit(.match)
        for jump in pendingJumps {
            compiler.patch(jump, .jump(Int32(end)))
        }
        return RegexProgram(instructions: compiler.program, isAnchoredStart: ast.isAnchoredStart)
    }

    /// Emits the instructions of one alternative.
    private mutating func compile(_ alternative: RegexAlternative) {
        if alternative.anchoredStart {
            emit(.assertStart)
        }
        for piece in alternative.pieces {
            compile(piece)
        }
        if alternative.anchoredEnd {
            emit(.assertEnd)
        }
    }

    /// Emits the instructions of one piece, expanding its repetition.
    private mutating func compile(_ piece: RegexPiece) {
        let atom = Self.instruction(for: piece.atom)
        for _ in 0..<piece.min {
            emit(atom)
        }
        guard let max = piece.max else {
            if piece.min == 0 {
                // L: split L+1, END ; atom ; jump L ; END:
                let split = emit(.split(0, 0))
                emit(atom)
                emit(.jump(Int32(split)))
                patch(split, .split(Int32(split + 1), Int32(program.count)))
            } else {
                // The last mandatory copy loops: atom ; split atom, next.
                let last = program.count - 1
                emit(.split(Int32(last), Int32(program.count + 1)))
            }
            return
        }
        // Each optional copy may skip straight to the end of the piece.
        var splits: [Int] = []
        for _ in piece.min..<max {
            splits.append(emit(.split(0, 0)))
            emit(atom)
        }
        let end = Int32(program.count)
        for split in splits {
            patch(split, .split(Int32(split + 1), end))
        }
    }

    /// The consuming instruction for an atom.
    private static func instruction(for atom: RegexAtom) -> RegexInstruction {
        switch atom {
        case .byte(let byte): return .byte(byte)
        case .set(let set): return set.nonASCII ? .charSet(set) : .asciiSet(set)
        }
    }

    /// Appends an instruction and returns its index.
    @discardableResult
    private mutating func emit(_ instruction: RegexInstruction) -> Int {
        program.append(instruction)
        return program.count - 1
    }

    /// Replaces the instruction at `index`, used to fill in forward targets.
    private mutating func patch(_ index: Int, _ instruction: RegexInstruction) {
        program[index] = instruction
    }
}
