/// Writes JSON text into a byte buffer without Foundation.
///
/// Tripline prints results (match reports, counts, notifications) as JSON. Event text may hold
/// invalid UTF-8, so strings are written from bytes: valid sequences pass through, each invalid
/// byte becomes U+FFFD, and control characters, `"` and `\` are escaped. The output is always
/// valid JSON.
public enum JSONText {
    /// Appends `bytes` as a JSON string literal, quotes included.
    public static func appendString(_ bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var decoder = UTF8Repair()
        for byte in bytes { decoder.feed(byte, into: &out) }
        decoder.finish(into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Appends a Swift string as a JSON string literal.
    public static func appendString(_ string: String, to out: inout [UInt8]) {
        appendString(string.utf8, to: &out)
    }

    /// Appends a number the way JSON writers print it: integral values without a fraction.
    public static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN || value.isInfinite {
            out.append(contentsOf: "null".utf8)
        } else if value == value.rounded(), abs(value) < 1e15 {
            out.append(contentsOf: String(Int64(value)).utf8)
        } else {
            out.append(contentsOf: value.description.utf8)
        }
    }

    /// Returns `string` as a JSON string literal.
    public static func quoted(_ string: String) -> String {
        var out: [UInt8] = []
        appendString(string, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// Validates UTF-8 byte by byte, escaping what JSON needs escaped and repairing what is invalid.
struct UTF8Repair {
    private var pending: [UInt8] = []
    private var needed = 0

    mutating func feed(_ byte: UInt8, into out: inout [UInt8]) {
        if needed > 0 {
            if byte & 0xC0 == 0x80, isAllowedContinuation(byte) {
                pending.append(byte)
                needed -= 1
                if needed == 0 {
                    out.append(contentsOf: pending)
                    pending.removeAll(keepingCapacity: true)
                }
                return
            }
            flushInvalid(into: &out)
        }
        switch byte {
        case 0x00..<0x80: appendASCII(byte, into: &out)
        case 0xC2...0xDF: start(byte, needing: 1)
        case 0xE0...0xEF: start(byte, needing: 2)
        case 0xF0...0xF4: start(byte, needing: 3)
        default: appendReplacement(into: &out)
        }
    }

    mutating func finish(into out: inout [UInt8]) {
        if needed > 0 { flushInvalid(into: &out) }
    }

    private mutating func start(_ byte: UInt8, needing count: Int) {
        pending = [byte]
        needed = count
    }

    /// Rejects overlong forms, surrogates and code points above U+10FFFF at the second byte.
    private func isAllowedContinuation(_ byte: UInt8) -> Bool {
        guard pending.count == 1 else { return true }
        switch pending[0] {
        case 0xE0: return byte >= 0xA0
        case 0xED: return byte < 0xA0
        case 0xF0: return byte >= 0x90
        case 0xF4: return byte < 0x90
        default: return true
        }
    }

    private mutating func flushInvalid(into out: inout [UInt8]) {
        appendReplacement(into: &out)
        pending.removeAll(keepingCapacity: true)
        needed = 0
    }

    private func appendReplacement(into out: inout [UInt8]) {
        out.append(contentsOf: [0xEF, 0xBF, 0xBD])
    }

    private func appendASCII(_ byte: UInt8, into out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
        case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
        case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
        case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
        case 0x00..<0x20, 0x7F:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        default: out.append(byte)
        }
    }
}
