import Foundation
import Testing
@testable import LogIntegrity

/// Every variant of make_digest_chain.py gives the verdicts, notices and exit status of expected-verdicts.json.
@Suite("make_digest_chain.py variants")
struct VariantTests {
    static let variants = [
        "clean", "log-modified", "log-deleted", "digest-modified", "digest-deleted-middle", "wrong-key",
        "reordered-chain", "no-signatures", "log-appended-member", "unknown-key", "restart-gap", "tail-truncated",
    ]

    struct Row: Hashable, CustomStringConvertible {
        var s3: String
        var verdict: String
        var reason: String?
        var description: String { "\(verdict)/\(reason ?? "-") \(s3.split(separator: "/").last ?? "")" }
    }

    static func options(_ variant: String, range: [String: Any]) throws -> ValidationOptions {
        let root = try TestSupport.vectors.get().appendingPathComponent(variant)
        var options = ValidationOptions(directory: root.path, publicKeyPaths: [try TestSupport.publicKeys()])
        let sidecar = root.appendingPathComponent("signatures.json").path
        if FileManager.default.fileExists(atPath: sidecar) { options.signaturesPath = sidecar }
        options.start = (range["start"] as? String).flatMap { UTCTime(iso8601: $0) }
        options.end = (range["end"] as? String).flatMap { UTCTime(iso8601: $0) }
        options.threads = 2
        return options
    }

    static func variant(_ name: String) throws -> [String: Any] {
        let all = try TestSupport.expected()["variants"] as? [String: Any] ?? [:]
        return try #require(all[name] as? [String: Any])
    }

    @Test("the list of variants matches expected-verdicts.json")
    func variantList() throws {
        let all = try TestSupport.expected()["variants"] as? [String: Any] ?? [:]
        #expect(Set(all.keys) == Set(Self.variants))
    }

    @Test("JSON report matches the tripline block", arguments: variants)
    func jsonReport(_ name: String) throws {
        let expected = try Self.variant(name)
        let tripline = try #require(expected["tripline"] as? [String: Any])
        let report = try LogValidator.validate(Self.options(name, range: expected["range"] as? [String: Any] ?? [:]))
        let json = try #require(
            JSONSerialization.jsonObject(with: Data(ReportJSON.render(report).utf8)) as? [String: Any])
        #expect(json["format"] as? String == "tripline.validate-logs-report/v1")
        let chains = json["chains"] as? [[String: Any]] ?? []
        func rows(_ list: [[String: Any]]) -> [Row] {
            list.map { Row(s3: $0["s3"] as? String ?? "", verdict: $0["verdict"] as? String ?? "", reason: $0["reason"] as? String) }
                .sorted { $0.s3 < $1.s3 }
        }
        let digests = rows(chains.flatMap { $0["digests"] as? [[String: Any]] ?? [] })
        let logs = rows(chains.flatMap { $0["logs"] as? [[String: Any]] ?? [] })
        #expect(digests == rows(tripline["digests"] as? [[String: Any]] ?? []))
        #expect(logs == rows(tripline["logs"] as? [[String: Any]] ?? []))
        func notices(_ list: [[String: Any]]) -> [String] {
            list.map { "\($0["kind"] ?? "") \($0["start"] ?? "") \($0["end"] ?? "") \($0["cause"] ?? "")" }.sorted()
        }
        #expect(notices(chains.flatMap { $0["notices"] as? [[String: Any]] ?? [] })
            == notices(tripline["notices"] as? [[String: Any]] ?? []))
        #expect(json["exitCode"] as? Int == tripline["exitCode"] as? Int)
        #expect(Int(report.exitCode) == tripline["exitCode"] as? Int)
    }

    @Test("--allow-unsigned-newest turns no-signatures into exit 0")
    func allowUnsignedNewest() throws {
        let expected = try Self.variant("no-signatures")
        var options = try Self.options("no-signatures", range: expected["range"] as? [String: Any] ?? [:])
        options.allowUnsignedNewest = true
        let report = try LogValidator.validate(options)
        let tripline = try #require(expected["tripline"] as? [String: Any])
        #expect(Int(report.exitCode) == tripline["exitCodeWithAllowUnsignedNewest"] as? Int)
        #expect(report.chains.flatMap(\.digests).allSatisfy { $0.verdict == .valid })
    }

    @Test("text output has the AWS CLI's lines and summary", arguments: variants)
    func cliLines(_ name: String) throws {
        let expected = try Self.variant(name)
        guard let cli = expected["awsCli"] as? [String: Any] else { return }  // no-signatures: not applicable
        let report = try LogValidator.validate(Self.options(name, range: expected["range"] as? [String: Any] ?? [:]))
        let lines = ReportText.lines(report, verbose: true).filter { !$0.isAddition }
        #expect(lines.first?.text == cli["header"] as? String)
        let walk = lines.filter { $0.text.hasPrefix("Digest file\t") || $0.text.hasPrefix("Log file\t") || $0.text.hasPrefix("No log files") }
            .map { [$0.stream.rawValue, $0.text] }
        #expect(walk == (cli["lines"] as? [[String]] ?? []))
        let summaryStart = try #require(lines.firstIndex { $0.text.hasPrefix("Results requested") })
        #expect(lines[summaryStart...].map(\.text) == (cli["summary"] as? [String] ?? []))
    }

    @Test("the epoch-style keys file gives the same verdicts")
    func epochKeys() throws {
        let expected = try Self.variant("clean")
        var options = try Self.options("clean", range: expected["range"] as? [String: Any] ?? [:])
        options.publicKeyPaths = [try TestSupport.vectors.get().appendingPathComponent("public-keys-epoch.json").path]
        #expect(try LogValidator.validate(options).exitCode == 0)
    }

    @Test("one thread and many threads agree")
    func threadCounts() throws {
        let expected = try Self.variant("log-modified")
        var options = try Self.options("log-modified", range: expected["range"] as? [String: Any] ?? [:])
        options.threads = 1
        let one = try LogValidator.validate(options).chains.flatMap(\.logs).map(\.verdict)
        options.threads = 8
        let many = try LogValidator.validate(options).chains.flatMap(\.logs).map(\.verdict)
        #expect(one == many)
    }
}
