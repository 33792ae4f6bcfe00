#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(Darwin)
private let systemRead = Darwin.read
#elseif canImport(Musl)
private let systemRead = Musl.read
#else
private let systemRead = Glibc.read
#endif

/// An open regular file read with POSIX calls; closed when the value goes away.
final class FileReader {
    private let fd: Int32
    /// The file size when it was opened.
    let size: Int

    enum OpenError: Error {
        case notFound
        case notRegularFile
        case unreadable(Int32)
    }

    /// open opens `path` for reading; symbolic links in the last component are not followed.
    init(path: String) throws(OpenError) {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            let e = errno
            if e == ENOENT || e == ENOTDIR { throw .notFound }
            if e == ELOOP { throw .notRegularFile }
            throw .unreadable(e)
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .notRegularFile
        }
        self.fd = fd
        self.size = Int(st.st_size)
    }

    deinit { close(fd) }

    /// read fills as much of `buffer` as it can; 0 means end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(OpenError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = systemRead(fd, base, buffer.count)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw .unreadable(errno)
        }
    }

    /// readAll reads the whole file, up to `limit` bytes; nil when the file is larger.
    func readAll(limit: Int) throws(OpenError) -> [UInt8]? {
        var out = [UInt8]()
        out.reserveCapacity(min(size, limit) + 1)
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = try read(into: chunk)
            if n == 0 { return out }
            if out.count + n > limit { return nil }
            out.append(contentsOf: chunk[0..<n])
        }
    }
}

/// Small POSIX helpers for the folder walk.
enum FileSystem {
    /// realPath resolves every symbolic link in `path`; nil if it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    enum Kind { case file, directory, symlink, other, missing }

    static func kind(_ path: String) -> Kind {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// entries lists a directory's names (without `.` and `..`), sorted; empty when it cannot be read.
    static func entries(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
