import Crypto
import Gzip

/// Reads digest and log files through the mirror: size caps, gzip's first-member rule, SHA-256.
enum FileHasher {
    /// What hashing a log file found.
    enum LogOutcome: Sendable {
        case hashed(sha256: [UInt8], storedUncompressed: Bool)
        case trailingData(Int)
        case invalidFormat(String)
        case missing(String)
    }

    /// hashLog streams a log file: SHA-256 of the first gzip member's output, or of the raw bytes when the
    /// file is not gzip. Memory stays at one read buffer plus the inflater's, whatever the file size.
    static func hashLog(path: String, root: Mirror.Root, maxOutput: Int) -> LogOutcome {
        let reader: FileReader
        switch Mirror.open(path: path, root: root) {
        case .opened(let r): reader = r
        case .missing: return .missing("not found")
        case .outside: return .missing("not found (a symbolic link leads outside the mirror)")
        case .unreadable(let why): return .invalidFormat(why)
        }
        let bufferSize = 1 << 16
        let first = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer { first.deallocate() }
        var hasher = SHA256()
        do {
            let n = try reader.read(into: first)
            if n < 2 || first[0] != 0x1f || first[1] != 0x8b {
                // Not gzip: a copy some download path decompressed. Hash the bytes as they are.
                var total = n
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: first[0..<n]))
                while true {
                    let k = try reader.read(into: first)
                    if k == 0 { break }
                    total += k
                    if total > maxOutput { return .invalidFormat("larger than \(maxOutput) bytes") }
                    hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: first[0..<k]))
                }
                return .hashed(sha256: Array(hasher.finalize()), storedUncompressed: true)
            }
            var pending = n
            let summary = try GzipReader(maxOutput: maxOutput).decompressFirstMember(
                from: { buffer in
                    if pending > 0 {
                        let k = min(pending, buffer.count)
                        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: first[(n - pending)..<(n - pending + k)]))
                        pending -= k
                        return k
                    }
                    return try reader.read(into: buffer)
                },
                into: { chunk in hasher.update(bufferPointer: chunk) })
            if summary.trailingBytes > 0 { return .trailingData(summary.trailingBytes) }
            return .hashed(sha256: Array(hasher.finalize()), storedUncompressed: false)
        } catch let error as GzipError {
            if error == .outputLimitExceeded { return .invalidFormat("larger than \(maxOutput) bytes uncompressed") }
            return .invalidFormat(error.message)
        } catch {
            return .invalidFormat("cannot be read: \(error)")
        }
    }

    /// What reading a digest file found.
    enum DigestOutcome: Sendable {
        case read(bytes: [UInt8], storedUncompressed: Bool)
        case missing(String)
        case invalidFormat(String)
    }

    /// readDigest reads a whole digest, within the compressed and uncompressed caps.
    static func readDigest(path: String, root: Mirror.Root, maxCompressed: Int, maxUncompressed: Int) -> DigestOutcome {
        let reader: FileReader
        switch Mirror.open(path: path, root: root) {
        case .opened(let r): reader = r
        case .missing: return .missing("not found")
        case .outside: return .missing("not found (a symbolic link leads outside the mirror)")
        case .unreadable(let why): return .invalidFormat(why)
        }
        if reader.size > maxCompressed { return .invalidFormat("larger than \(maxCompressed) bytes") }
        let raw: [UInt8]
        do {
            guard let all = try reader.readAll(limit: maxCompressed) else {
                return .invalidFormat("larger than \(maxCompressed) bytes")
            }
            raw = all
        } catch {
            return .invalidFormat("cannot be read")
        }
        if raw.count < 2 || raw[0] != 0x1f || raw[1] != 0x8b {
            if raw.count > maxUncompressed { return .invalidFormat("larger than \(maxUncompressed) bytes") }
            return .read(bytes: raw, storedUncompressed: true)
        }
        do {
            let (output, trailing) = try gunzipFirstMember(raw, maxOutput: maxUncompressed)
            if trailing > 0 { return .invalidFormat("unexpected data after end of compressed stream") }
            return .read(bytes: output, storedUncompressed: false)
        } catch let error as GzipError {
            if error == .outputLimitExceeded { return .invalidFormat("larger than \(maxUncompressed) bytes uncompressed") }
            return .invalidFormat(error.message)
        } catch {
            return .invalidFormat("\(error)")
        }
    }
}
