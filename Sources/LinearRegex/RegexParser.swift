/// Parses the body of a CloudWatch `%...%` regex into a ``RegexAST``.
///
/// The grammar, which has no groups and therefore no nesting outside `[...]`:
///
/// ```
/// regex       = alternative , { "|" , alternative } ;
/// alternative = [ "^" ] , { piece } , [ "$" ] ;              (* not empty *)
/// piece       = atom , [ quantifier ] ;
/// quantifier  = "?" | "*" | "+" | "{" , [ int ] , [ "," , [ int ] ] , "}" ;   (* one bound at least *)
/// atom        = literal | "." | escape | class ;
/// class       = "[" , [ "^" ] , item , { item } , "]" ;
/// item        = char | escape | char , "-" , char ;
/// escape      = "\" , ( operator | symbol | "d" | "D" | "w" | "W" | "s" | "S" | "x" , hex , hex ) ;
/// literal     = letter | digit | " " | "_" | "#" | "=" | "@" | "/" | ";" | "," | "-" | ":" ;
/// ```
///
/// The parser is a single loop over the bytes, so hostile input cannot exhaust the stack. It stops at
/// the first error. It also adds up the size of the program as it goes, stops storing pieces once the
/// size passes ``RegexLimits/maxProgramSize``, and reports ``RegexError/Code/programTooLarge`` after
/// the rest of the body has been checked for syntax.
struct RegexParser {
    /// What the previous token was, to validate quantifiers and anchors.
    enum Previous {
        case nothing, anchor, atom, quantified
    }

    let bytes: [UInt8]
    var index = 0
    var alternatives: [RegexAlternative] = []
    var current = RegexAlternative()
    var currentHasPieces = false
    var previous = Previous.nothing
    /// The offset of the `$` that ended the current alternative.
    var endAnchorOffset = 0
    /// The offset of the atom the next quantifier applies to.
    var pieceStart = 0
    /// The program size of the finished alternatives plus their splits and jumps.
    var finishedSize = 0
    /// The program size of the current alternative.
    var currentSize = 0
    /// The span of the piece that first pushed the program over the limit.
    var overflowSpan: (offset: Int, length: Int)?

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Parses the whole body.
    ///
    /// - Complexity: O(*n*) in the length of the body.
    mutating func parse() throws(RegexError) -> RegexAST {
        guard !bytes.isEmpty else {
            throw RegexError(
                code: .emptyRegex, offset: 0, length: 0,
                message: "a regex needs at least one character between the '%' delimiters",
                fixIt: "remove the empty %% or write the text to search for"
            )
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "|"):
                index += 1
                try finishAlternative(separatorAt: index - 1)
            case UInt8(ascii: "^"):
                guard !currentHasPieces, !current.anchoredStart, !current.anchoredEnd else {
                    throw misplaced(at: index, "'^' anchors the start of the subject, so it must begin its alternative")
                }
                current.anchoredStart = true
                index += 1
                addSize(1, spanStart: index - 1)
                previous = .anchor
            case UInt8(ascii: "$"):
                if current.anchoredEnd {
                    throw misplacedEndAnchor()
                }
                current.anchoredEnd = true
                endAnchorOffset = index
                index += 1
                addSize(1, spanStart: index - 1)
                previous = .anchor
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"):
                try parseQuantifier()
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                let shown = Character(Unicode.Scalar(byte))
                throw RegexError(
                    code: .unmatchedBracket, offset: index, length: 1,
                    message: "'\(shown)' has no matching '\(byte == UInt8(ascii: "]") ? "[" : "{")'",
                    fixIt: "write \\\(shown) to match a literal '\(shown)'"
                )
            case UInt8(ascii: "["):
                let start = index
                try addAtom(parseClass(), start: start)
            case UInt8(ascii: "\\"):
                let start = index
                switch try parseEscape() {
                case .byte(let literal): try addAtom(.byte(literal), start: start)
                case .set(let set): try addAtom(.set(set), start: start)
                }
            case UInt8(ascii: "."):
                index += 1
                try addAtom(.set(.dot), start: index - 1)
            default:
                guard Self.isLiteral(byte) else {
                    throw RegexError.disallowed(
                        bytes, at: index, sequenceLength: Self.sequenceLength(bytes, at: index), spanStart: index
                    )
                }
                index += 1
                try addAtom(.byte(byte), start: index - 1)
            }
        }
        try finishAlternative(separatorAt: nil)
        if let overflowSpan {
            let size = RegexAST.programSize(alternativeSizes: finishedSize, alternatives: 1)
            throw RegexError(
                code: .programTooLarge, offset: overflowSpan.offset, length: overflowSpan.length,
                message: "this regex compiles to \(size == Int.max ? "too many" : String(size)) instructions;"
                    + " the limit is \(RegexLimits.maxProgramSize), passed here",
                fixIt: "use smaller repetition counts, or a character class or '+' instead of repeating an element"
            )
        }
        return RegexAST(alternatives: alternatives)
    }

    /// Appends an atom, which ends just before `index`, as a new piece of the current alternative.
    mutating func addAtom(_ atom: RegexAtom, start: Int) throws(RegexError) {
        if current.anchoredEnd {
            throw misplacedEndAnchor()
        }
        if overflowSpan == nil {
            current.pieces.append(RegexPiece(atom: atom))
        }
        currentHasPieces = true
        pieceStart = start
        previous = .atom
        addSize(1, spanStart: start)
    }

    /// Closes the current alternative at a `|` (or at the end of the body when `separatorAt` is nil).
    mutating func finishAlternative(separatorAt separator: Int?) throws(RegexError) {
        guard currentHasPieces || current.anchoredStart || current.anchoredEnd else {
            throw RegexError(
                code: .emptyAlternative, offset: separator ?? bytes.count - 1, length: 1,
                message: "an alternative of '|' is empty here; an empty alternative would match every subject",
                fixIt: "remove the extra '|', or write \\| to match a literal '|'"
            )
        }
        if overflowSpan == nil {
            alternatives.append(current)
        }
        finishedSize = RegexAST.saturatingAdd(finishedSize, currentSize)
        current = RegexAlternative()
        currentHasPieces = false
        currentSize = 0
        previous = .nothing
        if let separator {
            // The split and the jump this alternative costs.
            addSize(2, spanStart: separator)
        }
    }

    /// Adds `amount` instructions for the token `spanStart..<index`, remembering the first to pass the limit.
    mutating func addSize(_ amount: Int, spanStart: Int) {
        currentSize = RegexAST.saturatingAdd(currentSize, amount)
        guard overflowSpan == nil else { return }
        let total = RegexAST.programSize(
            alternativeSizes: RegexAST.saturatingAdd(finishedSize, currentSize), alternatives: 1
        )
        if total > RegexLimits.maxProgramSize {
            overflowSpan = (spanStart, max(1, index - spanStart))
        }
    }

    /// A misplaced-anchor error at `offset`.
    func misplaced(at offset: Int, _ message: String) -> RegexError {
        let anchor = bytes[offset]
        return RegexError(
            code: .misplacedAnchor, offset: offset, length: 1, message: message,
            fixIt: "write \\\(Character(Unicode.Scalar(anchor))) to match a literal"
                + " '\(Character(Unicode.Scalar(anchor)))'"
        )
    }

    /// The error for a `$` that does not end its alternative.
    func misplacedEndAnchor() -> RegexError {
        misplaced(at: endAnchorOffset, "'$' anchors the end of the subject, so it must end its alternative")
    }

    /// Whether `byte` stands for itself outside a class: an ASCII letter, digit, space or allowed symbol.
    static func isLiteral(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "_"), UInt8(ascii: "#"), UInt8(ascii: "="), UInt8(ascii: "@"), UInt8(ascii: "/"),
            UInt8(ascii: ";"), UInt8(ascii: ","), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: " "):
            return true
        default:
            return false
        }
    }

    /// Whether `byte` is one of the operators `^ $ ? [ ] { } | \ * + .`.
    static func isOperator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "]"),
            UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "|"), UInt8(ascii: "\\"), UInt8(ascii: "*"),
            UInt8(ascii: "+"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    /// The length of the UTF-8 character at `offset`, or 1 when the bytes there are not valid UTF-8.
    static func sequenceLength(_ bytes: [UInt8], at offset: Int) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            UTF8Decoding.sequenceLength(UnsafeRawBufferPointer(buffer), at: offset)
        }
    }
}
