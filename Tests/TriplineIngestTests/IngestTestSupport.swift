import Foundation
import TriplineCore
@testable import TriplineIngest

/// One delivered event, copied out of the callback.
struct Event: Hashable, CustomStringConvertible {
    var bytes: [UInt8]
    var source: EventReference
    var text: String { String(decoding: bytes, as: UTF8.self) }
    var description: String { "\(source.input):\(source.line)@\(source.offset) \(text)" }
}

/// Shared helpers: the data folder, temporary folders, reading everything.
enum IngestTestSupport {
    /// `shared/` beside the repository (CI clones the repo with shared/ next to it).
    static let sharedDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared")

    static var invictus: URL {
        sharedDirectory.appendingPathComponent("data/cloudtrail/invictus-ir-aws-dataset")
    }

    /// A fresh temporary folder.
    static func temporaryDirectory(_ name: String = "tripline-ingest") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `bytes` to `name` in `dir` and returns the path.
    @discardableResult
    static func write(_ bytes: [UInt8], _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// gzip compresses with Python's gzip module (level 9, mtime 0).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let dir = temporaryDirectory("tripline-gz")
        let input = try write(bytes, "in", in: dir)
        let output = dir.appendingPathComponent("out.gz").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", "import gzip,sys; open(sys.argv[2],'wb').write(gzip.compress(open(sys.argv[1],'rb').read(), 9, mtime=0))", input, output]
        try process.run()
        process.waitUntilExit()
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    /// Reads every unit of `arguments` on `threads` threads, returning the events (line numbers made
    /// absolute) and the per-unit reports.
    static func readAll(_ arguments: [String], threads: Int = 1, options: IngestOptions = IngestOptions()) throws -> (events: [Event], reports: [UnitReport]) {
        let inputs = try InputSet(arguments: arguments)
        let plan = WorkPlan(inputs: inputs, options: options)
        let results = IngestRunner.run(plan, threads: threads, options: options) { CollectingWorker() }
        var events: [Event] = []
        for result in results {
            for var e in result.output {
                e.source.line += result.lineBase
                events.append(e)
            }
        }
        return (events, results.map(\.report))
    }

    /// Feeds `bytes` to a decoder in the given chunk sizes (cycled) and collects the events.
    static func decode(_ bytes: [UInt8], chunks: [Int], options: IngestOptions = IngestOptions()) -> (events: [Event], decoder: EventDecoder) {
        let decoder = EventDecoder(input: "mem", options: options)
        var events: [Event] = []
        var i = 0
        var k = 0
        bytes.withUnsafeBytes { all in
            while i < all.count {
                let n = min(max(chunks[k % chunks.count], 1), all.count - i)
                decoder.feed(UnsafeRawBufferPointer(rebasing: all[i..<i + n])) { line, source in
                    events.append(Event(bytes: Array(line), source: source))
                }
                i += n
                k += 1
            }
        }
        decoder.finish { line, source in events.append(Event(bytes: Array(line), source: source)) }
        return (events, decoder)
    }
}

/// A worker that copies every event (tests only: a real worker matches in place).
final class CollectingWorker: IngestWorker {
    var events: [Event] = []
    func consume(_ line: UnsafeRawBufferPointer, source: EventReference) {
        events.append(Event(bytes: Array(line), source: source))
    }
    func finishUnit(_ unit: WorkUnit, report: UnitReport) -> [Event] {
        defer { events = [] }
        return events
    }
}
