internal import Glibc

/// Renders a one-line progress display: a bar (when the total is known), bytes, bytes/s and events/s.
///
/// ```swift
/// let reporter = ProgressReporter(totalBytes: inputs.totalFileBytes, counters: progress)
/// // on a timer, or from the reading loop:
/// reporter.update()
/// reporter.finish()
/// ```
///
/// Redraws at most every ``minimumInterval`` (100 ms: ten times a second), whatever the call rate.
/// Writes `\r` + line + "erase to end of line" to `write` (stderr by default). The caller decides whether
/// to show it at all: ``ProgressReporter/standardErrorIsTerminal`` says whether stderr is a terminal.
public final class ProgressReporter {
    /// The total input size in bytes, or nil when unknown (stdin).
    public let totalBytes: Int?
    private let counters: ProgressCounters
    private let now: () -> UInt64
    private let write: (String) -> Void
    private let start: UInt64
    private var lastDraw: UInt64?
    /// The shortest time between two redraws, in nanoseconds.
    public let minimumInterval: UInt64 = 100_000_000

    /// Creates a reporter.
    /// - Parameters:
    ///   - totalBytes: the bytes to read, for the bar and percentage; nil for none.
    ///   - counters: the running totals the readers update.
    ///   - now: a monotonic clock in nanoseconds (injectable for tests).
    ///   - write: where the text goes (stderr by default).
    public init(
        totalBytes: Int?,
        counters: ProgressCounters,
        now: @escaping () -> UInt64 = ProgressReporter.monotonicNanoseconds,
        write: @escaping (String) -> Void = ProgressReporter.writeStandardError
    ) {
        self.totalBytes = totalBytes
        self.counters = counters
        self.now = now
        self.write = write
        start = now()
    }

    /// Whether stderr is a terminal.
    public static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Redraws the line if ``minimumInterval`` has passed since the last redraw.
    public func update() {
        let t = now()
        if let last = lastDraw, t &- last < minimumInterval { return }
        lastDraw = t
        write("\r" + render(at: t) + "\u{1B}[K")
    }

    /// Draws the final state and ends the line.
    public func finish() {
        write("\r" + render(at: now()) + "\u{1B}[K\n")
    }

    /// The text of the line at time `t` (nanoseconds on the reporter's clock).
    public func render(at t: UInt64) -> String {
        let (bytes, events) = counters.snapshot
        let seconds = max(Double(t &- start) / 1e9, 1e-9)
        var line = ""
        if let total = totalBytes, total > 0 {
            let fraction = min(max(Double(bytes) / Double(total), 0), 1)
            let width = 24
            let filled = Int(fraction * Double(width))
            line += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            line += Self.pad(String(Int(fraction * 100)), 3) + "% "
            line += Self.bytes(bytes) + " / " + Self.bytes(total)
        } else {
            line += Self.bytes(bytes)
        }
        line += "  " + Self.bytes(Int(Double(bytes) / seconds)) + "/s"
        line += "  " + Self.count(events) + " events  " + Self.count(Int(Double(events) / seconds)) + " events/s"
        return line
    }

    /// A byte count with a binary unit: `512 B`, `1.5 MiB`.
    static func bytes(_ n: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(n) B" : oneDecimal(value) + " " + units[unit]
    }

    /// A count with a k/M suffix: `950`, `12.3k`, `4.1M`.
    static func count(_ n: Int) -> String {
        if n < 1000 { return "\(n)" }
        if n < 1_000_000 { return oneDecimal(Double(n) / 1e3) + "k" }
        return oneDecimal(Double(n) / 1e6) + "M"
    }

    static func oneDecimal(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    static func pad(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }

    /// CLOCK_MONOTONIC in nanoseconds.
    public static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Writes to file descriptor 2.
    public static func writeStandardError(_ text: String) {
        var text = text
        text.withUTF8 { bytes in _ = Glibc.write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
    }
}
