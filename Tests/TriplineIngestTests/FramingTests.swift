import Foundation
import PropertyBased
import Testing
import TriplineCore
@testable import TriplineIngest

/// Framing: chunk boundaries and byte ranges never change the events, their numbers or offsets.
@Suite("Framing")
struct FramingTests {
    /// text builds NDJSON-ish content from line lengths: empty lines, CRLF endings, no final newline.
    static func text(_ lengths: [Int]) -> [UInt8] {
        var out: [UInt8] = []
        for (i, length) in lengths.enumerated() {
            out += #"{"i":\#(i),"p":""#.utf8
            out += Array(repeating: UInt8(ascii: "a") + UInt8(i % 26), count: length)
            out += #""}"#.utf8
            if i % 7 == 3 { out += "\n".utf8 }  // an empty line
            if i % 5 == 1 { out += "\r".utf8 }
            if i != lengths.count - 1 || length % 2 == 0 { out += "\n".utf8 }
        }
        return out
    }

    @Test("byte by byte, random chunks and all at once give the same events")
    func chunkings() async {
        await propertyCheck(input: Gen.int(in: 0...300).array(of: 0...40), Gen.int(in: 1...97).array(of: 1...8)) { lengths, chunks in
            let bytes = Self.text(lengths)
            let whole = IngestTestSupport.decode(bytes, chunks: [max(bytes.count, 1)]).events
            #expect(IngestTestSupport.decode(bytes, chunks: [1]).events == whole)
            #expect(IngestTestSupport.decode(bytes, chunks: chunks).events == whole)
            #expect(whole.count == lengths.count)
            // Offsets point at each line's first byte.
            #expect(whole.allSatisfy { bytes[$0.source.offset] == UInt8(ascii: "{") })
        }
    }

    @Test("splitting a file into N line-aligned ranges gives the events of one pass, N = 1...8")
    func ranges() async throws {
        let dir = IngestTestSupport.temporaryDirectory()
        await propertyCheck(count: 40, input: Gen.int(in: 0...400).array(of: 0...80)) { lengths in
            let bytes = Self.text(lengths)
            let path = try IngestTestSupport.write(bytes, "split.ndjson", in: dir)
            let input = Input(name: path, source: .file(path: path, size: bytes.count))
            let reader = InputReader()
            var onePass: [Event] = []
            _ = reader.read(WorkUnit(inputIndex: 0, input: input)) { onePass.append(Event(bytes: Array($0), source: $1)) }
            for n in 1...8 {
                let ranges = WorkPlan.lineAlignedRanges(path: path, size: bytes.count, count: n)
                #expect(ranges.count <= n)
                #expect(ranges.first?.lowerBound ?? 0 == 0 && ranges.last?.upperBound ?? 0 == bytes.count)
                let plan = WorkPlan(units: ranges.map { WorkUnit(inputIndex: 0, input: input, range: $0) })
                for threads in [1, 3] {
                    let results = IngestRunner.run(plan, threads: threads) { CollectingWorker() }
                    var events: [Event] = []
                    for result in results {
                        events += result.output.map { e in
                            var e = e
                            e.source.line += result.lineBase
                            return e
                        }
                    }
                    #expect(events == onePass, "n = \(n), ranges \(ranges)")
                }
            }
        }
    }

    @Test("a large plain NDJSON file is planned as ranges; gzip and envelopes are whole")
    func planning() throws {
        let dir = IngestTestSupport.temporaryDirectory()
        let bytes = Self.text(Array(repeating: 100, count: 2000))
        let plain = try IngestTestSupport.write(bytes, "a.ndjson", in: dir)
        let gz = try IngestTestSupport.write(try IngestTestSupport.gzip(bytes), "b.gz", in: dir)
        let envelope = try IngestTestSupport.write(Array(("{\"Records\":[" + String(repeating: "{\"a\":1},", count: 30_000) + "{}]}").utf8), "c.json", in: dir)
        var options = IngestOptions()
        options.splitThreshold = 10_000
        options.rangeSize = 50_000
        let plan = WorkPlan(inputs: try InputSet(arguments: [plain, gz, envelope]), options: options)
        #expect(plan.units.filter { $0.inputIndex == 0 }.count == (bytes.count + 49_999) / 50_000)
        #expect(plan.units.filter { $0.inputIndex == 1 }.map(\.range) == [nil])
        #expect(plan.units.filter { $0.inputIndex == 2 }.map(\.range) == [nil])
    }
}
