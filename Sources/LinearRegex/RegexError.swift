/// A problem found while parsing or compiling the body of a `%...%` regex.
///
/// Every error names a stable ``Code``, the UTF-8 byte span of the offending spot inside the regex
/// body (the text between the `%` delimiters), a message that says what was expected, and, where one
/// exists, a suggested fix.
///
/// ```swift
/// do {
///     _ = try CompiledRegex("a(b")
/// } catch {
///     // error.code == .parenthesisNotAllowed, error.offset == 1, error.length == 1
///     // error.message == "'(' is not allowed in a CloudWatch regex"
///     // error.fixIt == "write \\x28 to match a literal '('"
/// }
/// ```
public struct RegexError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem, as a stable identifier that callers may match on.
    ///
    /// The raw value is the identifier used in diagnostics; cases are listed alphabetically and new
    /// cases may be added.
    public enum Code: String, Sendable, CaseIterable {
        /// A character outside the CloudWatch regex alphabet, such as `!`, `"`, a tab or any non-ASCII byte.
        case disallowedCharacter
        /// An alternative of `|` is empty, as in `a|`, `|a` or `a||b`.
        case emptyAlternative
        /// A character class contains nothing, as in `[]` or `[^]`.
        case emptyClass
        /// The regex body is empty (`%%`).
        case emptyRegex
        /// A backslash escape that CloudWatch does not define, such as `\n` or `\b`.
        case invalidEscape
        /// A `\x` escape without exactly two hex digits, or with a value above `7F`.
        case invalidHexEscape
        /// A class range whose end comes before its start, or whose end is a class such as `\d`.
        case invalidRange
        /// A `{...}` repetition that is malformed or whose minimum exceeds its maximum.
        case invalidRepetition
        /// `^` not at the start of an alternative, or `$` not at its end.
        case misplacedAnchor
        /// An unescaped `[` inside a character class.
        case nestedClass
        /// A quantifier directly after another one, as in `a**`, `a+?` or `a{2}{3}`.
        case nestedQuantifier
        /// A quantifier with nothing before it, as in `*a`, `^*` or `a|+`.
        case nothingToRepeat
        /// A `(` or `)`, escaped or not; CloudWatch regexes have no groups.
        case parenthesisNotAllowed
        /// The compiled program would exceed ``RegexLimits/maxProgramSize`` instructions.
        case programTooLarge
        /// A `{m,n}` bound above ``RegexLimits/maxRepetition``.
        case repetitionTooLarge
        /// The body ends with a lone backslash.
        case trailingBackslash
        /// A `[` without its closing `]`.
        case unclosedClass
        /// A `{` without its closing `}`.
        case unclosedRepetition
        /// A `]` or `}` with no matching opening bracket.
        case unmatchedBracket
    }

    /// The kind of problem.
    public var code: Code
    /// The UTF-8 byte offset (0-based) of the offending spot inside the regex body.
    public var offset: Int
    /// The number of bytes the problem covers; 0 only for ``Code/emptyRegex``.
    public var length: Int
    /// A one-line description that starts with a lowercase letter and says what was expected.
    public var message: String
    /// How to fix the problem, when there is an obvious fix.
    public var fixIt: String?

    /// Creates an error value.
    ///
    /// - Parameters:
    ///   - code: The kind of problem.
    ///   - offset: The UTF-8 byte offset of the problem inside the regex body.
    ///   - length: The number of bytes the problem covers.
    ///   - message: A one-line description starting with a lowercase letter.
    ///   - fixIt: An optional suggestion.
    public init(code: Code, offset: Int, length: Int, message: String, fixIt: String? = nil) {
        self.code = code
        self.offset = offset
        self.length = length
        self.message = message
        self.fixIt = fixIt
    }

    /// The message, followed by the fix-it in parentheses when there is one.
    public var description: String {
        if let fixIt {
            return "\(message) (\(fixIt))"
        }
        return message
    }
}

extension RegexError {
    /// Renders one byte of the regex body for a message: printable ASCII as itself, anything else as hex.
    static func describe(byte: UInt8) -> String {
        switch byte {
        case 0x09: return "a tab"
        case 0x0A: return "a newline"
        case 0x0D: return "a carriage return"
        case 0x20...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        default: return "the byte 0x\(hex(byte))"
        }
    }

    /// Formats a byte as two uppercase hex digits.
    static func hex(_ byte: UInt8) -> String {
        let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    /// An error for a character outside the CloudWatch alphabet at `offset`.
    ///
    /// `sequenceLength` covers a whole multi-byte UTF-8 character, so the caret spans all of it.
    static func disallowed(_ bytes: [UInt8], at offset: Int, sequenceLength: Int, spanStart: Int) -> RegexError {
        let byte = bytes[offset]
        let length = offset - spanStart + sequenceLength
        if byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") {
            return RegexError(
                code: .parenthesisNotAllowed, offset: spanStart, length: length,
                message: "'\(Character(Unicode.Scalar(byte)))' is not allowed in a CloudWatch regex, escaped or not;"
                    + " there are no groups",
                fixIt: "write \\x\(hex(byte)) to match a literal '\(Character(Unicode.Scalar(byte)))'"
            )
        }
        if byte >= 0x80 {
            let text = String(decoding: bytes[offset..<offset + sequenceLength], as: UTF8.self)
            let shown = sequenceLength > 1 && !text.contains("\u{FFFD}") ? "the non-ASCII character '\(text)'"
                : "the non-ASCII byte 0x\(hex(byte))"
            return RegexError(
                code: .disallowedCharacter, offset: spanStart, length: length,
                message: "\(shown) is not allowed in a CloudWatch regex; only ASCII letters, digits,"
                    + " space, '_#=@/;,-:' and operators may appear",
                fixIt: "use '.' or a negated class such as [^a-z] to match a non-ASCII character"
            )
        }
        return RegexError(
            code: .disallowedCharacter, offset: spanStart, length: length,
            message: "\(describe(byte: byte)) is not allowed in a CloudWatch regex; only ASCII letters, digits,"
                + " space, '_#=@/;,-:' and operators may appear",
            fixIt: "write \\x\(hex(byte)) to match it literally"
        )
    }
}
