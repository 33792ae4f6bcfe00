/// The line a worker measured last (``IngestWorker/measureLine(_:)``), so that it knows the line
/// again when the reader passes it to ``IngestWorker/consume(_:source:)``, and only that line.
public struct MeasuredLine {
    private var start: UnsafeRawPointer?
    private var length = 0

    public init() {}

    /// Remembers that the line at the start of `bytes` is `length` bytes long (nil: not measured),
    /// and returns `length` for the reader.
    public mutating func note(_ bytes: UnsafeRawBufferPointer, length: Int?) -> Int? {
        start = length == nil ? nil : bytes.baseAddress
        self.length = length ?? 0
        return length
    }

    /// Whether `line` is the line measured last: the same start, and its length, or one less where
    /// the reader stripped a final `\r`. Forgets it either way.
    public mutating func take(_ line: UnsafeRawBufferPointer) -> Bool {
        defer { start = nil }
        guard let start, start == line.baseAddress else { return false }
        return line.count == length || line.count &+ 1 == length
    }
}
