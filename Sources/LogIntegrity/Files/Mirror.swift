/// The local copy of one or more S3 buckets, and the only way an S3 key becomes a file path.
///
/// `root` mirrors `s3://bucket/prefix/`. Other buckets (a trail that moved) are mirrored by
/// `--bucket-dir NAME=DIR` folders, which map from the key's `AWSLogs/` segment on. A key is refused
/// when a segment is empty, `.` or `..`, or holds NUL or `\`; a file whose real path leaves its
/// mirror (through a symbolic link) is treated as absent.
struct Mirror: Sendable {
    struct Root: Sendable {
        var path: String
        var realPath: String
    }

    let main: Root
    let bucket: String
    let prefix: String
    let others: [String: Root]

    enum Location: Sendable {
        case file(path: String, root: Root)
        case notMirrored(bucket: String)
        case outsidePrefix
        case unsafeKey
    }

    /// The S3 URI of a key in the main bucket, given its part from `AWSLogs/` on.
    func uri(relative: String) -> String { "s3://\(bucket)/\(key(relative: relative))" }

    func key(relative: String) -> String { prefix.isEmpty ? relative : "\(prefix)/\(relative)" }

    /// locate maps `s3://bucket/key` to a path inside the right mirror, without touching the disk.
    func locate(bucket b: String, key: String) -> Location {
        let relative: Substring
        let root: Root
        if b == bucket {
            root = main
            if prefix.isEmpty {
                relative = Substring(key)
            } else if key.hasPrefix(prefix + "/") {
                relative = key.dropFirst(prefix.count + 1)
            } else {
                return .outsidePrefix
            }
        } else if let other = others[b] {
            root = other
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            if let i = parts.firstIndex(of: "AWSLogs") {
                relative = Substring(parts[i...].joined(separator: "/"))
            } else {
                relative = Substring(key)
            }
        } else {
            return .notMirrored(bucket: b)
        }
        guard Mirror.isSafe(relative) else { return .unsafeKey }
        return .file(path: root.path + "/" + relative, root: root)
    }

    /// isSafe says whether every `/` segment of a relative key is a plain name.
    static func isSafe(_ relative: Substring) -> Bool {
        if relative.isEmpty { return false }
        for segment in relative.split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty || segment == "." || segment == ".." { return false }
            if segment.utf8.contains(0) || segment.utf8.contains(UInt8(ascii: "\\")) { return false }
        }
        return true
    }

    enum OpenResult {
        case opened(FileReader)
        case missing
        case outside
        case unreadable(String)
    }

    /// open opens a located file, refusing one whose real path is outside its mirror.
    static func open(path: String, root: Root) -> OpenResult {
        guard let real = FileSystem.realPath(path) else { return .missing }
        guard real.hasPrefix(root.realPath.hasSuffix("/") ? root.realPath : root.realPath + "/") else {
            return .outside
        }
        do {
            return .opened(try FileReader(path: real))
        } catch {
            switch error {
            case .notFound: return .missing
            case .notRegularFile: return .unreadable("not a regular file")
            case .unreadable(let code): return .unreadable("cannot be read (errno \(code))")
            }
        }
    }
}
