/// Limits and sizes for reading inputs.
///
/// ```swift
/// var options = IngestOptions()
/// options.maxLineLength = 256 * 1024  // CloudWatch Logs' event size limit
/// ```
public struct IngestOptions: Sendable, Hashable {
    /// The longest event, in bytes, that is delivered; longer lines (and compacted envelope records) are
    /// counted in ``InputCounters/oversizedLines`` and skipped. Default 1 MiB; CloudWatch Logs' own
    /// limit is 256 KiB.
    public var maxLineLength: Int = 1 << 20
    /// The deepest nesting of objects and arrays allowed inside one envelope record.
    public var maxEnvelopeDepth: Int = 128
    /// The largest uncompressed size of one gzip input (a gzip bomb stops there with an error).
    public var maxUncompressedBytes: Int = .max
    /// The size of the read buffer each worker owns.
    public var readBufferSize: Int = 1 << 20
    /// The bytes of a split file mapped at a time (see ``splitThreshold``); 0 reads the ranges with
    /// `pread` instead. Mapped pages count toward the resident size, so keep it a few MiB.
    public var mappedWindowSize: Int = 4 << 20
    /// Plain NDJSON files at least this large are split into byte ranges for parallel reading.
    public var splitThreshold: Int = 64 << 20
    /// The target size of one byte range of a split file: small enough that threads finish close
    /// together and `backtest` holds little out of order, large enough that opening a range is noise.
    public var rangeSize: Int = 8 << 20

    /// Creates the default options.
    public init() {}
}
