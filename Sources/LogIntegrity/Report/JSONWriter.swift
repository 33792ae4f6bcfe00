/// Builds JSON text by hand, keeping member order as written.
struct JSONWriter {
    private(set) var text = ""

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = Array("0123456789abcdef")
                    out += "\\u00" + String(hex[Int(scalar.value >> 4)]) + String(hex[Int(scalar.value & 15)])
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func value(_ s: String?) -> String { s.map(quote) ?? "null" }
    static func value(_ t: UTCTime?) -> String { t.map { quote($0.description) } ?? "null" }

    /// object renders members, each already JSON text.
    static func object(_ members: [(String, String)], indent: Int = 0) -> String {
        if members.isEmpty { return "{}" }
        let pad = String(repeating: "  ", count: indent + 1)
        let body = members.map { "\(pad)\(quote($0.0)): \($0.1)" }.joined(separator: ",\n")
        return "{\n\(body)\n\(String(repeating: "  ", count: indent))}"
    }

    static func array(_ items: [String], indent: Int = 0) -> String {
        if items.isEmpty { return "[]" }
        let pad = String(repeating: "  ", count: indent + 1)
        return "[\n" + items.map { pad + $0 }.joined(separator: ",\n") + "\n\(String(repeating: "  ", count: indent))]"
    }

    /// compact renders members on one line.
    static func compact(_ members: [(String, String)]) -> String {
        "{" + members.map { "\(quote($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }
}
