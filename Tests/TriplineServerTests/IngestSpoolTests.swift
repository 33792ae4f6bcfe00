import Foundation
import Testing
@testable import TriplineServer

/// The spool between `POST /ingest` and the pipeline: order, limits, segments, and resuming.
@Suite struct IngestSpoolTests {
    /// Reads everything available, chunk by chunk as the sidecar does; returns the lines with their numbers.
    func drain(_ spool: IngestSpool) -> [(String, Int)] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
        defer { buffer.deallocate() }
        var lines: [(String, Int)] = []
        while let chunk = spool.readChunk(into: buffer) {
            for index in 0..<chunk.oversized { lines.append(("<oversized>", chunk.firstLine + index)) }
            var pieces = buffer[0..<chunk.length].split(separator: 0x0A, omittingEmptySubsequences: false)
            if chunk.length > 0, buffer[chunk.length - 1] == 0x0A { pieces.removeLast() }  // after the last newline
            for (index, line) in pieces.enumerated() where !line.isEmpty {
                let number = chunk.firstLine + chunk.oversized + index
                lines.append((line.count > spool.maxLineLength ? "<oversized>" : String(decoding: line, as: UTF8.self), number))
            }
        }
        return lines
    }

    func batch(_ range: Range<Int>) -> [UInt8] {
        Array(range.map { #"{"n":\#($0)}"# + "\n" }.joined().utf8)
    }

    @Test func linesComeOutInOrderAcrossSegments() throws {
        let directory = temporaryDirectory("spool")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Tiny segments: most batches start a new one. A 64-byte read buffer splits lines across reads.
        let spool = try IngestSpool(directory: directory, limit: 1 << 20, segmentSize: 100, resumeAt: nil)
        for start in stride(from: 0, to: 100, by: 10) { #expect(try spool.append(batch(start..<start + 10)) == .accepted) }
        let lines = drain(spool)
        #expect(lines.map(\.0) == (0..<100).map { #"{"n":\#($0)}"# })
        #expect(lines.map(\.1) == Array(1...100))
        #expect(spool.backlog == 0)
        #expect(IngestSpool.segments(in: directory).count > 5)
        spool.discard(before: spool.position)
        #expect(IngestSpool.segments(in: directory).count == 1)
    }

    @Test func aFullSpoolRefusesUntilRead() throws {
        let directory = temporaryDirectory("spool")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let limit = batch(0..<10).count + batch(10..<20).count
        let spool = try IngestSpool(directory: directory, limit: limit, resumeAt: nil)
        #expect(try spool.append(batch(0..<10)) == .accepted)
        #expect(try spool.append(batch(10..<20)) == .accepted)  // exactly at the limit
        #expect(try spool.append(batch(20..<21)) == .full)
        _ = drain(spool)
        #expect(try spool.append(batch(20..<21)) == .accepted)
        // A batch larger than the whole limit still goes in when nothing waits, so it cannot be refused forever.
        _ = drain(spool)
        #expect(try spool.append(batch(0..<100)) == .accepted)
        spool.stop()
        #expect(try spool.append(batch(0..<1)) == .stopped)
    }

    @Test func aRestartResumesAtTheCheckpointedPosition() throws {
        let directory = temporaryDirectory("spool")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var position: SpoolPosition
        do {
            let spool = try IngestSpool(directory: directory, limit: 1 << 20, segmentSize: 150, resumeAt: nil)
            _ = try spool.append(batch(0..<10))
            _ = try spool.append(batch(10..<20))
            let first = drain(spool)
            #expect(first.count == 20)
            position = spool.position  // the checkpoint
            _ = try spool.append(batch(20..<30))  // accepted, not read before the "crash"
        }
        let resumed = try IngestSpool(directory: directory, limit: 1 << 20, segmentSize: 150, resumeAt: position)
        #expect(resumed.backlog == batch(20..<30).count)
        _ = try resumed.append(batch(30..<35))
        let lines = drain(resumed)
        #expect(lines.map(\.0) == (20..<35).map { #"{"n":\#($0)}"# })
        #expect(lines.map(\.1) == Array(21...35))
    }

    @Test func concurrentAppendsAreAllKeptWhole() throws {
        let directory = temporaryDirectory("spool")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spool = try IngestSpool(directory: directory, limit: 64 << 20, segmentSize: 4096, resumeAt: nil)
        DispatchQueue.concurrentPerform(iterations: 40) { index in
            _ = try? spool.append(batch(index * 25..<(index + 1) * 25))
        }
        let lines = drain(spool).map(\.0)
        #expect(lines.count == 1000)
        #expect(Set(lines) == Set((0..<1000).map { #"{"n":\#($0)}"# }))
        // Each batch stays contiguous: group commit never interleaves two appends.
        for index in 0..<40 {
            let first = try #require(lines.firstIndex(of: #"{"n":\#(index * 25)}"#))
            #expect(Array(lines[first..<first + 25]) == (index * 25..<(index + 1) * 25).map { #"{"n":\#($0)}"# })
        }
    }

    @Test func oversizedLinesAreCountedNotDelivered() throws {
        let directory = temporaryDirectory("spool")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spool = try IngestSpool(directory: directory, limit: 1 << 20, maxLineLength: 50, resumeAt: nil)
        _ = try spool.append(Array(("{\"a\":1}\n" + String(repeating: "x", count: 500) + "\n{\"a\":2}\n").utf8))
        #expect(drain(spool).map(\.0) == [#"{"a":1}"#, "<oversized>", #"{"a":2}"#])
    }
}
