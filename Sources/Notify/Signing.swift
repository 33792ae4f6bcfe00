import Crypto

/// `X-Tripline-Signature: sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>`, with
/// `X-Tripline-Timestamp` the Unix time in seconds of the attempt.
public enum WebhookSignature {
    public static let timestampHeader = "X-Tripline-Timestamp"
    public static let signatureHeader = "X-Tripline-Signature"

    /// `sha256=<64 lowercase hex digits>`.
    public static func sign(secret: [UInt8], timestamp: String, body: [UInt8]) -> String {
        let key = SymmetricKey(data: secret)
        var authenticator = HMAC<SHA256>(key: key)
        authenticator.update(data: Array(timestamp.utf8))
        authenticator.update(data: [UInt8(ascii: ".")])
        authenticator.update(data: body)
        let mac = authenticator.finalize()
        return "sha256=" + hex(Array(mac))
    }

    /// Checks a signature in constant time, and that `timestamp` is within `tolerance` seconds
    /// of `now` (Unix seconds), as a receiver should.
    public static func verify(
        secret: [UInt8], timestamp: String, body: [UInt8], signature: String, now: Int64? = nil, tolerance: Int64 = 300
    ) -> Bool {
        if let now {
            guard let sent = Int64(timestamp), abs(now - sent) <= tolerance else { return false }
        }
        let expected = Array(sign(secret: secret, timestamp: timestamp, body: body).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ given[index] }
        return difference == 0
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// SHA-256 of text as hex, for keys derived from long names.
    static func sha256Hex(_ text: String) -> String {
        hex(Array(SHA256.hash(data: Array(text.utf8))))
    }
}
