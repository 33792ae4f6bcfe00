public import _CryptoExtras
import Crypto

/// The CloudTrail public keys trusted for a run, indexed by fingerprint.
///
/// Loaded from `aws cloudtrail list-public-keys` output in any of its shapes (section 7.1): the list under
/// `PublicKeyList` (any case), times as ISO 8601 strings, epoch numbers or epoch strings, `Value` as
/// base64 of a DER PKCS#1 `RSAPublicKey` or X.509 `SubjectPublicKeyInfo`. Each key's MD5 fingerprint is
/// recomputed over the decoded bytes and must equal its `Fingerprint`.
public struct PublicKeyRing: Sendable {
    /// One trusted key.
    public struct Key: Sendable {
        /// Lowercase hex MD5 of the DER bytes.
        public var fingerprint: String
        /// The RSA key.
        public var key: _RSA.Signing.PublicKey
        /// The start of the key's validity window, when the file gives one.
        public var validityStart: UTCTime?
        /// The end of the key's validity window, when the file gives one.
        public var validityEnd: UTCTime?
        /// The file the key came from.
        public var source: String
    }

    /// The keys by fingerprint.
    public private(set) var keys: [String: Key] = [:]
    /// Keys left out because `--trusted-fingerprint` did not name them.
    public private(set) var ignored: [String] = []

    /// The largest keys file accepted.
    public static let maxFileSize = 256 << 20

    /// The trusted fingerprints, sorted.
    public var fingerprints: [String] { keys.keys.sorted() }

    /// Creates an empty ring.
    public init() {}

    /// Adds the keys of one `list-public-keys` document.
    ///
    /// - Parameters:
    ///   - document: the file's bytes.
    ///   - source: the file name, for messages.
    ///   - trusted: when not nil, only keys with these fingerprints are added; the rest are listed in ``ignored``.
    /// - Throws: ``SetupError`` (exit 65) when the file is not such a document, a key does not decode or
    ///   load, or a fingerprint does not match.
    public mutating func add(document: [UInt8], source: String, trusted: Set<String>? = nil) throws(SetupError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(document)
        } catch {
            throw .badData("\(source): not a list-public-keys JSON document: \(error). "
                + "Save the output of `aws cloudtrail list-public-keys --output json`.")
        }
        guard let members = json.members,
            let list = members.first(where: { $0.key.lowercased() == "publickeylist" })?.value.elements
        else {
            throw .badData("\(source): expected an object with a \"PublicKeyList\" array, as "
                + "`aws cloudtrail list-public-keys` prints")
        }
        for (index, entry) in list.enumerated() {
            let at = "\(source): PublicKeyList[\(index)]"
            guard let fields = entry.members else { throw .badData("\(at): expected an object") }
            func field(_ name: String) -> JSONValue? {
                fields.first { $0.key.lowercased() == name.lowercased() }?.value
            }
            guard let value = field("Value")?.stringValue else { throw .badData("\(at).Value: expected a base64 string") }
            guard let claimed = field("Fingerprint")?.stringValue else {
                throw .badData("\(at).Fingerprint: expected a string")
            }
            guard let der = Base64.decode(value), !der.isEmpty else {
                throw .badData("\(at).Value: not valid base64")
            }
            let fingerprint = Hex.encode(Insecure.MD5.hash(data: der))
            guard fingerprint == claimed.lowercased() else {
                throw .badData("\(at): the MD5 of Value is \(fingerprint) but Fingerprint says \(claimed); "
                    + "the keys file was altered or mislabelled. Fetch it again with list-public-keys.")
            }
            let key: _RSA.Signing.PublicKey
            do {
                key = try _RSA.Signing.PublicKey(derRepresentation: der)
            } catch {
                throw .badData("\(at): unable to load the RSA key with fingerprint \(fingerprint) "
                    + "(expected DER PKCS#1 or SubjectPublicKeyInfo, 2048 to 8192 bits)")
            }
            guard (2048...8192).contains(key.keySizeInBits) else {
                throw .badData("\(at): the key with fingerprint \(fingerprint) has \(key.keySizeInBits) bits; "
                    + "expected 2048 to 8192")
            }
            if let trusted, !trusted.contains(fingerprint) {
                ignored.append(fingerprint)
                continue
            }
            keys[fingerprint] = Key(
                fingerprint: fingerprint, key: key,
                validityStart: field("ValidityStartTime").flatMap(PublicKeyRing.time),
                validityEnd: field("ValidityEndTime").flatMap(PublicKeyRing.time),
                source: source)
        }
    }

    /// time reads a validity time in any of the CLI's shapes.
    static func time(_ value: JSONValue) -> UTCTime? {
        switch value {
        case .number(let text): return epoch(text)
        case .string(let text): return UTCTime(iso8601: text) ?? epoch(text)
        default: return nil
        }
    }

    private static func epoch(_ text: String) -> UTCTime? {
        let whole = text.split(separator: ".", maxSplits: 1).first.map(String.init) ?? text
        guard let seconds = Int64(whole) else { return nil }
        return UTCTime(secondsSinceEpoch: seconds)
    }
}

/// Strict base64 (RFC 4648) decoding, padding optional, whitespace ignored.
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        var out = [UInt8]()
        var acc: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text.utf8 {
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case 0x2B: v = 62
            case 0x2F: v = 63
            case 0x3D:
                padding += 1
                continue
            case 0x20, 0x0A, 0x0D, 0x09: continue
            default: return nil
            }
            if padding > 0 { return nil }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        if padding > 2 || bits >= 6 { return nil }
        return out
    }
}
