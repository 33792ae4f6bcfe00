import Foundation
import TriplineTestSupport

/// Shared helpers: the generated test vectors and temporary folders.
enum TestSupport {
    /// `shared/` beside the repository (CI clones the repo with shared/ next to it).
    static let sharedDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    /// A fresh temporary folder.
    static func temporaryDirectory(_ name: String = "tripline-li") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// The vectors of make_digest_chain.py, built once per test run.
    static let vectors: Result<URL, VectorError> = {
        let out = temporaryDirectory("tripline-vectors").appendingPathComponent("out")
        let tool = sharedDirectory.appendingPathComponent("tools/make_digest_chain.py").path
        do {
            let r = try Subprocess.run(Subprocess.python, [tool, out.path])
            guard r.status == 0 else { return .failure(VectorError(message: "make_digest_chain.py failed: \(r.stderr)")) }
            return .success(out)
        } catch {
            return .failure(VectorError(message: "cannot run python3: \(error)"))
        }
    }()

    struct VectorError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// expected is the parsed expected-verdicts.json.
    static func expected() throws -> [String: Any] {
        let url = try vectors.get().appendingPathComponent("expected-verdicts.json")
        let data = try Data(contentsOf: url)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// copyVariant copies one variant folder into a temporary folder and returns the copy.
    static func copyVariant(_ name: String) throws -> URL {
        let source = try vectors.get().appendingPathComponent(name)
        let target = temporaryDirectory("tripline-variant").appendingPathComponent(name)
        try FileManager.default.copyItem(at: source, to: target)
        return target
    }

    static func publicKeys() throws -> String { try vectors.get().appendingPathComponent("public-keys.json").path }
}
