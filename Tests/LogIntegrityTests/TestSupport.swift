import Foundation

/// Shared helpers: the generated test vectors, temporary folders, Python.
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

    struct ProcessResult {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// run runs a program and collects its output.
    static func run(_ executable: String, _ arguments: [String]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                             stderr: String(decoding: e, as: UTF8.self))
    }

    static var python: String {
        for p in ["/usr/bin/python3", "/usr/local/bin/python3", "/opt/homebrew/bin/python3"]
        where FileManager.default.isExecutableFile(atPath: p) { return p }
        return "/usr/bin/python3"
    }

    /// python runs a Python snippet.
    static func python(_ code: String, _ arguments: [String] = []) throws -> ProcessResult {
        try run(python, ["-c", code] + arguments)
    }

    /// The vectors of make_digest_chain.py, built once per test run.
    static let vectors: Result<URL, VectorError> = {
        let out = temporaryDirectory("tripline-vectors").appendingPathComponent("out")
        let tool = sharedDirectory.appendingPathComponent("tools/make_digest_chain.py").path
        do {
            let r = try run(python, [tool, out.path])
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
