internal import EventScan
internal import TriplineCore

/// Turns the (decompressed) bytes of one input into events, fed in chunks: detects NDJSON or envelope,
/// frames lines with `LineBuffer` or records with the envelope scanner, and counts.
///
/// Empty and whitespace-only lines are skipped (they keep their line numbers). Offsets are absolute within the input:
/// `offsetBase` is added, so a byte-range unit reports offsets in the whole file.
final class EventDecoder {
    private enum Mode { case sniffing, lines, envelope }

    let input: String
    let offsetBase: Int
    private var mode: Mode
    private var sniffed: [UInt8] = []
    private var lines: LineBuffer
    private var envelope: EnvelopeScanner
    private(set) var counters = InputCounters()
    private(set) var problems: [InputProblem] = []
    private var envelopeReported = false

    /// The most bytes kept while deciding the format (leading whitespace beyond this means NDJSON).
    static let sniffLimit = 64 * 1024

    /// Finds where NDJSON lines end while taking them in (see ``LineBuffer/append(_:measuring:_:onOversized:)``);
    /// nil to search for each newline.
    private let measure: ((UnsafeRawBufferPointer) -> Int?)?

    init(
        input: String, options: IngestOptions, format: InputFormat? = nil, offsetBase: Int = 0,
        measure: ((UnsafeRawBufferPointer) -> Int?)? = nil
    ) {
        self.input = input
        self.offsetBase = offsetBase
        self.measure = measure
        switch format {
        case nil: mode = .sniffing
        case .ndjson?: mode = .lines
        case .envelope?: mode = .envelope
        }
        lines = LineBuffer(maxLineLength: options.maxLineLength, initialCapacity: 16 * 1024)
        envelope = EnvelopeScanner(maxRecordLength: options.maxLineLength, maxDepth: options.maxEnvelopeDepth)
    }

    /// The number of lines (or records) numbered so far, delivered or not.
    var lineCount: Int {
        mode == .envelope ? envelope.nextRecordNumber - 1 : lines.nextLineNumber - 1
    }

    /// The offset just past the last complete line, for NDJSON; where a resumed read would start.
    var completedOffset: Int? {
        mode == .lines ? offsetBase + lines.completedOffset : nil
    }

    /// The format, once decided.
    var format: InputFormat? {
        switch mode {
        case .sniffing: nil
        case .lines: .ndjson
        case .envelope: .envelope
        }
    }

    /// Returns the problems found so far and forgets them.
    func takeProblems() -> [InputProblem] {
        let taken = problems
        problems = []
        return taken
    }

    /// Counts `n` bytes read from disk.
    func countRead(_ n: Int) { counters.bytesRead += n }

    /// Records a problem (and counts it).
    func report(_ kind: InputProblem.Kind) {
        switch kind {
        case .gzip: counters.gzipErrors += 1
        case .read, .shrank: counters.readErrors += 1
        case .envelope: counters.envelopeErrors += 1
        case .gzipTrailingBytes: break
        }
        problems.append(InputProblem(input: input, kind: kind))
    }

    /// Feeds the next decompressed bytes.
    func feed(_ chunk: UnsafeRawBufferPointer, _ onEvent: (UnsafeRawBufferPointer, EventReference) -> Void) {
        counters.uncompressedBytes += chunk.count
        switch mode {
        case .lines: feedLines(chunk, onEvent)
        case .envelope: feedEnvelope(chunk, onEvent)
        case .sniffing:
            sniffed.append(contentsOf: chunk)
            let decided = sniffed.withUnsafeBytes { InputFormat.detect($0, atEnd: false) }
            if let decided {
                decide(decided, onEvent)
            } else if sniffed.count > Self.sniffLimit {
                decide(.ndjson, onEvent)
            }
        }
    }

    /// Ends the input: flushes a last line without a newline and checks the envelope was complete.
    func finish(_ onEvent: (UnsafeRawBufferPointer, EventReference) -> Void) {
        if mode == .sniffing {
            let decided = sniffed.withUnsafeBytes { InputFormat.detect($0, atEnd: true) } ?? .ndjson
            decide(decided, onEvent)
        }
        switch mode {
        case .lines:
            lines.finish(
                { line, number, offset in deliver(line, number, offset, onEvent) },
                onOversized: { _, _, _ in counters.oversizedLines += 1 })
        case .envelope:
            if !envelope.finish() { reportEnvelopeFailure() }
        case .sniffing:
            break
        }
    }

    private func decide(_ format: InputFormat, _ onEvent: (UnsafeRawBufferPointer, EventReference) -> Void) {
        mode = format == .ndjson ? .lines : .envelope
        let bytes = sniffed
        sniffed = []
        bytes.withUnsafeBytes { bytes in
            if mode == .lines { feedLines(bytes, onEvent) } else { feedEnvelope(bytes, onEvent) }
        }
    }

    @inline(__always)
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    @inline(__always)
    private func deliver(
        _ line: UnsafeRawBufferPointer, _ number: Int, _ offset: Int,
        _ onEvent: (UnsafeRawBufferPointer, EventReference) -> Void
    ) {
        if line.isEmpty || (Self.isSpace(line[0]) && line.allSatisfy(Self.isSpace)) { return }
        counters.events += 1
        onEvent(line, EventReference(input: input, line: number, offset: offsetBase + offset))
    }

    private func feedLines(_ chunk: UnsafeRawBufferPointer, _ onEvent: (UnsafeRawBufferPointer, EventReference) -> Void) {
        guard let measure else {
            lines.append(
                chunk,
                { line, number, offset in deliver(line, number, offset, onEvent) },
                onOversized: { _, _, _ in counters.oversizedLines += 1 })
            return
        }
        lines.append(
            chunk, measuring: measure,
            { line, number, offset in deliver(line, number, offset, onEvent) },
            onOversized: { _, _, _ in counters.oversizedLines += 1 })
    }

    private func feedEnvelope(_ chunk: UnsafeRawBufferPointer, _ onEvent: (UnsafeRawBufferPointer, EventReference) -> Void) {
        envelope.feed(
            chunk,
            onRecord: { record, number, offset in deliver(record, number, offset, onEvent) },
            onOversized: { _, _, _ in counters.oversizedLines += 1 })
        if envelope.failure != nil { reportEnvelopeFailure() }
    }

    private func reportEnvelopeFailure() {
        guard !envelopeReported, let failure = envelope.failure else { return }
        envelopeReported = true
        report(.envelope(message: failure.message, offset: offsetBase + failure.offset))
    }
}
