/// The kind of a JSON value, decided by its first byte.
///
/// `{` is an object, `[` an array, `"` a string, `-` or a digit a number, and `t`, `f`, `n` the literals
/// `true`, `false` and `null` (the whole literal is checked).
public enum JSONKind: UInt8, Sendable {
    /// A JSON object, `{ ... }`.
    case object
    /// A JSON array, `[ ... ]`.
    case array
    /// A JSON string, `"..."`.
    case string
    /// A JSON number such as `-1.5e3`.
    case number
    /// The literal `true`.
    case `true`
    /// The literal `false`.
    case `false`
    /// The literal `null`.
    case null

    /// The kind of a valid value that starts with `byte`: anything not named here is a number.
    /// (A switch of constants, which the compiler turns into a table lookup rather than branches.)
    @inline(__always)
    init(firstByte byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): self = .string
        case UInt8(ascii: "{"): self = .object
        case UInt8(ascii: "["): self = .array
        case UInt8(ascii: "t"): self = .true
        case UInt8(ascii: "f"): self = .false
        case UInt8(ascii: "n"): self = .null
        default: self = .number
        }
    }
}

/// A value inside an event line: its kind and its byte range `[start, end)` in the line.
///
/// Nodes are plain offsets, so they are cheap to copy and hold no reference to the line. They are only
/// meaningful together with the ``EventView`` that produced them.
///
/// - For strings the range **excludes** the quotes, so `bytes[start..<end]` is the raw (still escaped)
///   content, and ``hasEscapes`` tells whether it contains a backslash. When it does not, the raw bytes
///   are the decoded value.
/// - For objects and arrays the range runs from the opening to just past the closing bracket. The one
///   exception is the node returned by ``EventView/root()``, whose `end` is the end of the line less
///   trailing whitespace, because `root()` does not scan the line.
/// - For numbers the range covers the number's text, e.g. `-1.5e3`.
///
/// ```swift
/// // line: {"a":"x\"y"}
/// // member "a" -> JSONNode(kind: .string, start: 6, end: 10, hasEscapes: true)
/// ```
public struct JSONNode: Sendable, Equatable {
    /// The kind of the value.
    public var kind: JSONKind
    /// The offset of the value's first byte (for strings: the first byte after the opening quote).
    public var start: Int
    /// The offset just past the value (for strings: the offset of the closing quote).
    public var end: Int
    /// Whether a string's raw content contains a backslash escape. Always `false` for other kinds.
    public var hasEscapes: Bool

    /// Creates a node from its parts.
    ///
    /// - Parameters:
    ///   - kind: The kind of the value.
    ///   - start: The offset of the first byte (after the opening quote for strings).
    ///   - end: The offset just past the value (the closing quote for strings).
    ///   - hasEscapes: Whether a string contains a backslash; `false` for other kinds.
    public init(kind: JSONKind, start: Int, end: Int, hasEscapes: Bool = false) {
        self.kind = kind
        self.start = start
        self.end = end
        self.hasEscapes = hasEscapes
    }

    /// The number of bytes in the node's range.
    public var count: Int { end - start }
}
