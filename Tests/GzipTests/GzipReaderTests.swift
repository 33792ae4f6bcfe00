import Foundation
import Gzip
import Testing
import TriplineTestSupport

/// The inflater against Python's zlib, plus the first-member rule and the limits.
@Suite("GzipReader")
struct GzipReaderTests {
    /// gzip runs Python's gzip on generated data and returns (compressed, uncompressed).
    static func pythonGzip(_ recipe: String) throws -> (gz: [UInt8], raw: [UInt8]) {
        let code = """
            import gzip, random, sys, zlib, base64, json
            rng = random.Random(1)
            recipe = sys.argv[1]
            kind, level = recipe.split(':')
            if kind == 'random': raw = bytes(rng.getrandbits(8) for _ in range(200000))
            elif kind == 'text': raw = b''.join(b'{"eventName":"Get%d","n":%d}\\n' % (rng.randrange(50), i) for i in range(40000))
            elif kind == 'zeros': raw = bytes(1000000)
            elif kind == 'empty': raw = b''
            else: raw = bytes(rng.choice(b'ab') for _ in range(300000))
            if level == 'name':
                import io
                buf = io.BytesIO()
                with gzip.GzipFile(filename='x.json', mode='wb', fileobj=buf, mtime=0) as f: f.write(raw)
                gz = buf.getvalue()
            else:
                gz = gzip.compress(raw, compresslevel=int(level), mtime=0)
            print(json.dumps([base64.b64encode(gz).decode(), base64.b64encode(raw).decode()]))
            """
        let r = try Subprocess.python(code, [recipe])
        let parts = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String])
        return ([UInt8](try #require(Data(base64Encoded: parts[0]))), [UInt8](try #require(Data(base64Encoded: parts[1]))))
    }

    @Test("agrees with zlib", arguments: ["text:9", "text:1", "text:6", "random:6", "random:0", "zeros:9", "ab:9", "empty:9", "text:name"])
    func agreesWithZlib(_ recipe: String) throws {
        let (gz, raw) = try Self.pythonGzip(recipe)
        let (out, trailing) = try gunzipFirstMember(gz, maxOutput: .max)
        #expect(out == raw)
        #expect(trailing == 0)
    }

    @Test("streaming with tiny reads gives the same bytes")
    func tinyReads() throws {
        let (gz, raw) = try Self.pythonGzip("text:9")
        var offset = 0
        var out: [UInt8] = []
        let summary = try GzipReader().decompressFirstMember(
            from: { buffer in
                let n = min(3, gz.count - offset, buffer.count)
                for i in 0..<n { buffer[i] = gz[offset + i] }
                offset += n
                return n
            },
            into: { out.append(contentsOf: $0) })
        #expect(out == raw)
        #expect(summary.outputBytes == raw.count)
    }

    @Test("stops after the first member and counts what follows")
    func secondMember() throws {
        let (a, rawA) = try Self.pythonGzip("text:9")
        let (b, _) = try Self.pythonGzip("ab:9")
        let (out, trailing) = try gunzipFirstMember(a + b, maxOutput: .max)
        #expect(out == rawA)
        #expect(trailing == b.count)
        #expect(try gunzipFirstMember(a + [0], maxOutput: .max).trailingBytes == 1)
    }

    @Test("truncation at any point is an error, never a crash")
    func truncated() throws {
        let (gz, _) = try Self.pythonGzip("text:6")
        for cut in stride(from: 0, to: gz.count, by: max(1, gz.count / 97)) {
            #expect(throws: GzipError.self) { try gunzipFirstMember(gz[0..<cut], maxOutput: .max) }
        }
        #expect(throws: GzipError.truncated) { try gunzipFirstMember(gz.dropLast(1), maxOutput: .max) }
    }

    @Test("corrupted bytes are errors, never crashes")
    func corrupted() throws {
        let (gz, _) = try Self.pythonGzip("text:6")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var bad = gz
            let i = Int.random(in: 10..<bad.count, using: &rng)
            bad[i] ^= UInt8.random(in: 1...255, using: &rng)
            _ = try? gunzipFirstMember(bad, maxOutput: 10 << 20)
        }
        var crc = gz
        crc[crc.count - 8] ^= 1
        #expect(throws: GzipError.checksumMismatch) { try gunzipFirstMember(crc, maxOutput: .max) }
        #expect(throws: GzipError.notGzip) { try gunzipFirstMember(Array("{}".utf8), maxOutput: .max) }
        #expect(throws: GzipError.unsupported) { try gunzipFirstMember([0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 0], maxOutput: .max) }
    }

    @Test("a gzip bomb stops at the output cap")
    func bomb() throws {
        let (gz, raw) = try Self.pythonGzip("zeros:9")
        #expect(gz.count < 2000 && raw.count == 1_000_000)
        #expect(throws: GzipError.outputLimitExceeded) { try gunzipFirstMember(gz, maxOutput: 100_000) }
        #expect(try gunzipFirstMember(gz, maxOutput: 1_000_000).output.count == 1_000_000)
    }
}
