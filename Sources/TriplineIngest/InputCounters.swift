public import Gzip

/// What reading one input (or one part of it) counted.
///
/// Counters add up: the counters of an input's work units, summed with `+=`, are the input's counters.
public struct InputCounters: Sendable, Hashable {
    /// Bytes read from disk or stdin: compressed bytes for a gzip input.
    public var bytesRead = 0
    /// Bytes after decompression (equal to ``bytesRead`` for plain inputs).
    public var uncompressedBytes = 0
    /// Events delivered.
    public var events = 0
    /// Lines or envelope records longer than ``IngestOptions/maxLineLength``, skipped.
    public var oversizedLines = 0
    /// Gzip streams that turned out corrupt or truncated (the events before the damage were delivered).
    public var gzipErrors = 0
    /// Envelopes that turned out malformed (the records before the fault were delivered).
    public var envelopeErrors = 0
    /// Read errors after the input was opened.
    public var readErrors = 0

    /// Creates zero counters.
    public init() {}

    /// Adds `other` to `self`, field by field.
    public static func += (lhs: inout InputCounters, rhs: InputCounters) {
        lhs.bytesRead += rhs.bytesRead
        lhs.uncompressedBytes += rhs.uncompressedBytes
        lhs.events += rhs.events
        lhs.oversizedLines += rhs.oversizedLines
        lhs.gzipErrors += rhs.gzipErrors
        lhs.envelopeErrors += rhs.envelopeErrors
        lhs.readErrors += rhs.readErrors
    }
}

/// A problem with one input found while reading it. Reading of the other inputs goes on.
public struct InputProblem: Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem.
    public enum Kind: Sendable, Hashable {
        /// The gzip stream is corrupt or truncated.
        case gzip(GzipError)
        /// Bytes after the last gzip member that are not another member (ignored, as `gunzip` does).
        case gzipTrailingBytes(Int)
        /// The `{"Records":[...]}` envelope is malformed; `offset` is in the uncompressed stream.
        case envelope(message: String, offset: Int)
        /// `read(2)` failed with this `errno`.
        case read(errno: Int32)
        /// The file was cut to `size` bytes by someone else while it was read (a copytruncate
        /// rotation, say): the lines past that are gone, and the one cut there was dropped.
        case shrank(size: Int)
    }

    /// The input's name.
    public var input: String
    /// The problem.
    public var kind: Kind

    /// Creates a problem report.
    public init(input: String, kind: Kind) {
        self.input = input
        self.kind = kind
    }

    /// A one-line message naming the input, for people.
    public var description: String {
        switch kind {
        case .gzip(let error): "\(input): \(error.message); events before the damage were read"
        case .gzipTrailingBytes(let n): "\(input): \(n) bytes after the last gzip member ignored"
        case .envelope(let message, let offset):
            "\(input): malformed CloudTrail envelope at byte \(offset): \(message); the rest of this input was skipped"
        case .read(let errno): "\(input): read failed (errno \(errno))"
        case .shrank(let size):
            "\(input): the file shrank to \(size) bytes while it was read (truncated by another process?); the lines past that were not read"
        }
    }

    /// `problems` without repeats, in first-seen order: the parts of one split file that found the
    /// same thing report it once. A file that shrank is reported once, with the first size seen
    /// (a writer may have grown it again between the parts).
    public static func distinct(_ problems: [InputProblem]) -> [InputProblem] {
        var seen = Set<InputProblem>()
        var shrunk = Set<String>()
        return problems.filter { problem in
            if case .shrank = problem.kind { return shrunk.insert(problem.input).inserted }
            return seen.insert(problem).inserted
        }
    }
}
