/// How an input's bytes are laid out, decided from its first bytes (never from its name).
public enum InputFormat: Sendable, Hashable {
    /// One event per line.
    case ndjson
    /// A CloudTrail log file as delivered to S3: `{"Records":[...]}`, one line or pretty-printed.
    case envelope

    /// Decides the format of a (decompressed) stream from its first bytes.
    ///
    /// The stream is an envelope when its first non-whitespace byte is `{` and the next non-whitespace
    /// bytes are `"Records"`; otherwise it is NDJSON.
    ///
    /// - Parameters:
    ///   - prefix: the first bytes of the stream.
    ///   - atEnd: whether `prefix` is the whole stream.
    /// - Returns: the format, or `nil` when `prefix` is too short to tell.
    public static func detect(_ prefix: UnsafeRawBufferPointer, atEnd: Bool) -> InputFormat? {
        var i = 0
        let n = prefix.count
        @inline(__always) func skipSpace() {
            while i < n, prefix[i] == 0x20 || prefix[i] == 0x0A || prefix[i] == 0x0D || prefix[i] == 0x09 { i += 1 }
        }
        skipSpace()
        if i == n { return atEnd ? .ndjson : nil }
        if prefix[i] != UInt8(ascii: "{") { return .ndjson }
        i += 1
        skipSpace()
        if i == n { return atEnd ? .ndjson : nil }
        let key = #""Records""#.utf8
        for expected in key {
            if i == n { return atEnd ? .ndjson : nil }
            if prefix[i] != expected { return .ndjson }
            i += 1
        }
        return .envelope
    }
}
