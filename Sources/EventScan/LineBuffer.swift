#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a byte stream into lines, with absolute offsets and line numbers, in bounded memory.
///
/// Feed chunks as they arrive with ``append(_:_:onOversized:)``; complete lines are passed to `onLine`
/// as they are found. Each byte is scanned once: a line that lies entirely inside one chunk is passed
/// straight from the chunk without copying, and only the partial line at the end of a chunk is kept
/// (copied once) until its newline arrives. Call ``finish(_:onOversized:)`` at the end of the stream
/// to flush a last line that has no newline.
///
/// - Line endings: a line ends at `\n`. A `\r` right before the `\n` is **stripped**, as the
///   CloudWatch agent does, so CRLF and LF input give the same lines. Other `\r` bytes are kept.
/// - Line numbers start at 1; offsets are absolute byte offsets, counted from the first byte ever
///   appended, of the line's first byte.
/// - A line longer than ``maxLineLength`` bytes (counting everything before its `\n`, including a
///   `\r`) is reported to `onOversized` with its number, offset and length instead. Its bytes are
///   discarded as they arrive, so the buffer never holds more than `maxLineLength` bytes; numbering
///   continues normally after it.
///
/// ```swift
/// var lines = LineBuffer(maxLineLength: 1 << 20)
/// chunk.withUnsafeBytes { bytes in
///     lines.append(bytes, { line, number, offset in handle(line) },
///                  onOversized: { number, offset, length in report(number) })
/// }
/// ```
///
/// `LineBuffer` is `~Copyable`: it is the single owner of its buffer; pass it `borrowing` or
/// `consuming`.
public struct LineBuffer: ~Copyable {
    /// The longest line, in bytes before its `\n`, that is passed to `onLine`.
    public let maxLineLength: Int
    /// The bytes of the current partial line (empty while discarding an oversized one).
    private var partial: [UInt8] = []
    /// Whether the current partial line has grown past `maxLineLength` and is being discarded.
    private var discarding = false
    /// The length so far of the oversized line being discarded.
    private var discardedLength = 0
    /// The absolute offset of the current line's first byte.
    private var lineStart = 0
    /// The absolute offset of the next byte to be appended.
    private var consumed = 0
    /// The number the current (next complete) line will get.
    public private(set) var nextLineNumber = 1

    /// Creates an empty line buffer.
    ///
    /// - Parameters:
    ///   - maxLineLength: The longest line passed to `onLine`; longer ones are reported as oversized.
    ///   - initialCapacity: Bytes reserved up front for partial lines (at most `maxLineLength` are used).
    public init(maxLineLength: Int = 262_144 * 4, initialCapacity: Int = 1 << 20) {
        precondition(maxLineLength >= 0, "LineBuffer: maxLineLength must not be negative")
        self.maxLineLength = maxLineLength
        partial.reserveCapacity(min(max(initialCapacity, 0), maxLineLength))
    }

    /// The absolute offset just past the last line delivered or reported: where reading would resume
    /// to lose nothing. A checkpoint should store this, not the number of bytes appended.
    public var completedOffset: Int { lineStart }

    /// The number of bytes held for a partial line that has no newline yet.
    public var bufferedCount: Int { partial.count }

    /// Scans `chunk` for newlines, passing each completed line to `onLine`.
    ///
    /// - Parameters:
    ///   - chunk: The next bytes of the stream.
    ///   - onLine: Receives the line (without `\n` and a `\r` before it; valid only during the call),
    ///     its number and the absolute offset of its first byte.
    ///   - onOversized: Receives the number, offset and length (bytes before `\n`) of a line longer
    ///     than ``maxLineLength``.
    /// - Complexity: O(`chunk.count`), plus one copy of a trailing partial line.
    public mutating func append(
        _ chunk: UnsafeRawBufferPointer,
        _ onLine: (_ line: UnsafeRawBufferPointer, _ lineNumber: Int, _ offset: Int) -> Void,
        onOversized: (_ lineNumber: Int, _ offset: Int, _ length: Int) -> Void
    ) {
        var segmentStart = 0
        while let newline = Self.newline(in: chunk, from: segmentStart) {
            endSegment(chunk, segmentStart..<newline, onLine, onOversized: onOversized)
            segmentStart = newline &+ 1
        }
        keepTail(chunk, from: segmentStart)
    }

    /// As ``append(_:_:onOversized:)``, but asks `measure` first where each line that starts in
    /// `chunk` ends, and searches for the newline only when it cannot tell.
    ///
    /// A consumer that reads each line anyway (a validator does) finds its newline on the way, so
    /// the bytes are not read twice.
    ///
    /// - Parameter measure: Receives the bytes from a line's start (at most ``maxLineLength`` + 1 of
    ///   them) and returns the offset of the first newline among them, or nil to let the buffer
    ///   search. It must never return an offset past the first newline. Its answer is checked
    ///   to point at a newline; a wrong one is ignored.
    public mutating func append(
        _ chunk: UnsafeRawBufferPointer,
        measuring measure: (_ bytes: UnsafeRawBufferPointer) -> Int?,
        _ onLine: (_ line: UnsafeRawBufferPointer, _ lineNumber: Int, _ offset: Int) -> Void,
        onOversized: (_ lineNumber: Int, _ offset: Int, _ length: Int) -> Void
    ) {
        var segmentStart = 0
        while segmentStart < chunk.count {
            // A line that starts here with nothing held before it is measured in place.
            if partial.isEmpty && !discarding {
                let limit = min(chunk.count, segmentStart &+ maxLineLength &+ 1)
                let rest = UnsafeRawBufferPointer(rebasing: chunk[segmentStart..<limit])
                if let length = measure(rest), length >= 0, length < rest.count, rest[length] == ASCII.newline {
                    onLine(Self.strippingCarriageReturn(UnsafeRawBufferPointer(rebasing: rest[..<length])), nextLineNumber, lineStart)
                    segmentStart &+= length &+ 1
                    nextLineNumber &+= 1
                    lineStart = consumed &+ segmentStart
                    continue
                }
            }
            // Otherwise this one line goes the usual way.
            guard let newline = Self.newline(in: chunk, from: segmentStart) else { break }
            endSegment(chunk, segmentStart..<newline, onLine, onOversized: onOversized)
            segmentStart = newline &+ 1
        }
        keepTail(chunk, from: segmentStart)
    }

    /// Ends the line whose last bytes are `segment` of `chunk` (its newline follows): delivers it, or
    /// reports it as oversized.
    @inline(__always)
    private mutating func endSegment(
        _ chunk: UnsafeRawBufferPointer, _ segment: Range<Int>,
        _ onLine: (_ line: UnsafeRawBufferPointer, _ lineNumber: Int, _ offset: Int) -> Void,
        onOversized: (_ lineNumber: Int, _ offset: Int, _ length: Int) -> Void
    ) {
        let bytes = UnsafeRawBufferPointer(rebasing: chunk[segment])
        let length = (discarding ? discardedLength : partial.count) &+ bytes.count
        if discarding || length > maxLineLength {
            onOversized(nextLineNumber, lineStart, length)
        } else if partial.isEmpty {
            onLine(Self.strippingCarriageReturn(bytes), nextLineNumber, lineStart)
        } else {
            partial.append(contentsOf: bytes)
            partial.withUnsafeBytes { onLine(Self.strippingCarriageReturn($0), nextLineNumber, lineStart) }
        }
        endLine(nextStart: consumed &+ segment.upperBound &+ 1)
    }

    /// Keeps the bytes of `chunk` from `start` on, a line without its newline yet, and counts the
    /// chunk as consumed.
    @inline(__always)
    private mutating func keepTail(_ chunk: UnsafeRawBufferPointer, from start: Int) {
        let rest = UnsafeRawBufferPointer(rebasing: chunk[start...])
        if discarding {
            discardedLength &+= rest.count
        } else if partial.count &+ rest.count > maxLineLength {
            discarding = true
            discardedLength = partial.count &+ rest.count
            partial.removeAll(keepingCapacity: true)
        } else {
            partial.append(contentsOf: rest)
        }
        consumed &+= chunk.count
    }

    /// Ends the stream: passes a last line that has no newline, if there is one.
    ///
    /// Afterwards the buffer is empty and can take a new stream; offsets and line numbers continue.
    ///
    /// - Parameters:
    ///   - onLine: Receives the last line, its number and offset, as in ``append(_:_:onOversized:)``.
    ///   - onOversized: Receives the number, offset and length of a last line that was too long.
    public mutating func finish(
        _ onLine: (_ line: UnsafeRawBufferPointer, _ lineNumber: Int, _ offset: Int) -> Void,
        onOversized: (_ lineNumber: Int, _ offset: Int, _ length: Int) -> Void
    ) {
        if discarding {
            onOversized(nextLineNumber, lineStart, discardedLength)
        } else if !partial.isEmpty {
            partial.withUnsafeBytes { onLine(Self.strippingCarriageReturn($0), nextLineNumber, lineStart) }
        } else {
            return
        }
        endLine(nextStart: consumed)
    }

    /// Forgets the current line and moves on to the next number, starting at `nextStart`.
    private mutating func endLine(nextStart: Int) {
        // Most lines never touch `partial`; emptying an empty array still costs a call per line.
        if !partial.isEmpty { partial.removeAll(keepingCapacity: true) }
        discarding = false
        discardedLength = 0
        nextLineNumber &+= 1
        lineStart = nextStart
    }

    /// The offset of the next newline: libc's memchr, which uses the widest vectors the processor has.
    @inline(__always)
    private static func newline(in chunk: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < chunk.count, let base = chunk.baseAddress,
            let found = memchr(base.advanced(by: start), Int32(ASCII.newline), chunk.count &- start)
        else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// `line` without a final `\r`.
    private static func strippingCarriageReturn(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let last = line.last, last == ASCII.carriageReturn else { return line }
        return UnsafeRawBufferPointer(rebasing: line.dropLast())
    }
}
