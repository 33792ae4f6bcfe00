import Foundation
import Gzip
import Testing
import TriplineCore
@testable import TriplineIngest

/// Bad inputs are reported by name and the other inputs are still read.
@Suite("Bad input")
struct BadInputTests {
    static let ndjson = Array(((1...50).map { #"{"eventName":"E\#($0)","n":\#($0)}"# }.joined(separator: "\n") + "\n").utf8)

    @Test("a truncated or corrupt gzip file is reported; the other inputs are read")
    func damagedGzip() throws {
        let dir = IngestTestSupport.temporaryDirectory()
        let gz = try IngestTestSupport.gzip(Self.ndjson)
        let good = try IngestTestSupport.write(Self.ndjson, "a-good.ndjson", in: dir)
        let truncated = try IngestTestSupport.write(Array(gz[0..<(gz.count * 2 / 3)]), "b-truncated.gz", in: dir)
        var corrupt = gz
        corrupt[corrupt.count - 6] ^= 0xFF  // damage the trailer's length
        let corruptPath = try IngestTestSupport.write(corrupt, "c-corrupt.gz", in: dir)
        let good2 = try IngestTestSupport.write(gz + gz, "d-two-members.gz", in: dir)
        let (events, reports) = try IngestTestSupport.readAll([good, truncated, corruptPath, good2], threads: 2)
        #expect(reports.map(\.counters.gzipErrors) == [0, 1, 1, 0])
        #expect(reports[1].problems.first?.input == truncated)
        #expect(reports[1].problems.first?.kind == .gzip(.truncated))
        #expect(reports[2].problems.first?.kind == .gzip(.checksumMismatch))
        #expect(reports[1].counters.events < 50)
        #expect(reports[2].counters.events == 50)  // every line was out before the trailer was checked
        #expect(reports[3].counters.events == 100)
        #expect(events.filter { $0.source.input == good }.count == 50)
        #expect(events.filter { $0.source.input == good2 }.map(\.source.line) == Array(1...100))
        #expect(reports[1].problems.first.map { "\($0)" }?.contains("b-truncated.gz") == true)
    }

    @Test("missing and unreadable inputs are one error listing every path, before reading")
    func missing() throws {
        let dir = IngestTestSupport.temporaryDirectory()
        let good = try IngestTestSupport.write(Self.ndjson, "good.ndjson", in: dir)
        let missing1 = dir.appendingPathComponent("nope.ndjson").path
        let missing2 = dir.appendingPathComponent("nope/deeper.gz").path
        do {
            _ = try InputSet(arguments: [good, missing1, "-", missing2])
            Issue.record("expected an InputError")
        } catch {
            #expect(error.problems.map(\.path) == [missing1, missing2])
            #expect(error.problems.allSatisfy { $0.reason == "no such file or directory" })
            #expect(error.description.contains("cannot read 2 inputs"))
        }
    }

    @Test("a folder reads its files recursively in name order, skipping hidden files")
    func folders() throws {
        let dir = IngestTestSupport.temporaryDirectory()
        try IngestTestSupport.write(Array("{\"n\":2}\n".utf8), "b/2.json", in: dir)
        try IngestTestSupport.write(Array("{\"n\":1}\n".utf8), "a/1.json", in: dir)
        try IngestTestSupport.write(Array("{\"n\":3}\n".utf8), "c.json", in: dir)
        try IngestTestSupport.write(Array("{\"n\":0}\n".utf8), ".hidden", in: dir)
        try IngestTestSupport.write(Array("{\"n\":0}\n".utf8), "CloudTrail-Digest/d.json", in: dir)
        let set = try InputSet(arguments: [dir.path])
        #expect(set.inputs.map { URL(fileURLWithPath: $0.name).lastPathComponent } == ["1.json", "2.json", "c.json"])
        #expect(try InputSet(arguments: []).inputs == [Input(name: "-", source: .standardInput)])
    }

    @Test("an oversized line is counted and reading goes on")
    func oversized() throws {
        var options = IngestOptions()
        options.maxLineLength = 100
        let text = "{\"a\":1}\n" + String(repeating: "x", count: 10_000) + "\n{\"b\":2}\n" + String(repeating: "y", count: 500)
        let (events, decoder) = IngestTestSupport.decode(Array(text.utf8), chunks: [37], options: options)
        #expect(events.map(\.text) == ["{\"a\":1}", "{\"b\":2}"])
        #expect(events.map(\.source.line) == [1, 3])
        #expect(decoder.counters.oversizedLines == 2)
    }
}
