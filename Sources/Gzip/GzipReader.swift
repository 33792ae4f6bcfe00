/// What a gzip decompression run saw.
public struct GzipSummary: Sendable, Hashable {
    /// Bytes of uncompressed output of the first member.
    public var outputBytes: Int
    /// Bytes of input after the end of the first member (another member, padding, or anything else).
    public var trailingBytes: Int
}

/// Decompresses the first member of a gzip stream, with a cap on the output.
///
/// CloudTrail hashes the uncompressed bytes of the *first* gzip member, and anything after that member
/// makes a file invalid, so the reader stops at the end of the first member and reports how many bytes
/// follow it instead of going on to the next member as `gunzip` does. The output cap stops gzip bombs:
/// decompression throws ``GzipError/outputLimitExceeded`` as soon as the output would pass it, having
/// produced at most the cap plus one 256 KiB chunk internally.
///
/// ```swift
/// let reader = GzipReader(maxOutput: 256 << 20)
/// var hasher = SHA256()
/// let summary = try reader.decompressFirstMember(
///     from: { buffer in try file.read(into: buffer) },
///     into: { chunk in hasher.update(bufferPointer: chunk) })
/// if summary.trailingBytes > 0 { /* reject */ }
/// ```
///
/// Memory: a 64 KiB input buffer and a 288 KiB output buffer per call, whatever the stream size.
public struct GzipReader: Sendable {
    /// The largest number of uncompressed bytes a call may produce.
    public var maxOutput: Int

    /// Creates a reader.
    /// - Parameter maxOutput: the output cap in bytes; `Int.max` for none.
    public init(maxOutput: Int = .max) {
        precondition(maxOutput >= 0, "maxOutput must not be negative")
        self.maxOutput = maxOutput
    }

    /// Decompresses the first gzip member read from `source`, handing the output to `body` in chunks.
    ///
    /// - Parameters:
    ///   - source: fills the buffer it is given and returns the byte count; `0` means end of input.
    ///     After the first member it is read to its end so that the trailing bytes can be counted.
    ///   - body: receives each chunk of output (at most 256 KiB); the buffer is valid only during the call.
    /// - Returns: the output size and the number of bytes after the first member.
    /// - Throws: ``GzipError`` for malformed, truncated or oversized streams, and whatever `source` or
    ///   `body` throw.
    /// - Complexity: O(input + output).
    public func decompressFirstMember(
        from source: (UnsafeMutableRawBufferPointer) throws -> Int,
        into body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> GzipSummary {
        try withoutActuallyEscaping(source) { source in
            try withoutActuallyEscaping(body) { body in
                let inflater = Inflater(maxOutput: maxOutput, read: source, emit: body)
                var trailing = try inflater.run()
                var scratch = [UInt8](repeating: 0, count: 64 * 1024)
                while true {
                    let n = try scratch.withUnsafeMutableBytes { try source($0) }
                    if n <= 0 { break }
                    trailing += n
                }
                return GzipSummary(outputBytes: inflater.totalOut, trailingBytes: trailing)
            }
        }
    }
}

/// Decompresses the first gzip member of `bytes` in memory.
///
/// ```swift
/// let (json, trailing) = try gunzipFirstMember(data, maxOutput: 256 << 20)
/// ```
///
/// - Parameters:
///   - bytes: the whole gzip file.
///   - maxOutput: the output cap in bytes.
/// - Returns: the uncompressed bytes of the first member and the number of bytes after it.
/// - Throws: ``GzipError``.
/// - Complexity: O(input + output).
public func gunzipFirstMember(
    _ bytes: some Collection<UInt8>,
    maxOutput: Int
) throws -> (output: [UInt8], trailingBytes: Int) {
    let input = Array(bytes)
    var offset = 0
    var output: [UInt8] = []
    let summary = try input.withUnsafeBytes { all in
        try GzipReader(maxOutput: maxOutput).decompressFirstMember(
            from: { buffer in
                let n = min(buffer.count, all.count - offset)
                if n > 0 {
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: all[offset..<offset + n]))
                }
                offset += n
                return n
            },
            into: { chunk in output.append(contentsOf: chunk) })
    }
    return (output, summary.trailingBytes)
}
