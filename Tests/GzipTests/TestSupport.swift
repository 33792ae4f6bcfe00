import Foundation

/// Shared helpers: running Python (the zlib oracle).
enum TestSupport {
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
}
