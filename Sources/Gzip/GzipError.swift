/// A problem found while decompressing a gzip stream.
///
/// Compare with the static members (`error == .truncated`); the ``message`` carries detail for people.
public struct GzipError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case notGzip, unsupported, truncated, corrupt, checksumMismatch, outputLimitExceeded
    }

    private let code: Code
    /// A lowercase sentence saying what is wrong.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The input does not start with the gzip magic bytes `1f 8b`.
    public static let notGzip = GzipError(.notGzip, "not a gzip stream (it does not start with 1f 8b)")
    /// The header names a compression method or flag this reader does not know.
    public static let unsupported = GzipError(.unsupported, "unsupported gzip header")
    /// The input ended before the first member did.
    public static let truncated = GzipError(.truncated, "truncated gzip stream")
    /// The DEFLATE data is malformed.
    public static let corrupt = GzipError(.corrupt, "corrupt DEFLATE data")
    /// The CRC-32 or length in the gzip trailer does not match the data.
    public static let checksumMismatch = GzipError(.checksumMismatch, "gzip trailer does not match the data")
    /// Decompression stopped at the caller's output cap (a gzip bomb, or a cap set too low).
    public static let outputLimitExceeded = GzipError(.outputLimitExceeded, "uncompressed size exceeds the limit")

    static func unsupported(_ detail: String) -> GzipError { GzipError(.unsupported, "unsupported gzip header: \(detail)") }
    static func corrupt(_ detail: String) -> GzipError { GzipError(.corrupt, "corrupt DEFLATE data: \(detail)") }
    static func outputLimit(_ limit: Int) -> GzipError {
        GzipError(.outputLimitExceeded, "uncompressed size exceeds the limit of \(limit) bytes")
    }

    public var description: String { message }

    public static func == (lhs: GzipError, rhs: GzipError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
