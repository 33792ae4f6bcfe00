import Foundation
import Testing
@testable import TriplineServer

/// `POST /ingest` bodies: every shape a collector sends becomes the same NDJSON lines.
@Suite struct IngestBodyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var body: String
        var lines: [String]
        var testDescription: String { name }
    }

    static let accepted: [Case] = [
        Case(name: "NDJSON", body: "{\"a\":1}\n{\"a\":2}\n", lines: [#"{"a":1}"#, #"{"a":2}"#]),
        Case(name: "NDJSON without a final newline", body: "{\"a\":1}\n{\"a\":2}", lines: [#"{"a":1}"#, #"{"a":2}"#]),
        Case(name: "NDJSON with CRLF and blank lines", body: "{\"a\":1}\r\n\r\n{\"a\":2}\r\n", lines: ["{\"a\":1}\r", "\r", "{\"a\":2}\r"]),
        Case(name: "text lines stay (term patterns see them)", body: "not json\n{\"a\":1}\n", lines: ["not json", #"{"a":1}"#]),
        Case(name: "array", body: #"[{"a":1},{"a":2}]"#, lines: [#"{"a":1}"#, #"{"a":2}"#]),
        Case(
            name: "pretty-printed array", body: "[\n  {\n    \"a\": 1,\n    \"b\": [1, 2]\n  },\n  {\"a\": \"x,]}\"}\n]\n",
            lines: [#"{     "a": 1,     "b": [1, 2]   }"#, #"{"a": "x,]}"}"#]),
        Case(name: "empty array", body: " [ ] ", lines: []),
        Case(name: "array of scalars and strings with escapes", body: #"[1, "q\"]", null]"#, lines: ["1", #""q\"]""#, "null"]),
        Case(name: "Records envelope", body: #"{"Records":[{"eventID":"1"},{"eventID":"2"}]}"#, lines: [#"{"eventID":"1"}"#, #"{"eventID":"2"}"#]),
        Case(
            name: "two envelopes in a row, other members skipped",
            body: "{\"Records\":[{\"e\":1}],\"x\":{\"Records\":[9]}}\n{\"Records\":[],\"y\":[1,{\"z\":\"}\"}]}\n{\"Records\":[{\"e\":2}]}",
            lines: [#"{"e":1}"#, #"{"e":2}"#]),
        Case(name: "concatenated objects (Fluent Bit json_stream)", body: #"{"a":1}{"a":"}{"}{"b":[{}]}"#, lines: [#"{"a":1}"#, #"{"a":"}{"}"#, #"{"b":[{}]}"#]),
        Case(name: "pretty-printed objects in a row", body: "{\n \"a\": 1\n}{\n \"a\": 2\n}\n", lines: [#"{  "a": 1 }"#, #"{  "a": 2 }"#]),
        Case(name: "a broken object in a stream stays a line of its own", body: "{\"a\":1}{\"a\"\n{\"b\":2}\n", lines: [#"{"a":1}{"a""#, #"{"b":2}"#]),
        Case(name: "byte order mark", body: "\u{FEFF}[{\"a\":1}]", lines: [#"{"a":1}"#]),
        Case(name: "empty body", body: "", lines: []),
        Case(name: "blank body", body: " \n\t ", lines: []),
    ]

    @Test(arguments: accepted)
    func accepts(_ testCase: Case) throws {
        let raw = Array(testCase.body.utf8)
        let body = try decode(raw, gzip: false)
        let spooled = raw.withUnsafeBytes { IngestBody.spooled($0, body) }
        // Split bytes, not Characters: "\r\n" is one Character.
        let lines = spooled.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
            .map { String(decoding: $0, as: UTF8.self) }
        #expect(lines == testCase.lines)
        if !spooled.isEmpty { #expect(spooled.last == UInt8(ascii: "\n")) }
        #expect(body.events == testCase.lines.filter { !$0.allSatisfy(\.isWhitespace) }.count)
    }

    static let refused: [(String, String)] = [
        ("truncated array", #"[{"a":1},{"a":"#),
        ("array without closing bracket", #"[{"a":1}"#),
        ("missing comma", #"[{"a":1} {"a":2}]"#),
        ("garbage after the array", #"[{"a":1}] trailing"#),
        ("truncated envelope", #"{"Records":[{"a":1}"#),
        ("envelope member without a name", #"{"Records":[], 5}"#),
        ("unterminated string in an array", #"["abc"#),
    ]

    @Test(arguments: refused.map(\.1))
    func refusesBrokenStructure(_ body: String) {
        #expect(throws: IngestBodyError.self) { try decode(Array(body.utf8), gzip: false) }
    }

    @Test func gzipIsDecodedWithOrWithoutTheHeader() throws {
        let plain = Array(#"[{"a":1},{"a":2}]"#.utf8)
        let compressed = try gzip(plain)
        for header in [true, false] {
            let body = try decode(compressed, gzip: header)
            #expect(String(decoding: body.lines, as: UTF8.self) == "{\"a\":1}\n{\"a\":2}\n")
        }
    }

    @Test func corruptGzipIsRefused() throws {
        var compressed = try gzip(Array(repeating: UInt8(ascii: "x"), count: 10_000))
        compressed.removeLast(12)
        #expect(throws: IngestBodyError.self) { try decode(compressed, gzip: true) }
        #expect(throws: IngestBodyError.self) { try decode(Array("not gzip".utf8), gzip: true) }
    }

    @Test func gzipBombStopsAtTheLimit() throws {
        let compressed = try gzip(Array(repeating: UInt8(ascii: "\n"), count: 8 << 20))
        #expect(compressed.count < 64 << 10)
        let error = #expect(throws: IngestBodyError.self) {
            try compressed.withUnsafeBytes { try IngestBody.decode($0, gzip: true, maxDecompressedSize: 1 << 20) }
        }
        #expect(error?.kind == .tooLarge)
    }

    @Test func deepNestingCostsNoStack() throws {
        let depth = 100_000
        let body = "[" + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "]"
        let decoded = try decode(Array(body.utf8), gzip: false)
        #expect(decoded.events == 1)
    }

    private func decode(_ bytes: [UInt8], gzip: Bool) throws -> IngestBody {
        try bytes.withUnsafeBytes { try IngestBody.decode($0, gzip: gzip, maxDecompressedSize: 64 << 20) }
    }
}

/// Compresses with the system's gzip (the test's oracle; Tripline's own Gzip target only inflates).
func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -c"]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    let writer = Thread {
        input.fileHandleForWriting.write(Data(bytes))
        try? input.fileHandleForWriting.close()
    }
    writer.start()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return [UInt8](data)
}
