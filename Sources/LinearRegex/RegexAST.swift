/// One matchable element of a regex: a literal ASCII byte or a character class.
enum RegexAtom: Sendable, Equatable {
    /// A literal ASCII byte; it consumes exactly that byte.
    case byte(UInt8)
    /// A class; it consumes one character when the character is a member.
    case set(ByteClass)
}

/// An atom with its repetition bounds: `a`, `a?`, `a*`, `a+` or `a{m,n}`.
struct RegexPiece: Sendable, Equatable {
    /// What is repeated.
    var atom: RegexAtom
    /// The minimum count.
    var min: Int = 1
    /// The maximum count, or `nil` for no upper bound.
    var max: Int? = 1

    /// Whether the piece is its atom exactly once.
    var isSingle: Bool { min == 1 && max == 1 }

    /// The number of VM instructions the piece compiles to, saturating at `Int.max`.
    ///
    /// `m` mandatory copies cost one instruction each. Up to `n - m` optional copies cost a split plus
    /// the atom. An unbounded tail costs a split after the last mandatory copy (`x+`), or a split, the
    /// atom and a jump when there is no mandatory copy (`x*`).
    var programSize: Int {
        guard let max else {
            return min == 0 ? 3 : RegexAST.saturatingAdd(min, 1)
        }
        let optional = RegexAST.saturatingMultiply(max - min, 2)
        return RegexAST.saturatingAdd(min, optional)
    }
}

/// One alternative of a `|`: optional anchors around a sequence of pieces.
struct RegexAlternative: Sendable, Equatable {
    /// Whether the alternative begins with `^`.
    var anchoredStart = false
    /// Whether the alternative ends with `$`.
    var anchoredEnd = false
    /// The pieces between the anchors.
    var pieces: [RegexPiece] = []

    /// The number of instructions the alternative compiles to, without its share of the alternation.
    var programSize: Int {
        var size = (anchoredStart ? 1 : 0) + (anchoredEnd ? 1 : 0)
        for piece in pieces {
            size = RegexAST.saturatingAdd(size, piece.programSize)
        }
        return size
    }
}

/// A parsed regex: one or more alternatives at the lowest precedence.
///
/// CloudWatch regexes have no groups, so this flat shape is the whole language.
struct RegexAST: Sendable, Equatable {
    /// The alternatives, in source order; never empty.
    var alternatives: [RegexAlternative]

    /// Whether every alternative begins with `^`, so a match can only start at offset 0.
    var isAnchoredStart: Bool {
        alternatives.allSatisfy(\.anchoredStart)
    }

    /// The bytes of the regex when it is a single alternative of literal bytes, each exactly once.
    ///
    /// Anchors are allowed; the caller checks them separately.
    var literalBytes: [UInt8]? {
        guard alternatives.count == 1 else { return nil }
        var bytes: [UInt8] = []
        for piece in alternatives[0].pieces {
            guard piece.isSingle, case .byte(let byte) = piece.atom else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// The number of instructions the whole regex compiles to, including the final match.
    ///
    /// Each alternative except the last costs a split and a jump.
    static func programSize(alternativeSizes total: Int, alternatives count: Int) -> Int {
        saturatingAdd(total, saturatingAdd(saturatingMultiply(count - 1, 2), 1))
    }

    /// `a + b`, or `Int.max` on overflow.
    static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }

    /// `a * b`, or `Int.max` on overflow.
    static func saturatingMultiply(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : product
    }
}
