#if canImport(Glibc)
import Glibc
#endif
import EventScan

/// Reads lines from files in order (test-pattern), or from stdin, numbering them across all inputs.
struct LineFileReader {
    /// `-` means stdin; an empty list means stdin too.
    var paths: [String]
    var maxLineLength: Int

    /// Calls `onLine` for each line and `onOversized` for each line over the limit.
    /// - Throws: ``CLIError`` with status 66 for an input that cannot be opened, 74 for a read error.
    func forEachLine(
        _ onLine: (_ line: UnsafeRawBufferPointer, _ number: Int) -> Void,
        onOversized: (_ number: Int, _ length: Int) -> Void
    ) throws(CLIError) {
        var buffer = LineBuffer(maxLineLength: maxLineLength)
        let inputs = paths.isEmpty ? ["-"] : paths
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for path in inputs {
            let descriptor: Int32
            if path == "-" {
                descriptor = 0
            } else {
                descriptor = open(path, O_RDONLY)
                guard descriptor >= 0 else {
                    let reason = String(cString: strerror(errno))
                    throw CLIError(
                        "error: cannot open input '\(path)': \(reason)\nCheck the path, or pass - to read stdin.",
                        status: .noInput)
                }
            }
            defer { if descriptor != 0 { close(descriptor) } }
            var status = stat()
            if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
                throw CLIError("error: input '\(path)' is a directory; pass the files in it.", status: .noInput)
            }
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    throw CLIError("error: reading '\(path)' failed: \(reason)", status: .ioError)
                }
                if count == 0 { break }
                chunk.withUnsafeBytes { raw in
                    buffer.append(
                        UnsafeRawBufferPointer(rebasing: raw[0..<count]),
                        { line, number, _ in onLine(line, number) },
                        onOversized: { number, _, length in onOversized(number, length) })
                }
            }
            // A last line without a newline still counts, and does not run into the next file.
            buffer.finish(
                { line, number, _ in onLine(line, number) },
                onOversized: { number, _, length in onOversized(number, length) })
        }
    }
}
