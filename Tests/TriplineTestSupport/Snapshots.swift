public import Foundation

/// Compares `actual` with the golden file `name` in `directory`; nil when they match, else what
/// differs. With TRIPLINE_RECORD_SNAPSHOTS=1 the file is rewritten and the check fails, so every
/// new baseline is reviewed.
public func compareWithSnapshot(_ actual: String, named name: String, in directory: URL) -> String? {
    let url = directory.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["TRIPLINE_RECORD_SNAPSHOTS"] == "1" {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
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
