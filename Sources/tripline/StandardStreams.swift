#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writing to stdout, which carries only results.
struct StandardOutput {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    mutating func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func write(_ string: String) { write(Array(string.utf8)) }

    mutating func flush() {
        FileDescriptorWriter.writeAll(buffer, to: 1)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Unbuffered writing to stderr, where logs and diagnostics go.
enum StandardError {
    static func write(_ string: String) {
        FileDescriptorWriter.writeAll(Array(string.utf8), to: 2)
    }

    /// Whether stderr is a terminal, for colour and progress bars.
    static var isTerminal: Bool { isatty(2) != 0 }
}

enum FileDescriptorWriter {
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                // safe because: offset < raw.count, so the base address exists
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
