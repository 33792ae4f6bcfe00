import Foundation
import TriplineTestSupport

/// Runs the built `tripline` binary, as a user would, and captures what it prints.
enum CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: Data
    }

    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")
    static let examples = repository.appendingPathComponent("Examples")

    /// The binary beside the test bundle (SwiftPM builds it for this test target).
    static let binary: URL = {
        if let override = ProcessInfo.processInfo.environment["TRIPLINE_BIN"] {
            return URL(fileURLWithPath: override)
        }
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for directory in candidates {
            let url = directory.appendingPathComponent("tripline")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return candidates[0].appendingPathComponent("tripline")
    }()

    /// Runs `tripline arguments`, feeding `stdin`. Stdin and stderr go through temporary files,
    /// so large inputs need no writer thread.
    static func run(_ arguments: [String], stdin: Data = Data()) throws -> Result {
        let directory = FileManager.default.temporaryDirectory
        let inputURL = directory.appendingPathComponent("tripline-stdin-\(UUID())")
        let errorURL = directory.appendingPathComponent("tripline-stderr-\(UUID())")
        defer {
            try? FileManager.default.removeItem(at: inputURL)
            try? FileManager.default.removeItem(at: errorURL)
        }
        try stdin.write(to: inputURL)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let output = Pipe()
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = (try? Data(contentsOf: errorURL)) ?? Data()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self), stdoutBytes: outData)
    }

    /// Compares with a golden file in Snapshots/; TRIPLINE_RECORD_SNAPSHOTS=1 records and fails.
    static func snapshotProblem(_ actual: String, named name: String) -> String? {
        compareWithSnapshot(actual, named: name, in: testsDirectory.appendingPathComponent("Snapshots"))
    }
}
