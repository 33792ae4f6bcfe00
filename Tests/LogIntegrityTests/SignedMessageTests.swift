import Crypto
import Foundation
import Gzip
import Testing
import _CryptoExtras
@testable import LogIntegrity

/// Known-answer tests on the worked example (section 5.2) and the key rules (section 7).
@Suite("Signed message and keys")
struct SignedMessageTests {
    static func workedExample() throws -> [String: String] {
        try #require(TestSupport.expected()["workedExample"] as? [String: String])
    }

    static func ring() throws -> PublicKeyRing {
        var ring = PublicKeyRing()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestSupport.publicKeys())))
        try ring.add(document: bytes, source: "public-keys.json")
        return ring
    }

    @Test("the string to sign of clean/D3")
    func stringToSign() throws {
        let example = try Self.workedExample()
        let d3 = try TestSupport.vectors.get().appendingPathComponent(
            "clean/AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2026/03/01/111122223333_CloudTrail-Digest_us-east-2_tripline_test-trail_us-east-2_20260301T014107Z.json.gz")
        let (raw, trailing) = try gunzipFirstMember(Data(contentsOf: d3), maxOutput: 1 << 20)
        #expect(trailing == 0)
        let sha = Array(SHA256.hash(data: raw))
        #expect(Hex.encode(sha) == example["uncompressedDigestSha256"])
        let doc = try DigestDocument.parse(raw).get()
        let message = SignedMessage.bytes(endTime: doc.endTimeText, bucket: doc.bucket, object: doc.object,
                                          digestSHA256: sha, previousSignature: doc.previousSignature)
        #expect(String(decoding: message, as: UTF8.self) == example["stringToSign"])
    }

    @Test("the signature verifies with PKCS#1 v1.5, and not with the PSS default")
    func signature() throws {
        let example = try Self.workedExample()
        let key = try #require(try Self.ring().keys["c8d8f75573bbd57f966c7b60636a8a75"]).key
        let message = Array(try #require(example["stringToSign"]).utf8)
        let signature = try #require(example["signature"])
        #expect(SignedMessage.verify(hexSignature: signature, message: message, key: key) == .valid)
        let raw = _RSA.Signing.RSASignature(rawRepresentation: try #require(Hex.decode(signature)))
        #expect(!key.isValidSignature(raw, for: message))
        var tampered = message
        tampered[0] ^= 1
        #expect(SignedMessage.verify(hexSignature: signature, message: tampered, key: key) == .mismatch)
        #expect(SignedMessage.verify(hexSignature: "zz" + signature.dropFirst(2), message: message, key: key)
            == .malformed("signature is not 512 hex digits"))
        #expect(SignedMessage.verify(hexSignature: String(signature.dropLast(2)), message: message, key: key)
            == .malformed("signature is not 512 hex digits"))
        #expect(SignedMessage.verify(hexSignature: String(repeating: "a", count: 100_000), message: message, key: key)
            == .malformed("signature is not 512 hex digits"))
    }

    @Test("null previous signature is the four letters null")
    func nullPrevious() {
        let m = SignedMessage.bytes(endTime: "T", bucket: "b", object: "k", digestSHA256: [0xab], previousSignature: nil)
        #expect(String(decoding: m, as: UTF8.self) == "T\nb/k\nab\nnull")
    }

    static func keysDocument(_ der: [UInt8], fingerprint: String? = nil) -> [UInt8] {
        let fp = fingerprint ?? Hex.encode(Insecure.MD5.hash(data: der))
        let json = #"{"PublicKeyList":[{"Value":"\#(Data(der).base64EncodedString())","ValidityStartTime":1453076702.0,"ValidityEndTime":"1455668702.0","Fingerprint":"\#(fp)"}]}"#
        return Array(json.utf8)
    }

    @Test("both DER forms load; the fingerprint covers the bytes as delivered")
    func derForms() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048).publicKey
        var ring = PublicKeyRing()
        try ring.add(document: Self.keysDocument(Array(key.pkcs1DERRepresentation)), source: "pkcs1")
        try ring.add(document: Self.keysDocument(Array(key.derRepresentation)), source: "spki")
        #expect(ring.keys.count == 2)
        #expect(ring.fingerprints.contains(Hex.encode(Insecure.MD5.hash(data: Array(key.derRepresentation)))))
        #expect(ring.keys.values.allSatisfy { $0.validityStart?.description == "2016-01-18T00:25:02Z" })
    }

    @Test("a fingerprint that is not the MD5 of the key is refused with exit 65")
    func fingerprintMismatch() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048).publicKey
        var ring = PublicKeyRing()
        #expect { try ring.add(document: Self.keysDocument(Array(key.pkcs1DERRepresentation), fingerprint: String(repeating: "0", count: 32)), source: "k") }
            throws: { ($0 as? SetupError)?.exitCode == 65 }
    }

    @Test("keys files that are not list-public-keys output are refused with exit 65",
          arguments: ["not json", "[]", #"{"PublicKeyList": {}}"#, #"{"PublicKeyList":[{"Value":"!!!","Fingerprint":"x"}]}"#,
                      #"{"PublicKeyList":[{"Value":"AAAA","Fingerprint":"\#(Hex.encode(Insecure.MD5.hash(data: [0, 0, 0])))"}]}"#])
    func badKeysFile(_ text: String) {
        var ring = PublicKeyRing()
        #expect { try ring.add(document: Array(text.utf8), source: "k") } throws: { ($0 as? SetupError)?.exitCode == 65 }
    }

    @Test("--trusted-fingerprint leaves other keys out")
    func trusted() throws {
        var ring = PublicKeyRing()
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestSupport.publicKeys())))
        try ring.add(document: bytes, source: "k", trusted: ["c8d8f75573bbd57f966c7b60636a8a75"])
        #expect(ring.fingerprints == ["c8d8f75573bbd57f966c7b60636a8a75"])
        #expect(ring.ignored == ["1002e2b46ea4eb72b893e4f247289cfa"])
    }
}
