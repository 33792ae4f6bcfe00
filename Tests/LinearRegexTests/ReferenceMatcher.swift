/// A deliberately simple backtracking matcher for a subset of the regex language, used as an oracle.
///
/// It supports literal letters and digits, `.`, `[ab]`, `[^a]`, `\d`, `\W`, `?`, `*`, `+`, `{m,n}`
/// forms, `|`, `^` and `$`. It splits the subject into characters with the standard library's UTF-8
/// parser, independently of the engine's own decoder. It is exponential in the worst case, so keep
/// inputs short.
struct ReferenceMatcher {
    /// A character predicate.
    enum Atom: Equatable {
        case byte(UInt8), any, setAB, notA, digit, notWord
    }

    struct Piece {
        var atom: Atom
        var min = 1
        var max: Int? = 1
    }

    struct Alternative {
        var start = false
        var end = false
        var pieces: [Piece] = []
    }

    var alternatives: [Alternative] = []

    /// Parses the tokens of a generated regex, or returns `nil` when the engine must reject it.
    init?(tokens: [String]) {
        var current = Alternative()
        var hasItem = false
        var lastWasAtom = false
        for token in tokens {
            switch token {
            case "|":
                guard hasItem else { return nil }
                alternatives.append(current)
                current = Alternative()
                hasItem = false
                lastWasAtom = false
            case "^":
                guard !hasItem else { return nil }
                current.start = true
                hasItem = true
                lastWasAtom = false
            case "$":
                guard !current.end else { return nil }
                current.end = true
                hasItem = true
                lastWasAtom = false
            case "?", "*", "+", "{1,2}", "{0,1}", "{2}", "{,2}", "{1,}", "{0}", "{2,3}":
                guard lastWasAtom else { return nil }
                let bounds: (Int, Int?) = switch token {
                case "?", "{0,1}": (0, 1)
                case "*": (0, nil)
                case "+", "{1,}": (1, nil)
                case "{1,2}": (1, 2)
                case "{2}": (2, 2)
                case "{,2}": (0, 2)
                case "{2,3}": (2, 3)
                default: (0, 0)
                }
                current.pieces[current.pieces.count - 1].min = bounds.0
                current.pieces[current.pieces.count - 1].max = bounds.1
                lastWasAtom = false
            default:
                guard !current.end else { return nil }
                let atom: Atom = switch token {
                case ".": .any
                case "[ab]": .setAB
                case "[^a]": .notA
                case "\\d": .digit
                case "\\W": .notWord
                default: .byte(Array(token.utf8)[0])
                }
                current.pieces.append(Piece(atom: atom))
                hasItem = true
                lastWasAtom = true
            }
        }
        guard hasItem else { return nil }
        alternatives.append(current)
    }

    /// Splits bytes into characters: a well-formed UTF-8 sequence, or one byte where there is none.
    static func characters(_ bytes: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            var parser = Unicode.UTF8.ForwardParser()
            var iterator = bytes[offset...].makeIterator()
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                result.append(Array(encoded))
                offset += encoded.count
            default:
                result.append([bytes[offset]])
                offset += 1
            }
        }
        return result
    }

    /// Whether `atom` accepts `character`.
    static func accepts(_ atom: Atom, _ character: [UInt8]) -> Bool {
        let single = character.count == 1 ? character[0] : nil
        let isWord = single.map { ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
        switch atom {
        case .byte(let byte): return single == byte
        case .any: return single != 0x0A && single != 0x0D
        case .setAB: return single == 0x61 || single == 0x62
        case .notA: return single != 0x61
        case .digit: return single.map { $0 >= 0x30 && $0 <= 0x39 } ?? false
        case .notWord: return !(isWord ?? false)
        }
    }

    /// Whether the regex matches somewhere in `subject`.
    func matches(_ subject: [UInt8]) -> Bool {
        let characters = Self.characters(subject)
        for start in 0...characters.count {
            for alternative in alternatives where !alternative.start || start == 0 {
                if Self.match(alternative, 0, start, characters) {
                    return true
                }
            }
        }
        return false
    }

    /// Whether pieces from `index` on match the characters from `position`.
    static func match(_ alternative: Alternative, _ index: Int, _ position: Int, _ characters: [[UInt8]]) -> Bool {
        guard index < alternative.pieces.count else {
            return !alternative.end || position == characters.count
        }
        let piece = alternative.pieces[index]
        var count = 0
        var offset = position
        while count < piece.min {
            guard offset < characters.count, accepts(piece.atom, characters[offset]) else { return false }
            offset += 1
            count += 1
        }
        while true {
            if match(alternative, index + 1, offset, characters) {
                return true
            }
            if let max = piece.max, count >= max {
                return false
            }
            guard offset < characters.count, accepts(piece.atom, characters[offset]) else { return false }
            offset += 1
            count += 1
        }
    }
}
