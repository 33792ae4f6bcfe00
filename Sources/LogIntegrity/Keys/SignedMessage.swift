import Crypto
public import _CryptoExtras

/// The string CloudTrail signs for a digest (section 5.1), and its verification.
///
/// ```
/// digestEndTime LF digestS3Bucket "/" digestS3Object LF hex(SHA-256(uncompressed digest)) LF previousDigestSignature-or-"null"
/// ```
public enum SignedMessage {
    /// The exact bytes that are signed.
    ///
    /// - Parameters:
    ///   - endTime: `digestEndTime`, verbatim.
    ///   - bucket: `digestS3Bucket`.
    ///   - object: `digestS3Object`.
    ///   - digestSHA256: SHA-256 of the digest's uncompressed bytes.
    ///   - previousSignature: `previousDigestSignature`, or nil for JSON null.
    public static func bytes(
        endTime: String, bucket: String, object: String, digestSHA256: some Sequence<UInt8>, previousSignature: String?
    ) -> [UInt8] {
        let text = "\(endTime)\n\(bucket)/\(object)\n\(Hex.encode(digestSHA256))\n\(previousSignature ?? "null")"
        return Array(text.utf8)
    }

    /// The outcome of checking one candidate signature.
    public enum Check: Sendable, Equatable {
        case valid
        /// The signature is not hex of the modulus length.
        case malformed(String)
        case mismatch
    }

    /// Verifies a hex signature over `message` with RSASSA-PKCS1-v1_5 and SHA-256.
    ///
    /// The padding argument matters: swift-crypto's default is PSS, which rejects every CloudTrail signature.
    public static func verify(hexSignature: String, message: [UInt8], key: _RSA.Signing.PublicKey) -> Check {
        let expectedDigits = key.keySizeInBits / 4
        guard hexSignature.utf8.count <= 4096, hexSignature.utf8.count == expectedDigits,
            let bytes = Hex.decode(hexSignature)
        else {
            return .malformed("signature is not \(expectedDigits) hex digits")
        }
        let signature = _RSA.Signing.RSASignature(rawRepresentation: bytes)
        return key.isValidSignature(signature, for: message, padding: .insecurePKCS1v1_5) ? .valid : .mismatch
    }
}
