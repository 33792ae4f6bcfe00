import Foundation
import Gzip
import Testing
@testable import LogIntegrity
import TriplineTestSupport

/// Section 11: hostile input gives a verdict or a clear setup error, never a crash or a read outside DIR.
@Suite("Hostile input")
struct HostileInputTests {
    static let d3 = "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2026/03/01/111122223333_CloudTrail-Digest_us-east-2_tripline_test-trail_us-east-2_20260301T014107Z.json.gz"
    static let d2 = "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2026/03/01/111122223333_CloudTrail-Digest_us-east-2_tripline_test-trail_us-east-2_20260301T004107Z.json.gz"
    static let l1 = "AWSLogs/111122223333/CloudTrail/us-east-2/2026/02/28/111122223333_CloudTrail_us-east-2_20260228T2255Z_MVGx3CKPl5NugIRa.json.gz"

    static func options(_ dir: URL) throws -> ValidationOptions {
        var o = ValidationOptions(directory: dir.path, publicKeyPaths: [try TestSupport.publicKeys()])
        o.signaturesPath = dir.appendingPathComponent("signatures.json").path
        o.start = UTCTime(iso8601: "2026-02-28T22:00:00Z")
        o.end = UTCTime(iso8601: "2026-03-01T02:00:00Z")
        return o
    }

    static func digest(_ report: ValidationReport, _ path: String) -> DigestResult? {
        report.chains.flatMap(\.digests).first { $0.path == path || $0.s3.hasSuffix(path) }
    }

    static func log(_ report: ValidationReport, _ path: String) -> LogResult? {
        report.chains.flatMap(\.logs).first { $0.s3.hasSuffix(path) }
    }

    /// pythonWrite writes bytes made by a Python expression (with gzip imported) to a file.
    static func pythonWrite(_ url: URL, _ expression: String) throws {
        let r = try Subprocess.python("import gzip, sys; open(sys.argv[1], 'wb').write(\(expression))", [url.path])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test("a log file symlinked out of the folder is not read")
    func logSymlinkOut() throws {
        let dir = try TestSupport.copyVariant("clean")
        let outside = TestSupport.temporaryDirectory().appendingPathComponent("L1.json.gz")
        let target = dir.appendingPathComponent(Self.l1)
        try FileManager.default.moveItem(at: target, to: outside)
        try FileManager.default.createSymbolicLink(at: target, withDestinationURL: outside)
        let report = try LogValidator.validate(Self.options(dir))
        #expect(Self.log(report, Self.l1)?.verdict == .notFound)
        #expect(Self.log(report, Self.l1)?.message?.contains("outside") == true)
        #expect(report.exitCode == 1)
    }

    @Test("a digest symlinked out of the folder is not read")
    func digestSymlinkOut() throws {
        let dir = try TestSupport.copyVariant("clean")
        let outside = TestSupport.temporaryDirectory().appendingPathComponent("D2.json.gz")
        let target = dir.appendingPathComponent(Self.d2)
        try FileManager.default.moveItem(at: target, to: outside)
        try FileManager.default.createSymbolicLink(at: target, withDestinationURL: outside)
        let report = try LogValidator.validate(Self.options(dir))
        #expect(Self.digest(report, Self.d2)?.verdict == .notFound)
        #expect(report.exitCode == 1)
    }

    @Test("a gzip bomb in place of a digest stops at the cap")
    func digestBomb() throws {
        let dir = try TestSupport.copyVariant("clean")
        try Self.pythonWrite(dir.appendingPathComponent(Self.d3), "gzip.compress(bytes(8 << 20), 9)")
        var options = try Self.options(dir)
        options.maxDigestUncompressedSize = 1 << 20
        let report = try LogValidator.validate(options)
        let d = Self.digest(report, Self.d3)
        #expect(d?.reason == "invalid-format")
        #expect(d?.message?.contains("larger than 1048576") == true)
    }

    @Test("a 100 MB digest is refused by size before it is read")
    func hugeDigest() throws {
        let dir = try TestSupport.copyVariant("clean")
        let handle = try FileHandle(forWritingTo: dir.appendingPathComponent(Self.d3))
        try handle.truncate(atOffset: 100 << 20)
        try handle.close()
        let report = try LogValidator.validate(Self.options(dir))
        #expect(Self.digest(report, Self.d3)?.reason == "invalid-format")
        #expect(Self.digest(report, Self.d3)?.message?.contains("larger than 67108864") == true)
    }

    @Test("digests with duplicate keys, deep nesting or a non-array logFiles are invalid-format",
          arguments: [
            #"b'{"a":1,"a":1}'"#, "b'[' * 100000", #"b'{"digestStartTime":"x","logFiles":{}}'"#, "b'not json'",
          ])
    func malformedDigest(_ body: String) throws {
        let dir = try TestSupport.copyVariant("clean")
        try Self.pythonWrite(dir.appendingPathComponent(Self.d3), "gzip.compress(\(body))")
        let report = try LogValidator.validate(Self.options(dir))
        #expect(Self.digest(report, Self.d3)?.reason == "invalid-format")
    }

    @Test("a gzip bomb in place of a log file stops at --max-log-size")
    func logBomb() throws {
        let dir = try TestSupport.copyVariant("clean")
        try Self.pythonWrite(dir.appendingPathComponent(Self.l1), "gzip.compress(bytes(8 << 20), 9)")
        var options = try Self.options(dir)
        options.maxLogUncompressedSize = 1 << 20
        let report = try LogValidator.validate(options)
        #expect(Self.log(report, Self.l1)?.reason == "invalid-format")
    }

    @Test("a truncated log file is invalid-format")
    func truncatedLog() throws {
        let dir = try TestSupport.copyVariant("clean")
        let url = dir.appendingPathComponent(Self.l1)
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        let report = try LogValidator.validate(Self.options(dir))
        #expect(Self.log(report, Self.l1)?.reason == "invalid-format")
    }

    @Test("a log file stored uncompressed still verifies, with a note")
    func uncompressedLog() throws {
        let dir = try TestSupport.copyVariant("clean")
        let url = dir.appendingPathComponent(Self.l1)
        let (raw, _) = try gunzipFirstMember(Data(contentsOf: url), maxOutput: 1 << 20)
        try Data(raw).write(to: url)
        let report = try LogValidator.validate(Self.options(dir))
        #expect(Self.log(report, Self.l1)?.verdict == .valid)
        #expect(Self.log(report, Self.l1)?.notes == ["stored uncompressed"])
        #expect(report.exitCode == 0)
    }

    @Test("keys with '..', '.', empty segments, NUL or backslash never become paths",
          arguments: ["audit/AWSLogs/../../etc/passwd", "audit/AWSLogs/./x", "audit/AWSLogs//x", "audit/AWSLogs/a\u{0}b",
                      "audit/AWSLogs/a\\b", "audit/", "audit/.."])
    func unsafeKeys(_ key: String) {
        let root = Mirror.Root(path: "/tmp/x", realPath: "/tmp/x")
        let mirror = Mirror(main: root, bucket: "b", prefix: "audit", others: [:])
        guard case .unsafeKey = mirror.locate(bucket: "b", key: key) else {
            Issue.record("\(key) was accepted")
            return
        }
    }

    @Test("keys outside the prefix or in unmirrored buckets are not found")
    func unmirrored() {
        let root = Mirror.Root(path: "/tmp/x", realPath: "/tmp/x")
        let mirror = Mirror(main: root, bucket: "b", prefix: "audit", others: [:])
        guard case .outsidePrefix = mirror.locate(bucket: "b", key: "other/AWSLogs/x") else { Issue.record("prefix"); return }
        guard case .notMirrored = mirror.locate(bucket: "c", key: "audit/AWSLogs/x") else { Issue.record("bucket"); return }
    }

    @Test("setup errors carry the sysexits status")
    func setupErrors() throws {
        let dir = try TestSupport.copyVariant("clean")
        let scratch = TestSupport.temporaryDirectory()
        let notJSON = scratch.appendingPathComponent("keys.json")
        try Data("this is not json".utf8).write(to: notJSON)
        var o = try Self.options(dir)
        o.publicKeyPaths = [notJSON.path]
        #expect { try LogValidator.validate(o) } throws: { ($0 as? SetupError)?.exitCode == 65 }

        o = try Self.options(dir)
        o.publicKeyPaths = [scratch.appendingPathComponent("missing.json").path]
        #expect { try LogValidator.validate(o) } throws: { ($0 as? SetupError)?.exitCode == 66 }

        o = try Self.options(dir)
        o.publicKeyPaths = ["keys\u{0}.json"]
        #expect { try LogValidator.validate(o) } throws: { ($0 as? SetupError)?.exitCode == 64 }

        let sidecar = scratch.appendingPathComponent("sig.json")
        try Data(#"{"format":"tripline.digest-signatures/v1","objects":{},"extra":1}"#.utf8).write(to: sidecar)
        o = try Self.options(dir)
        o.signaturesPath = sidecar.path
        #expect { try LogValidator.validate(o) } throws: { ($0 as? SetupError)?.exitCode == 65 }

        o = try Self.options(dir)
        o.directory = scratch.appendingPathComponent("nope").path
        #expect { try LogValidator.validate(o) } throws: { ($0 as? SetupError)?.exitCode == 66 }

        o = try Self.options(dir)
        o.trailARN = "arn:aws:s3:::bucket"
        #expect { try LogValidator.validate(o) } throws: { ($0 as? SetupError)?.exitCode == 64 }
    }

    @Test("a stray file in the digest folder is an orphan warning, not a crash")
    func strayName() throws {
        let dir = try TestSupport.copyVariant("clean")
        let folder = dir.appendingPathComponent(Self.d3).deletingLastPathComponent()
        try Data("x".utf8).write(to: folder.appendingPathComponent("evil_CloudTrail-Digest.json.gz"))
        let report = try LogValidator.validate(Self.options(dir))
        #expect(report.warnings.contains { $0.kind == "orphan-digest" })
        #expect(report.exitCode == 0)
    }
}
