import Foundation
import Testing
import TriplineCore
@testable import TriplineIngest

/// The `{"Records":[...]}` reader: layouts, awkward strings, faults, limits.
@Suite("Envelope reader")
struct EnvelopeTests {
    static let records = [
        #"{"eventVersion":"1.08","eventName":"GetObject","requestParameters":{"key":"a]b}c\"d","list":[1,[2,{"x":"]"}]]},"n":null}"#,
        #"{"eventName":"Put Object","s":"tab\there \\ and \"quoted\" { [ spaces  ","e":[],"o":{}}"#,
        #"{"eventName":"ConsoleLogin","additionalEventData":{"MFAUsed":"No"},"u":"\u00e9 é"}"#,
    ]

    /// pretty re-indents compact JSON (outside strings) the way json.dumps(indent=2) would.
    static func pretty(_ compact: String) -> String {
        var out = ""
        var depth = 0
        var inString = false
        var escaped = false
        for c in compact {
            if inString {
                out.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            switch c {
            case "\"": inString = true; out.append(c)
            case "{", "[":
                depth += 1
                out += "\(c)\n" + String(repeating: "  ", count: depth)
            case "}", "]":
                depth -= 1
                out += "\n" + String(repeating: "  ", count: depth) + "\(c)"
            case ",": out += ",\n" + String(repeating: "  ", count: depth)
            case ":": out += ": "
            default: out.append(c)
            }
        }
        return out
    }

    static let oneLine = #"{"Records":["# + records.joined(separator: ",") + "]}"
    static let prettyEnvelope = pretty(oneLine) + "\n"

    @Test("one-line and pretty-printed envelopes give the compact records", arguments: [oneLine, prettyEnvelope, "\r\n  " + prettyEnvelope.replacingOccurrences(of: "\n", with: "\r\n")])
    func layouts(_ text: String) {
        let (events, decoder) = IngestTestSupport.decode(Array(text.utf8), chunks: [1 << 20])
        #expect(events.map(\.text) == Self.records)
        #expect(events.map(\.source.line) == [1, 2, 3])
        #expect(decoder.problems.isEmpty)
        #expect(decoder.format == .envelope)
        // The offset points at the record's opening brace.
        let bytes = Array(text.utf8)
        #expect(events.allSatisfy { bytes[$0.source.offset] == UInt8(ascii: "{") })
    }

    @Test("chunking does not change the records")
    func chunking() {
        let bytes = Array(Self.prettyEnvelope.utf8)
        let whole = IngestTestSupport.decode(bytes, chunks: [bytes.count]).events
        for chunks in [[1], [2, 3], [7, 1, 13], [64]] {
            #expect(IngestTestSupport.decode(bytes, chunks: chunks).events == whole)
        }
    }

    @Test("other members, empty arrays and several envelopes in a row")
    func variants() {
        let text = #"{ "Records" : [ ] }{"Records":[{"a":1}],"extra":{"x":[1,"]"]},"n":5,"s":"}"}"# + "\n" + #"{"Records":[{"b":2}]}"#
        let (events, decoder) = IngestTestSupport.decode(Array(text.utf8), chunks: [3])
        #expect(events.map(\.text) == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(events.map(\.source.line) == [1, 2])
        #expect(decoder.problems.isEmpty)
    }

    struct Fault: CustomTestStringConvertible, Sendable {
        var id: String
        var text: String
        var good: Int
        var testDescription: String { id }
    }

    static let faults: [Fault] = [
        .init(id: "truncated in a record", text: #"{"Records":[{"a":1},{"b":"#, good: 1),
        .init(id: "truncated after a record", text: #"{"Records":[{"a":1}"#, good: 1),
        .init(id: "mismatched bracket", text: #"{"Records":[{"a":1},{"b":[1}]}"#, good: 1),
        .init(id: "record not an object", text: #"{"Records":[{"a":1},2]}"#, good: 1),
        .init(id: "missing comma", text: #"{"Records":[{"a":1} {"b":2}]}"#, good: 1),
        .init(id: "Records not an array", text: #"{"Records":{"a":1}}"#, good: 0),
        .init(id: "garbage after envelope", text: #"{"Records":[{"a":1}]} x"#, good: 1),
    ]

    @Test("a malformed envelope is reported with its position; records before it are kept", arguments: faults)
    func malformed(_ fault: Fault) {
        let (events, decoder) = IngestTestSupport.decode(Array(fault.text.utf8), chunks: [5])
        #expect(events.count == fault.good)
        #expect(decoder.counters.envelopeErrors == 1)
        #expect(decoder.problems.count == 1)
        if case .envelope(_, let offset)? = decoder.problems.first?.kind {
            #expect(offset >= 0 && offset <= fault.text.utf8.count)
        } else {
            Issue.record("expected an envelope problem, got \(decoder.problems)")
        }
    }

    @Test("depth is bounded; an oversized record is counted and skipped")
    func limits() {
        var options = IngestOptions()
        options.maxEnvelopeDepth = 10
        let deep = #"{"Records":[{"a":"# + String(repeating: "[", count: 100_000) + "]}"
        let (events, decoder) = IngestTestSupport.decode(Array(deep.utf8), chunks: [4096], options: options)
        #expect(events.isEmpty)
        #expect(decoder.counters.envelopeErrors == 1)

        options.maxLineLength = 20
        let text = #"{"Records":[{"a":1},{"big":"0123456789012345678901234567890"},{"b":2}]}"#
        let (small, d2) = IngestTestSupport.decode(Array(text.utf8), chunks: [3], options: options)
        #expect(small.map(\.text) == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(small.map(\.source.line) == [1, 3])
        #expect(d2.counters.oversizedLines == 1)
        #expect(d2.problems.isEmpty)
    }

    @Test("a first key other than Records means NDJSON")
    func detection() {
        let ndjson = "{\"eventName\":\"A\"}\n\n{\"Records\":1}\n"
        let (events, decoder) = IngestTestSupport.decode(Array(ndjson.utf8), chunks: [1])
        #expect(decoder.format == .ndjson)
        #expect(events.map(\.source.line) == [1, 3])  // the empty line keeps its number
        #expect(IngestTestSupport.decode(Array("   \n  ".utf8), chunks: [1]).events.isEmpty)
    }
}
