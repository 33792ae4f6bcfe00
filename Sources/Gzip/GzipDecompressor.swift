/// What a whole-stream decompression saw.
public struct GzipStreamSummary: Sendable, Hashable {
    /// Bytes of compressed input consumed, including any trailing bytes.
    public var inputBytes: Int
    /// Bytes of uncompressed output, over all members.
    public var outputBytes: Int
    /// Bytes after the last member that do not start another one (zero padding, garbage).
    ///
    /// `gunzip` warns about them ("trailing garbage ignored") and keeps the output; so does this reader.
    public var trailingBytes: Int
}

/// Decompresses a whole gzip stream for ingest: every member, in bounded memory.
///
/// Unlike ``GzipReader`` (which stops after the first member, as CloudTrail's digest rules demand), this
/// reads concatenated members to the end, as `gunzip` does: they are legal gzip and some S3 tools write
/// them. Input is pulled through `source` into a 64 KiB buffer; output is pushed to `body` in chunks of
/// at most 256 KiB, with the 32 KiB DEFLATE window kept in front of the chunk. Memory stays at about
/// 350 KiB per call whatever the stream size.
///
/// ```swift
/// let decompressor = GzipDecompressor(maxOutput: 64 << 30)
/// let summary = try decompressor.decompress(
///     from: { buffer in read(fd, buffer.baseAddress, buffer.count) },
///     into: { chunk in lines.append(chunk, onLine, onOversized: onOversized) })
/// ```
///
/// The API pulls input rather than being fed it: the inflater keeps its position inside a block in local
/// variables for speed, so it cannot return in the middle of one. A reader that has the bytes in hand
/// (a file, a pipe, memory) is a `source` closure; see ``decompress(_:into:)`` for a buffer in memory.
public struct GzipDecompressor: Sendable {
    /// The largest number of uncompressed bytes a call may produce (over all members).
    public var maxOutput: Int

    /// Creates a decompressor.
    /// - Parameter maxOutput: the output cap in bytes; `Int.max` for none.
    public init(maxOutput: Int = .max) {
        precondition(maxOutput >= 0, "maxOutput must not be negative")
        self.maxOutput = maxOutput
    }

    /// Decompresses every member read from `source`, handing the output to `body` in chunks.
    ///
    /// Output already passed to `body` stays valid when a later part of the stream turns out corrupt or
    /// truncated: the error is thrown after it, so a reader can keep the events before the damage.
    ///
    /// - Parameters:
    ///   - source: fills the buffer it is given and returns the byte count; `0` means end of input.
    ///   - body: receives each chunk of output (at most 256 KiB); the buffer is valid only during the call.
    /// - Returns: input, output and trailing byte counts.
    /// - Throws: ``GzipError`` (`.notGzip`, `.unsupported`, `.truncated`, `.corrupt`, `.checksumMismatch`,
    ///   `.outputLimitExceeded`), and whatever `source` or `body` throw.
    /// - Complexity: O(input + output).
    public func decompress(
        from source: (UnsafeMutableRawBufferPointer) throws -> Int,
        into body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> GzipStreamSummary {
        try withoutActuallyEscaping(source) { source in
            try withoutActuallyEscaping(body) { body in
                let inflater = Inflater(maxOutput: maxOutput, read: source, emit: body)
                let trailing = try inflater.runAll()
                return GzipStreamSummary(
                    inputBytes: inflater.inputBytesRead, outputBytes: inflater.totalOut, trailingBytes: trailing)
            }
        }
    }

    /// Decompresses every member of a gzip stream held in memory.
    ///
    /// - Parameters:
    ///   - bytes: the whole compressed stream.
    ///   - body: receives each chunk of output, as in ``decompress(from:into:)``.
    /// - Returns: input, output and trailing byte counts.
    /// - Throws: ``GzipError``, and whatever `body` throws.
    public func decompress(
        _ bytes: UnsafeRawBufferPointer,
        into body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> GzipStreamSummary {
        var offset = 0
        return try decompress(
            from: { buffer in
                let n = min(buffer.count, bytes.count - offset)
                if n > 0 {
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n]))
                }
                offset += n
                return n
            },
            into: body)
    }

    /// Whether `bytes` start with the gzip magic number `1f 8b`.
    public static func hasMagic(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }
}
