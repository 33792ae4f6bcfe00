import Foundation
import Gzip
import Testing

/// The whole-stream decompressor: multi-member streams, trailing bytes, damage after good output.
@Suite("GzipDecompressor")
struct GzipDecompressorTests {
    /// decompressAll runs the decompressor over `gz` with reads of at most `readSize` bytes.
    static func decompressAll(_ gz: [UInt8], readSize: Int = 1 << 16) throws -> (out: [UInt8], summary: GzipStreamSummary) {
        var offset = 0
        var out: [UInt8] = []
        let summary = try GzipDecompressor().decompress(
            from: { buffer in
                let n = min(readSize, gz.count - offset, buffer.count)
                for i in 0..<n { buffer[i] = gz[offset + i] }
                offset += n
                return n
            },
            into: { out.append(contentsOf: $0) })
        return (out, summary)
    }

    @Test("agrees with zlib on single members", arguments: ["text:9", "random:6", "zeros:9", "empty:9", "text:name"])
    func singleMember(_ recipe: String) throws {
        let (gz, raw) = try GzipReaderTests.pythonGzip(recipe)
        let (out, summary) = try Self.decompressAll(gz)
        #expect(out == raw)
        #expect(summary.outputBytes == raw.count)
        #expect(summary.inputBytes == gz.count)
        #expect(summary.trailingBytes == 0)
    }

    @Test("reads every member of a concatenated stream, as gunzip does", arguments: [1, 7, 4096, 1 << 16])
    func multiMember(_ readSize: Int) throws {
        let (a, rawA) = try GzipReaderTests.pythonGzip("text:9")
        let (b, rawB) = try GzipReaderTests.pythonGzip("ab:9")
        let (e, _) = try GzipReaderTests.pythonGzip("empty:9")
        let (out, summary) = try Self.decompressAll(a + e + b + a, readSize: readSize)
        #expect(out == rawA + rawB + rawA)
        #expect(summary.trailingBytes == 0)
    }

    @Test("trailing bytes that are not a member are counted, not decoded")
    func trailingGarbage() throws {
        let (a, rawA) = try GzipReaderTests.pythonGzip("text:6")
        let (out, summary) = try Self.decompressAll(a + [0, 0, 0, 0, 0])
        #expect(out == rawA)
        #expect(summary.trailingBytes == 5)
        #expect(try Self.decompressAll(a + [0x1f]).summary.trailingBytes == 1)
    }

    @Test("a cut-off second member is truncated, after the first member's output")
    func truncatedSecondMember() throws {
        let (a, rawA) = try GzipReaderTests.pythonGzip("text:6")
        for cut in [2, 5, 10, 30, a.count / 2, a.count - 1] {
            var out: [UInt8] = []
            var offset = 0
            let gz = a + a[0..<cut]
            #expect(throws: GzipError.truncated) {
                _ = try GzipDecompressor().decompress(
                    from: { buffer in
                        let n = min(buffer.count, gz.count - offset)
                        for i in 0..<n { buffer[i] = gz[offset + i] }
                        offset += n
                        return n
                    },
                    into: { out.append(contentsOf: $0) })
            }
            #expect(out.starts(with: rawA))
        }
    }

    @Test("damage anywhere is an error, never a crash")
    func damage() throws {
        let (gz, _) = try GzipReaderTests.pythonGzip("text:6")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var bad = gz + gz
            let i = Int.random(in: 10..<bad.count, using: &rng)
            bad[i] ^= UInt8.random(in: 1...255, using: &rng)
            _ = try? Self.decompressAll(bad)
        }
        for cut in stride(from: 0, to: gz.count, by: max(1, gz.count / 50)) {
            #expect(throws: GzipError.self) { try Self.decompressAll(Array(gz[0..<cut])) }
        }
        #expect(throws: GzipError.notGzip) { try Self.decompressAll(Array("{\"Records\":[]}".utf8)) }
    }

    @Test("the output cap applies across members")
    func capAcrossMembers() throws {
        let (z, _) = try GzipReaderTests.pythonGzip("zeros:9")
        #expect(throws: GzipError.outputLimitExceeded) {
            try (z + z).withUnsafeBytes { try GzipDecompressor(maxOutput: 1_500_000).decompress($0, into: { _ in }) }
        }
    }
}
