import Foundation
import Testing
import TriplineTestSupport

/// Runs the built `tripline` binary (swift build puts it beside the test bundle); a missing binary fails.
@Suite("tripline validate-logs binary")
struct EndToEndTests {
    static func arguments(_ variant: String, _ extra: [String]) throws -> [String] {
        let root = try TestSupport.vectors.get()
        return ["validate-logs", root.appendingPathComponent(variant).path,
                "--public-keys", root.appendingPathComponent("public-keys.json").path,
                "--signatures", root.appendingPathComponent("\(variant)/signatures.json").path,
                "--start-time", "2026-02-28T22:00:00Z", "--end-time", "2026-03-01T02:00:00Z"] + extra
    }

    @Test("exit status and JSON on stdout", arguments: [("clean", 0), ("wrong-key", 1), ("tail-truncated", 1)])
    func exitStatus(_ variant: String, _ status: Int32) throws {
        let binary = try triplineBinary()
        let r = try Subprocess.run(binary, try Self.arguments(variant, ["--output", "json", "--threads", "2"]))
        #expect(r.status == status)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(json?["exitCode"] as? Int == Int(status))
    }

    @Test("text output: failures on stderr, summary on stdout")
    func text() throws {
        let binary = try triplineBinary()
        let r = try Subprocess.run(binary, try Self.arguments("digest-modified", []))
        #expect(r.status == 1)
        #expect(r.stderr.contains("INVALID: signature verification failed"))
        #expect(r.stderr.contains("NOT COVERED: digest-invalid"))
        #expect(r.stdout.contains("2/3 digest files valid, 1/3 digest files INVALID"))
    }

    @Test("usage and input errors use sysexits")
    func usage() throws {
        let binary = try triplineBinary()
        #expect(try Subprocess.run(binary, ["validate-logs", "/nonexistent"]).status == 64)
        #expect(try Subprocess.run(binary, ["validate-logs", "/nonexistent", "--public-keys", "/nonexistent.json"]).status == 66)
        let args = try Self.arguments("clean", []) + ["--start-time", "yesterday"]
        #expect(try Subprocess.run(binary, args).status == 64)
    }
}
