import Foundation
import Gzip

/// One `POST /ingest` body turned into NDJSON: one event per line, ready for the spool.
///
/// Accepted shapes, as log collectors send them:
/// - NDJSON (Fluent Bit `json_lines`, Vector's `newline_delimited` framing and `text` codec), passed
///   through; lines that are not JSON stay, and are counted as malformed when read, as in a file;
/// - objects back to back with no separator (Fluent Bit `json_stream`): each object becomes a line;
/// - a JSON array of events (Fluent Bit `json`, Vector's JSON framing): each element becomes a line;
/// - a CloudTrail log file, `{"Records":[...]}` (one or several in a row): each record becomes a line.
///
/// An array or envelope element is written on one line: newlines between its tokens become spaces.
/// A body whose array or envelope structure is broken (truncated, unbalanced) is refused whole, so a
/// batch is never half accepted.
struct IngestBody {
    /// The NDJSON bytes, every line ending in `\n`; empty when the body passes through as it is.
    var lines: [UInt8]
    /// The number of non-empty lines.
    var events: Int
    /// Whether the (decompressed) body itself is the NDJSON to spool, unchanged: no copy is made.
    var passThrough = false
    /// With `passThrough`: a `\n` must follow the body.
    var needsNewline = false

    /// The spooled bytes of a pass-through body (tests and the gzip path).
    static func spooled(_ body: UnsafeRawBufferPointer, _ decoded: IngestBody) -> [UInt8] {
        guard decoded.passThrough else { return decoded.lines }
        return [UInt8](body) + (decoded.needsNewline ? [0x0A] : [])
    }

    /// Decodes `body`, first gunzipping it when `gzip` is set or it starts with the gzip magic number.
    /// - Throws: ``IngestBodyError`` for corrupt gzip, a decompressed size over `maxDecompressedSize`,
    ///   or a broken array or envelope.
    static func decode(_ body: UnsafeRawBufferPointer, gzip: Bool, maxDecompressedSize: Int) throws(IngestBodyError) -> IngestBody {
        guard gzip || GzipDecompressor.hasMagic(body) else { return try normalize(body) }
        var plain: [UInt8] = []
        do {
            _ = try GzipDecompressor(maxOutput: maxDecompressedSize).decompress(body) { chunk in
                plain.append(contentsOf: chunk)
            }
        } catch let error as GzipError {
            if error == .outputLimitExceeded {
                throw IngestBodyError(.tooLarge, "the body decompresses to more than \(maxDecompressedSize) bytes")
            }
            throw IngestBodyError(.undecodable, "the gzip body cannot be decompressed: \(error)")
        } catch {
            throw IngestBodyError(.undecodable, "the gzip body cannot be decompressed: \(error)")
        }
        let result = plain.withUnsafeBytes { bytes in Result { () throws(IngestBodyError) in try normalize(bytes) } }
        var decoded = try result.get()
        guard decoded.passThrough else { return decoded }
        // NDJSON: the decompressed bytes are the lines; no second copy.
        if decoded.needsNewline { plain.append(0x0A) }
        decoded.lines = plain
        decoded.passThrough = false
        decoded.needsNewline = false
        return decoded
    }

    /// Picks the shape from the first non-blank byte and converts.
    static func normalize(_ body: UnsafeRawBufferPointer) throws(IngestBodyError) -> IngestBody {
        var start = 0
        // A UTF-8 byte order mark is not part of the first event.
        if body.count >= 3, body[0] == 0xEF, body[1] == 0xBB, body[2] == 0xBF { start = 3 }
        var first = start
        while first < body.count, JSONSplitter.isBlank(body[first]) { first += 1 }
        guard first < body.count else { return IngestBody(lines: [], events: 0) }
        var splitter = JSONSplitter(body, at: first)
        if body[first] == UInt8(ascii: "[") {
            try splitter.splitArray()
            try splitter.expectEnd()
            return IngestBody(lines: splitter.output, events: splitter.events)
        }
        if body[first] == UInt8(ascii: "{"), splitter.startsWithRecordsKey() {
            while splitter.hasMore {
                try splitter.splitEnvelope()
            }
            return IngestBody(lines: splitter.output, events: splitter.events)
        }
        let rest = UnsafeRawBufferPointer(rebasing: body[start...])
        // `}{` outside NDJSON's line breaks means objects sent back to back (json_stream). Split them
        // as a stream of values; if the body is not one (a broken or non-JSON line), keep it as lines.
        if body[first] == UInt8(ascii: "{"), containsAdjacentObjects(rest) {
            var stream = JSONSplitter(body, at: first)
            if (try? stream.splitObjectStream()) != nil { return IngestBody(lines: stream.output, events: stream.events) }
        }
        let decoded = passThrough(rest)
        // Spooled as sent, unless a byte order mark must go (rare): then the lines are copied.
        return start == 0 ? decoded : IngestBody(lines: spooled(rest, decoded), events: decoded.events)
    }

    /// Whether `}{` occurs anywhere (a cheap test before the string-aware split).
    static func containsAdjacentObjects(_ body: UnsafeRawBufferPointer) -> Bool {
        guard let base = body.baseAddress else { return false }
        var index = 0
        while index + 1 < body.count {
            guard let found = memchr(base + index, Int32(UInt8(ascii: "}")), body.count - index - 1) else { return false }
            let position = base.distance(to: UnsafeRawPointer(found))
            if body[position + 1] == UInt8(ascii: "{") { return true }
            index = position + 1
        }
        return false
    }

    /// NDJSON as sent: counts the non-blank lines; `needsNewline` when the last one has no `\n`.
    static func passThrough(_ body: UnsafeRawBufferPointer) -> IngestBody {
        var events = 0
        var start = 0
        if let base = body.baseAddress {
            while start < body.count {
                let end = memchr(base + start, 0x0A, body.count - start).map { base.distance(to: UnsafeRawPointer($0)) } ?? body.count
                // A line counts unless it is all blanks (lines almost always start with `{`).
                var index = start
                while index < end, JSONSplitter.isBlank(body[index]) { index += 1 }
                if index < end { events += 1 }
                start = end + 1
            }
        }
        return IngestBody(lines: [], events: events, passThrough: true, needsNewline: body.last.map { $0 != 0x0A } ?? false)
    }
}

/// Why a body was refused.
struct IngestBodyError: Error, CustomStringConvertible {
    enum Kind { case undecodable, tooLarge }
    var kind: Kind
    var message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    var description: String { message }
}
