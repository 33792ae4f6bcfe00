import FilterPattern
import Foundation
import MetricFilters

/// Where the repository and the shared specs live, found from this file's path so tests
/// need no bundle resources (CI clones the repository beside `shared/`).
enum Paths {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")
    static let snapshots = testsDirectory.appendingPathComponent("Snapshots")
}

/// Compiles `pattern` and matches it against `line`, with the prefilter off.
func matches(_ pattern: CompiledPattern, _ line: String) -> Bool {
    matches(pattern, Array(line.utf8))
}

func matches(_ pattern: CompiledPattern, _ bytes: [UInt8]) -> Bool {
    var scratch = MatchScratch()
    return bytes.withUnsafeBytes { raw in
        var event = LogEvent(raw)
        return pattern.matches(&event, scratch: &scratch)
    }
}

/// Whether the prefilter lets `line` through.
func passesPrefilter(_ pattern: CompiledPattern, _ line: String) -> Bool {
    Array(line.utf8).withUnsafeBytes { pattern.prefilter.mayMatch($0) }
}

/// The diagnostic id a pattern is rejected with, or nil when it compiles.
func rejection(_ pattern: String) -> DiagnosticID? {
    do {
        _ = try CompiledPattern(pattern)
        return nil
    } catch {
        return error.diagnostic.id
    }
}

/// Compares `actual` with the golden file `name` in Snapshots/. With TRIPLINE_RECORD_SNAPSHOTS=1
/// the file is rewritten and the check fails, so every new baseline is reviewed.
func assertSnapshot(_ actual: String, named name: String) -> String? {
    let url = Paths.snapshots.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["TRIPLINE_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: Paths.snapshots, withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        return "recorded \(name); review it and run again without TRIPLINE_RECORD_SNAPSHOTS"
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        return "missing snapshot \(name); run with TRIPLINE_RECORD_SNAPSHOTS=1 to record it"
    }
    guard expected != actual else { return nil }
    let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, pair) in zip(expectedLines, actualLines).enumerated() where pair.0 != pair.1 {
        return "snapshot \(name) differs at line \(index + 1):\n- \(pair.0)\n+ \(pair.1)"
    }
    return "snapshot \(name) differs in length: \(expectedLines.count) vs \(actualLines.count) lines"
}
