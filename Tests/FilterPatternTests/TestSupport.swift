import FilterPattern
import Foundation
import MetricFilters
import TriplineTestSupport

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


/// Compares with a golden file in Snapshots/; TRIPLINE_RECORD_SNAPSHOTS=1 records and fails.
func assertSnapshot(_ actual: String, named name: String) -> String? {
    compareWithSnapshot(actual, named: name, in: Paths.snapshots)
}
