import Foundation
import Testing
import TriplineCore
@testable import TriplineIngest

/// The real CloudTrail files: the gzipped envelopes give the same events as the NDJSON copy.
@Suite("Real CloudTrail data")
struct RealDataTests {
    @Test("records-gz/ gives byte-for-byte the events of the NDJSON file, in order")
    func gzipEnvelopesMatchNDJSON() throws {
        let dir = IngestTestSupport.invictus.appendingPathComponent("records-gz").path
        let ndjson = IngestTestSupport.invictus.appendingPathComponent("invictus-aws-dataset.ndjson").path
        let (gzEvents, gzReports) = try IngestTestSupport.readAll([dir], threads: 2)
        let (lineEvents, lineReports) = try IngestTestSupport.readAll([ndjson])
        #expect(gzReports.count == 55)
        #expect(gzReports.allSatisfy { $0.gzip && $0.format == .envelope && $0.problems.isEmpty })
        #expect(lineReports.allSatisfy { $0.format == .ndjson })
        #expect(gzEvents.count == 2900)
        #expect(lineEvents.count == 2900)
        // The NDJSON copy was re-serialised by Python, which rewrote two floats (1.688560107857E9 became
        // 1688560107.857); every other record is byte-equal, and those two are equal as JSON.
        let mismatches = zip(gzEvents, lineEvents).filter { $0.bytes != $1.bytes }
        #expect(mismatches.count <= 2)
        for (a, b) in mismatches {
            let x = try JSONSerialization.jsonObject(with: Data(a.bytes)) as? NSDictionary
            let y = try JSONSerialization.jsonObject(with: Data(b.bytes)) as? NSDictionary
            #expect(x != nil && x == y, "record \(a.source.line) of \(a.source.input)")
        }
        // Record numbers restart in each file; offsets point at the record's '{' in the uncompressed file.
        #expect(gzEvents.first?.source.line == 1)
        #expect(gzEvents.first?.source.offset == 12)
        let total = gzReports.reduce(into: InputCounters()) { $0 += $1.counters }
        #expect(total.events == 2900)
        #expect(total.bytesRead < total.uncompressedBytes)
    }

    @Test("threads do not change the result", arguments: [1, 2, 3, 8])
    func threadsAgree(_ threads: Int) throws {
        let dir = IngestTestSupport.sharedDirectory.appendingPathComponent("data/cloudtrail").path
        var options = IngestOptions()
        options.splitThreshold = 100_000
        options.rangeSize = 70_000
        let (one, _) = try IngestTestSupport.readAll([dir], threads: 1, options: options)
        let (many, _) = try IngestTestSupport.readAll([dir], threads: threads, options: options)
        #expect(one.count >= 3777 + 2900)  // plus the lines of LICENSE, NOTICE and label files
        #expect(one == many)
    }
}
