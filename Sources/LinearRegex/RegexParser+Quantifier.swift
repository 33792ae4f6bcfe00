extension RegexParser {
    /// Parses `?`, `*`, `+` or `{...}` at `index` and applies it to the last piece.
    mutating func parseQuantifier() throws(RegexError) {
        let start = index
        let byte = bytes[index]
        switch previous {
        case .nothing, .anchor:
            throw RegexError(
                code: .nothingToRepeat, offset: start, length: 1,
                message: "'\(Character(Unicode.Scalar(byte)))' has nothing to repeat;"
                    + " a quantifier must follow a character, '.', an escape or a class",
                fixIt: "write \\\(Character(Unicode.Scalar(byte))) to match a literal"
                    + " '\(Character(Unicode.Scalar(byte)))'"
            )
        case .quantified:
            throw RegexError(
                code: .nestedQuantifier, offset: start, length: 1,
                message: "a quantifier cannot follow another quantifier;"
                    + " CloudWatch has no lazy or possessive quantifiers",
                fixIt: "remove one of the quantifiers, or write {m,n} for a combined count"
            )
        case .atom:
            break
        }
        let bounds: (min: Int, max: Int?)
        switch byte {
        case UInt8(ascii: "?"): bounds = (0, 1)
        case UInt8(ascii: "*"): bounds = (0, nil)
        case UInt8(ascii: "+"): bounds = (1, nil)
        default: bounds = try parseRepetition()
        }
        if byte != UInt8(ascii: "{") {
            index += 1
        }
        let piece = RegexPiece(atom: .byte(0), min: bounds.min, max: bounds.max)
        if overflowSpan == nil {
            current.pieces[current.pieces.count - 1].min = bounds.min
            current.pieces[current.pieces.count - 1].max = bounds.max
        }
        // The atom was already counted as one instruction.
        currentSize = RegexAST.saturatingAdd(currentSize, -1)
        addSize(piece.programSize, spanStart: pieceStart)
        previous = .quantified
    }

    /// Parses `{m}`, `{m,}`, `{,n}` or `{m,n}` at `index` and moves past the closing `}`.
    mutating func parseRepetition() throws(RegexError) -> (min: Int, max: Int?) {
        let start = index
        index += 1
        let low = try parseBound()
        var high = low
        var hasComma = false
        if index < bytes.count, bytes[index] == UInt8(ascii: ",") {
            hasComma = true
            index += 1
            high = try parseBound()
        }
        guard index < bytes.count else {
            throw RegexError(
                code: .unclosedRepetition, offset: start, length: 1,
                message: "'{' starts a repetition that is never closed with '}'",
                fixIt: "add '}' to close the repetition, or write \\{ to match a literal '{'"
            )
        }
        guard bytes[index] == UInt8(ascii: "}") else {
            throw RegexError(
                code: .invalidRepetition, offset: index, length: 1,
                message: "expected a digit, ',' or '}' in a {m,n} repetition,"
                    + " found \(RegexError.describe(byte: bytes[index]))",
                fixIt: "write \\{ to match a literal '{'"
            )
        }
        index += 1
        guard low != nil || high != nil else {
            throw RegexError(
                code: .invalidRepetition, offset: start, length: index - start,
                message: "a repetition needs at least one bound, as in {2}, {2,}, {,5} or {2,5}",
                fixIt: "write \\{\\} to match the literal text"
            )
        }
        let minimum = low ?? 0
        let maximum = hasComma ? high : low
        if let maximum, maximum < minimum {
            throw RegexError(
                code: .invalidRepetition, offset: start, length: index - start,
                message: "the minimum \(minimum) is larger than the maximum \(maximum) in this repetition",
                fixIt: "write {\(maximum),\(minimum)}"
            )
        }
        return (minimum, maximum)
    }

    /// Parses an optional decimal bound, rejecting values above ``RegexLimits/maxRepetition``.
    mutating func parseBound() throws(RegexError) -> Int? {
        let start = index
        var value = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            // Saturate well above the limit so long digit strings cannot overflow.
            value = min(value * 10 + Int(bytes[index] - UInt8(ascii: "0")), 1_000_000_000)
            index += 1
        }
        guard index > start else { return nil }
        if value > RegexLimits.maxRepetition {
            let shown = value >= 1_000_000_000 ? "bound" : "bound \(value)"
            throw RegexError(
                code: .repetitionTooLarge, offset: start, length: index - start,
                message: "the repetition \(shown) exceeds the limit of \(RegexLimits.maxRepetition)",
                fixIt: "use a count of at most \(RegexLimits.maxRepetition), or '+' or '*' for an open-ended repetition"
            )
        }
        return value
    }
}
