/// A reference to a value in an event, as metric values and dimensions write it:
/// `$.a.b` for JSON patterns, `$name` or `$N` for space-delimited ones.
public enum FieldReference: Sendable, Hashable, CustomStringConvertible {
    /// `$.selector` into a JSON event (no wildcards).
    case selector(Selector)
    /// `$name`: the field a space-delimited pattern names so.
    case field(String)
    /// `$N`: the N-th field of a space-delimited event, counting from 1.
    case position(Int)

    /// Parses `$.a.b[0]`, `$name` or `$3`; nil when `text` is none of these.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "$") else { return nil }
        if bytes[1] == UInt8(ascii: ".") || bytes[1] == UInt8(ascii: "[") {
            var lexer = Lexer(bytes: bytes, range: 0..<bytes.count)
            let token = lexer.next()
            guard case .selector(let segments) = token.kind, token.range.upperBound == bytes.count,
                !segments.contains(where: \.isWildcard)
            else { return nil }
            self = .selector(Selector(segments: segments, text: text))
            return
        }
        let name = bytes[1...]
        guard name.allSatisfy(Lexer.isNameByte) else { return nil }
        if name.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard name.count <= 6, let position = Int(String(decoding: name, as: UTF8.self)), position >= 1 else {
                return nil
            }
            self = .position(position)
        } else {
            self = .field(String(decoding: name, as: UTF8.self))
        }
    }

    public var description: String {
        switch self {
        case .selector(let selector): selector.text
        case .field(let name): "$" + name
        case .position(let position): "$\(position)"
        }
    }
}
