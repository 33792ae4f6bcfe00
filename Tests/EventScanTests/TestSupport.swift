import EventScan
import TriplineTestSupport

/// Runs `body` with a view of `bytes`.
func withView<R>(_ bytes: [UInt8], _ body: (EventView) throws -> R) rethrows -> R {
    try bytes.withUnsafeBytes { try body(EventView(bytes: $0)) }
}

/// Runs `body` with a view of the UTF-8 of `json`.
func withView<R>(_ json: String, _ body: (EventView) throws -> R) rethrows -> R {
    try withView(Array(json.utf8), body)
}

extension EventView {
    /// The decoded bytes of `node` as a String (strings decoded, other kinds as raw text).
    func text(_ node: JSONNode) -> String {
        var buffer: [UInt8] = []
        decodeString(node, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Follows `path` from the root: strings are member names, ints are array indices.
    func lookup(_ path: [PathStep]) -> JSONNode? {
        guard var node = root() else { return nil }
        for step in path {
            switch step {
            case .key(let key):
                guard let next = member(Array(key.utf8), of: node) else { return nil }
                node = next
            case .index(let index):
                guard let next = element(index, of: node) else { return nil }
                node = next
            }
        }
        return node
    }
}

/// One step of a lookup path.
enum PathStep: CustomStringConvertible, Sendable {
    case key(String)
    case index(Int)

    var description: String {
        switch self {
        case .key(let key): ".\(key)"
        case .index(let index): "[\(index)]"
        }
    }
}


/// Random JSON text: mostly valid objects, some of them mutated into invalid ones.
enum RandomJSON {
    static let whitespace = ["", "", "", " ", "\n", "\t ", "\r\n  "]
    static let keys = [
        "a", "b", "eventName", #"ev\u0065ntName"#, #"a\"b"#, #"\\"#, #"\ud83d\ude00"#, "é", "😀", "x y", "",
        "]}", #"\n"#, #"\/"#,
    ]
    static let stringPieces = [
        "abc", #"\""#, #"\\"#, #"\/"#, #"\b\f\n\r\t"#, #"\u00e9"#, #"\u20AC"#, #"\ud83d\ude00"#, "é", "€", "😀",
        "]}", "{[", ",:", " ", "\u{7F}", "arn:aws:iam::123456789012:user/x",
    ]
    static let mutationBytes: [UInt8] = Array(#""\{}[],:0-.eE+ x"#.utf8) + [0x01, 0x1F, 0xC3, 0xE2, 0xFF, 0x80]

    static func document(seed: UInt64) -> [UInt8] {
        var random = SplitMix64(state: seed)
        let text = random.pick(whitespace) + object(depth: 1, &random) + random.pick(whitespace)
        var bytes = Array(text.utf8)
        guard random.chance(35) else { return bytes }
        for _ in 0..<Int.random(in: 1...2, using: &random) {
            let position = Int.random(in: 0...bytes.count, using: &random)
            switch Int.random(in: 0..<6, using: &random) {
            case 0 where position < bytes.count: bytes.remove(at: position)
            case 1: bytes.insert(random.pick(mutationBytes), at: position)
            case 2: bytes.removeSubrange(position...)
            case 3: bytes = bytes + [0x20] + bytes
            case 4: bytes = Array("[".utf8) + bytes + Array("]".utf8)
            default: bytes.insert(random.pick(mutationBytes), at: position)
            }
        }
        return bytes
    }

    static func object(depth: Int, _ random: inout SplitMix64) -> String {
        let members = (0..<Int.random(in: 0...7, using: &random)).map { _ in
            random.pick(whitespace) + "\"" + random.pick(keys) + "\"" + random.pick(whitespace) + ":"
                + random.pick(whitespace) + value(depth: depth, &random) + random.pick(whitespace)
        }
        return "{" + (members.isEmpty ? random.pick(whitespace) : members.joined(separator: ",")) + "}"
    }

    static func value(depth: Int, _ random: inout SplitMix64) -> String {
        if depth < 5, random.chance(25) {
            if random.chance(50) { return object(depth: depth + 1, &random) }
            let elements = (0..<Int.random(in: 0...4, using: &random)).map { _ in
                random.pick(whitespace) + value(depth: depth + 1, &random) + random.pick(whitespace)
            }
            return "[" + elements.joined(separator: ",") + "]"
        }
        switch Int.random(in: 0..<10, using: &random) {
        case 0: return random.pick(["true", "false", "null"])
        case 1...4:
            return "\"" + (0..<Int.random(in: 0...4, using: &random)).map { _ in random.pick(stringPieces) }.joined()
                + "\""
        default: return number(&random)
        }
    }

    static func number(_ random: inout SplitMix64) -> String {
        var text = random.chance(25) ? "-" : ""
        text += random.chance(20) ? "0" : String(Int.random(in: 1...9, using: &random)) + digits(0...20, &random)
        if random.chance(40) { text += "." + digits(1...20, &random) }
        if random.chance(30) {
            text += random.pick(["e", "E"]) + random.pick(["", "+", "-"]) + digits(1...2, &random)
        }
        return text
    }

    static func digits(_ count: ClosedRange<Int>, _ random: inout SplitMix64) -> String {
        String((0..<Int.random(in: count, using: &random)).map { _ in random.pick(Array("0123456789")) })
    }
}
