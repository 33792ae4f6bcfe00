internal import CMappedInput
internal import Glibc
internal import Gzip
public import TriplineCore

/// What reading one work unit produced besides its events.
public struct UnitReport: Sendable, Hashable {
    /// Bytes, events, oversized lines and errors of this unit.
    public var counters: InputCounters
    /// Problems found (corrupt gzip, malformed envelope, read errors), in the order found.
    public var problems: [InputProblem]
    /// Lines (or records) numbered in this unit, delivered or not: the line base of the next range.
    public var lineCount: Int
    /// The format found (nil for an empty input, or when reading failed before it was known).
    public var format: InputFormat?
    /// Whether the input was gzip.
    public var gzip: Bool
}

/// Reads work units into events with one reusable buffer. One per thread; not thread-safe.
///
/// ```swift
/// let reader = InputReader(options: options)
/// let report = reader.read(unit) { line, source in matcher.match(line, source) }
/// ```
///
/// Plain bytes are framed in place (no per-line copy or allocation): the byte ranges of a large file
/// straight from mapped windows of it, everything else as `read(2)` puts it into a 1 MiB buffer; gzip
/// input is decompressed (all members) as it is read.
public final class InputReader {
    /// The options in force.
    public let options: IngestOptions
    private let buffer: UnsafeMutableRawBufferPointer
    private let progress: ProgressCounters?
    /// Called after the events of each buffer read have been delivered, before the next read
    /// (which may block on a pipe): a caller that batches events flushes them here.
    public var afterEachRead: (() -> Void)?
    /// Finds where an NDJSON line ends in the course of taking it in, so the reader need not search
    /// for its newline (``IngestWorker/measureLine(_:)``); nil to search.
    public var measureLine: ((UnsafeRawBufferPointer) -> Int?)?

    /// Creates a reader with its own buffer.
    /// - Parameters:
    ///   - options: limits and buffer size.
    ///   - progress: totals to add to once per buffer, for a progress display.
    public init(options: IngestOptions = IngestOptions(), progress: ProgressCounters? = nil) {
        self.options = options
        self.progress = progress
        buffer = .allocate(byteCount: max(options.readBufferSize, 4096), alignment: 16)
    }

    /// Creates a reader for `worker`, which finds line ends for it when it can
    /// (``IngestWorker/measureLine(_:)``).
    public convenience init<Worker: IngestWorker>(
        for worker: Worker, options: IngestOptions = IngestOptions(), progress: ProgressCounters? = nil
    ) {
        self.init(options: options, progress: progress)
        if Worker.measuresLines { measureLine = { worker.measureLine($0) } }
    }

    deinit { buffer.deallocate() }

    /// Reads one unit, passing each event to `onEvent`.
    ///
    /// Never throws: a file that cannot be opened, a corrupt gzip stream or a malformed envelope is
    /// reported in ``UnitReport/problems`` and the events before it are delivered.
    ///
    /// - Parameters:
    ///   - unit: the unit; for a byte range, line numbers count from the range's first line (add the
    ///     line base from ``IngestRunner``), offsets are in the whole file.
    ///   - onEvent: receives each event (valid only during the call) and where it came from.
    public func read(_ unit: WorkUnit, _ onEvent: (_ line: UnsafeRawBufferPointer, _ source: EventReference) -> Void) -> UnitReport {
        let fd: Int32
        switch unit.input.source {
        case .standardInput:
            fd = STDIN_FILENO
        case .file(let path, _):
            fd = open(path, O_RDONLY | O_CLOEXEC)
        }
        if fd < 0 {
            let decoder = EventDecoder(input: unit.input.name, options: options)
            decoder.report(.read(errno: errno))
            return UnitReport(counters: decoder.counters, problems: decoder.problems, lineCount: 0, format: nil, gzip: false)
        }
        defer { if fd != STDIN_FILENO { close(fd) } }
        if let range = unit.range {
            return readRange(fd: fd, range: range, name: unit.input.name, onEvent)
        }
        return readWhole(fd: fd, name: unit.input.name, onEvent)
    }

    /// Reads `fd` from its current position to the end (stdin, or a whole file).
    func readWhole(fd: Int32, name: String, _ onEvent: (UnsafeRawBufferPointer, EventReference) -> Void) -> UnitReport {
        let decoder = EventDecoder(input: name, options: options, measure: measureLine)
        // Read until two bytes are in hand to look for the gzip magic.
        var filled = 0
        while filled < 2 {
            let n = readRetrying(fd, buffer.baseAddress.unsafelyUnwrapped + filled, buffer.count - filled)
            if n < 0 {
                decoder.report(.read(errno: errno))
                return finish(decoder, gzip: false, onEvent)
            }
            if n == 0 { break }
            filled += n
        }
        decoder.countRead(filled)
        let head = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
        if GzipDecompressor.hasMagic(head) {
            progress?.add(bytes: filled, events: 0)
            readGzip(fd: fd, head: filled, decoder: decoder, onEvent)
            return finish(decoder, gzip: true, onEvent, flush: decoder.counters.gzipErrors == 0)
        }
        var eventsBefore = 0
        var chunk = head
        while true {
            decoder.feed(chunk, onEvent)
            afterEachRead?()
            progress?.add(bytes: chunk.count, events: decoder.counters.events - eventsBefore)
            eventsBefore = decoder.counters.events
            let n = readRetrying(fd, buffer.baseAddress.unsafelyUnwrapped, buffer.count)
            if n < 0 {
                decoder.report(.read(errno: errno))
                break
            }
            if n == 0 { break }
            decoder.countRead(n)
            chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
        }
        return finish(decoder, gzip: false, onEvent)
    }

    /// Decompresses the rest of `fd`; the first `head` bytes are already in the buffer.
    private func readGzip(fd: Int32, head: Int, decoder: EventDecoder, _ onEvent: (UnsafeRawBufferPointer, EventReference) -> Void) {
        // The inflater reads into its own 64 KiB buffer; hand it the bytes already read first.
        var pending = UnsafeRawBufferPointer(rebasing: buffer[0..<head])
        var readError: Int32 = 0
        var eventsBefore = 0
        do {
            let summary = try GzipDecompressor(maxOutput: options.maxUncompressedBytes).decompress(
                from: { target in
                    if !pending.isEmpty {
                        let n = min(pending.count, target.count)
                        target.copyMemory(from: UnsafeRawBufferPointer(rebasing: pending[0..<n]))
                        pending = UnsafeRawBufferPointer(rebasing: pending[n...])
                        return n
                    }
                    let n = readRetrying(fd, target.baseAddress.unsafelyUnwrapped, target.count)
                    if n < 0 {
                        readError = errno
                        return 0
                    }
                    decoder.countRead(n)
                    progress?.add(bytes: n, events: 0)
                    return n
                },
                into: { chunk in
                    decoder.feed(chunk, onEvent)
                    afterEachRead?()
                    progress?.add(bytes: 0, events: decoder.counters.events - eventsBefore)
                    eventsBefore = decoder.counters.events
                })
            if summary.trailingBytes > 0 { decoder.report(.gzipTrailingBytes(summary.trailingBytes)) }
        } catch let error as GzipError {
            if readError != 0 { decoder.report(.read(errno: readError)) } else { decoder.report(.gzip(error)) }
        } catch {
            // Unreachable: neither closure throws. Reported rather than trapped.
            decoder.report(.read(errno: EIO))
        }
    }

    /// Reads `range` of a plain NDJSON file: in mapped windows (no copy out of the page cache), or
    /// with `pread` where the file cannot be mapped or mapping is turned off.
    ///
    /// A file cut short by another process while it is read (a copytruncate rotation) loses the
    /// lines past the cut: reading stops there, the line the cut went through is dropped rather
    /// than delivered with the bytes it lost, and the range reports `.shrank` once.
    private func readRange(fd: Int32, range: Range<Int>, name: String, _ onEvent: (UnsafeRawBufferPointer, EventReference) -> Void) -> UnitReport {
        let decoder = EventDecoder(input: name, options: options, format: .ndjson, offsetBase: range.lowerBound, measure: measureLine)
        var position = range.lowerBound
        let end = range.upperBound
        /// The file's size now, when it is below `end` (nil while the range is whole).
        func cut() -> Int? {
            var status = stat()
            guard fstat(fd, &status) == 0, Int(status.st_size) < end else { return nil }
            return Int(status.st_size)
        }
        /// Ends the range at a cut: the bytes read past it were zeros standing in for lost ones.
        func stop(at size: Int, readUpTo readEnd: Int) -> UnitReport {
            decoder.countRead(-max(0, readEnd - max(size, range.lowerBound)))
            decoder.report(.shrank(size: size))
            return finish(decoder, gzip: false, onEvent, flush: false)
        }
        var eventsBefore = 0
        func deliver(_ chunk: UnsafeRawBufferPointer) {
            decoder.countRead(chunk.count)
            decoder.feed(chunk, onEvent)
            afterEachRead?()
            progress?.add(bytes: chunk.count, events: decoder.counters.events - eventsBefore)
            eventsBefore = decoder.counters.events
        }
        // Cut short since the plan was made: read what is left.
        let limit = cut().map { max(position, $0) } ?? end
        let window = options.mappedWindowSize
        while window > 0, position < limit {
            let mapStart = position & ~(Self.pageSize - 1)
            let mapEnd = min(mapStart + max(window, Self.pageSize), limit)
            guard let base = tl_map_window(fd, Int64(mapStart), mapEnd - mapStart) else { break }
            deliver(UnsafeRawBufferPointer(start: base + (position - mapStart), count: mapEnd - position))
            if tl_unmap_window(base, mapEnd - mapStart) != 0 {
                // The file shrank under the window: its missing pages read as zeros.
                return stop(at: cut() ?? mapStart, readUpTo: mapEnd)
            }
            position = mapEnd
        }
        while position < limit {
            let n = pread(fd, buffer.baseAddress, min(buffer.count, limit - position), off_t(position))
            if n < 0 {
                if errno == EINTR { continue }
                decoder.report(.read(errno: errno))
                break
            }
            if n == 0 { break }
            deliver(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            position += n
        }
        // A cut that raised no fault (it fell inside the last page read, whose tail the kernel
        // zeroes) or that came before reading started, or a read that ended early.
        if let size = cut() { return stop(at: size, readUpTo: position) }
        return finish(decoder, gzip: false, onEvent)
    }

    /// The page size: mapped windows start on a page boundary.
    private static let pageSize: Int = {
        let size = sysconf(Int32(_SC_PAGESIZE))
        return size > 0 ? size : 4096
    }()

    private func finish(
        _ decoder: EventDecoder, gzip: Bool, _ onEvent: (UnsafeRawBufferPointer, EventReference) -> Void, flush: Bool = true
    ) -> UnitReport {
        // After a gzip error the last partial line is a cut-off event: it is dropped, not delivered.
        let before = decoder.counters.events
        if flush { decoder.finish(onEvent) }
        progress?.add(bytes: 0, events: decoder.counters.events - before)
        return UnitReport(
            counters: decoder.counters, problems: decoder.problems, lineCount: decoder.lineCount,
            format: decoder.format, gzip: gzip)
    }
}

/// read(2), retried on EINTR.
func readRetrying(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    while true {
        let n = Glibc.read(fd, buffer, count)
        if n < 0 && errno == EINTR { continue }
        return n
    }
}
