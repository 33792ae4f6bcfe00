internal import Glibc

/// One piece of reading work: a whole input, or a byte range of a plain NDJSON file.
public struct WorkUnit: Sendable, Hashable {
    /// The position of the input in the ``InputSet``.
    public var inputIndex: Int
    /// The input.
    public var input: Input
    /// The bytes to read, aligned to line starts; `nil` for the whole input.
    public var range: Range<Int>?

    /// Creates a unit.
    public init(inputIndex: Int, input: Input, range: Range<Int>? = nil) {
        self.inputIndex = inputIndex
        self.input = input
        self.range = range
    }
}

/// The work units for an input set, in input order.
///
/// Plain (not gzip) NDJSON files of at least ``IngestOptions/splitThreshold`` bytes are split into byte
/// ranges of about ``IngestOptions/rangeSize`` that start at line starts, so several threads share one
/// large file; gzip files, envelopes, small files and stdin are one unit each.
public struct WorkPlan: Sendable, Hashable {
    /// The units, in input order (the ranges of one file in file order).
    public var units: [WorkUnit]

    /// Plans the reading of `inputs`.
    public init(inputs: InputSet, options: IngestOptions = IngestOptions()) {
        var units: [WorkUnit] = []
        for (index, input) in inputs.inputs.enumerated() {
            guard case .file(let path, let size) = input.source, size >= options.splitThreshold,
                Self.isPlainNDJSON(path: path)
            else {
                units.append(WorkUnit(inputIndex: index, input: input))
                continue
            }
            let pieces = max(1, (size + options.rangeSize - 1) / max(options.rangeSize, 1))
            for range in Self.lineAlignedRanges(path: path, size: size, count: pieces) {
                units.append(WorkUnit(inputIndex: index, input: input, range: range))
            }
        }
        self.units = units
    }

    /// Creates a plan from units.
    public init(units: [WorkUnit]) {
        self.units = units
    }

    /// Whether the file at `path` is uncompressed NDJSON, judged from its first 4 KiB.
    static func isPlainNDJSON(path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 4096)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        if n < 2 { return false }
        return head.withUnsafeBytes { raw in
            let prefix = UnsafeRawBufferPointer(rebasing: raw[0..<n])
            if prefix[0] == 0x1F && prefix[1] == 0x8B { return false }
            return InputFormat.detect(prefix, atEnd: n < 4096) == .ndjson
        }
    }

    /// Splits the file at `path` into at most `count` contiguous ranges that start at line starts.
    ///
    /// Cut points are placed near `size * k / count` and moved forward to just past the next `\n`;
    /// ranges that come out empty are dropped. Reading the ranges one after the other gives exactly the
    /// lines of the whole file.
    ///
    /// - Parameters:
    ///   - path: a regular file.
    ///   - size: its size (bytes past it are not read).
    ///   - count: the number of ranges wanted.
    /// - Returns: the ranges, covering `0..<size` without gaps.
    public static func lineAlignedRanges(path: String, size: Int, count: Int) -> [Range<Int>] {
        if size == 0 { return [] }
        let count = max(1, count)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 || count == 1 {
            if fd >= 0 { close(fd) }
            return [0..<size]
        }
        defer { close(fd) }
        var cuts = [0]
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        for k in 1..<count {
            let target = max(size * k / count, cuts[cuts.count - 1])
            // A line starts at `target` when the byte before it is a newline: search from target - 1.
            var position = max(target - 1, 0)
            var cut = size
            search: while position < size {
                let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, min($0.count, size - position), off_t(position)) }
                if n <= 0 { break }
                for i in 0..<n where buffer[i] == 0x0A {
                    cut = position + i + 1
                    break search
                }
                position += n
            }
            if target == 0 { cut = 0 }
            if cut > cuts[cuts.count - 1] && cut < size { cuts.append(cut) }
        }
        cuts.append(size)
        return (0..<(cuts.count - 1)).map { cuts[$0]..<cuts[$0 + 1] }
    }
}
