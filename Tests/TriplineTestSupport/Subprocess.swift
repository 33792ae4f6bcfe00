import Foundation

/// Running helper programs (Python oracles, vector generators) from tests.
public enum Subprocess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` and collects its output.
    public static func run(_ executable: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Both pipes drain at once: a child that fills one while the other is being read would block.
        let stderrBox = DataBox()
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            stderrBox.data = err.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        drained.wait()
        let stderr = stderrBox.data
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The first python3 found.
    public static var python: String {
        for path in ["/usr/bin/python3", "/usr/local/bin/python3", "/opt/homebrew/bin/python3"]
        where FileManager.default.isExecutableFile(atPath: path) { return path }
        return "/usr/bin/python3"
    }

    /// Runs a Python snippet.
    public static func python(_ code: String, _ arguments: [String] = []) throws -> Result {
        try run(python, ["-c", code] + arguments)
    }
}

/// The `tripline` binary SwiftPM built beside the test bundle.
public func triplineBinary() throws -> String {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("tripline").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    let fallback = FileManager.default.currentDirectoryPath + "/.build/debug/tripline"
    guard FileManager.default.isExecutableFile(atPath: fallback) else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "tripline binary next to \(CommandLine.arguments[0])"])
    }
    return fallback
}

/// Carries the stderr bytes from the thread that reads them (the semaphore orders the accesses).
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
