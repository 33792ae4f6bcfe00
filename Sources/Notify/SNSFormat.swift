/// `Format: sns` (the default): the CloudWatch SNS message JSON exactly as the alarm engine wrote
/// it, with `"IdempotencyKey"` added to its `"Tripline"` object (which is created if missing).
/// Every other byte is kept, so `Threshold: 1.0` stays `1.0`.
public struct SNSFormat: PayloadFormat {
    public init() {}

    public func payload(for delivery: Delivery) -> Payload {
        Payload(body: Self.addingIdempotencyKey(delivery.idempotencyKey, to: delivery.message))
    }

    /// Inserts `"IdempotencyKey":"<key>"` as the first member of the top-level `"Tripline"` object,
    /// unless that object already has one; adds `"Tripline":{...}` at the end otherwise. A message
    /// that is not a JSON object is wrapped: `{"Message":<text>,"Tripline":{...}}`.
    static func addingIdempotencyKey(_ key: String, to message: [UInt8]) -> [UInt8] {
        let member = Array("\"IdempotencyKey\":\"\(JSONBody.escape(key))\"".utf8)
        guard let scan = TopLevelScan(message) else {
            let text = String(decoding: message, as: UTF8.self)
            return Array("{\"Message\":\"\(JSONBody.escape(text))\",\"Tripline\":{".utf8) + member + Array("}}".utf8)
        }
        if let open = scan.triplineObjectStart {
            if scan.triplineHasIdempotencyKey { return message }
            let empty = scan.triplineObjectEmpty
            return Array(message[...open]) + member + (empty ? [] : [UInt8(ascii: ",")]) + Array(message[(open + 1)...])
        }
        let close = scan.closingBrace
        let prefix = Array(message[..<close])
        return prefix + (scan.isEmpty ? [] : [UInt8(ascii: ",")]) + Array("\"Tripline\":{".utf8) + member + [UInt8(ascii: "}")]
            + Array(message[close...])
    }
}

/// Finds, in a JSON object's text, the top-level `"Tripline"` object and the closing brace,
/// without decoding anything else.
struct TopLevelScan {
    var closingBrace: Int = 0
    var isEmpty = true
    var triplineObjectStart: Int?
    var triplineObjectEmpty = false
    var triplineHasIdempotencyKey = false

    init?(_ bytes: [UInt8]) {
        var index = 0
        func skipSpace() { while index < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[index]) { index += 1 } }
        /// Reads a string starting at `index` (a quote); returns its raw content.
        func readString() -> [UInt8]? {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            index += 1
            let start = index
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "\\") { index += 2; continue }
                if bytes[index] == UInt8(ascii: "\"") {
                    let content = Array(bytes[start..<index])
                    index += 1
                    return content
                }
                index += 1
            }
            return nil
        }
        /// Skips one value; returns false on malformed input.
        func skipValue() -> Bool {
            skipSpace()
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return readString() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        guard readString() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                        if depth == 0 {
                            index += 1
                            return true
                        }
                    default: break
                    }
                    index += 1
                }
                return false
            default:
                while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(bytes[index]) { index += 1 }
                return true
            }
        }

        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        while true {
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "}") {
                closingBrace = index
                // Only whitespace may follow.
                index += 1
                skipSpace()
                guard index == bytes.count else { return nil }
                return
            }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard let key = readString() else { return nil }
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipSpace()
            isEmpty = false
            if key == Array("Tripline".utf8), index < bytes.count, bytes[index] == UInt8(ascii: "{") {
                triplineObjectStart = index
                // Look at the object's own keys for an existing IdempotencyKey.
                let objectStart = index
                index += 1
                skipSpace()
                triplineObjectEmpty = index < bytes.count && bytes[index] == UInt8(ascii: "}")
                while index < bytes.count, bytes[index] != UInt8(ascii: "}") {
                    skipSpace()
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard let innerKey = readString() else { return nil }
                    if innerKey == Array("IdempotencyKey".utf8) { triplineHasIdempotencyKey = true }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                    index += 1
                    guard skipValue() else { return nil }
                    skipSpace()
                }
                guard index < bytes.count else { return nil }
                index += 1
                _ = objectStart
                continue
            }
            guard skipValue() else { return nil }
        }
    }
}
