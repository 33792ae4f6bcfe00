internal import Glibc

/// One input to read: standard input or a regular file.
public struct Input: Sendable, Hashable {
    /// Where the bytes come from.
    public enum Source: Sendable, Hashable {
        /// Standard input (`-`).
        case standardInput
        /// A regular file, with its size when the input set was made.
        case file(path: String, size: Int)
    }

    /// The name used in event references and messages: the path, or `-` for stdin.
    public var name: String
    /// Where the bytes come from.
    public var source: Source

    /// Creates an input.
    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }
}

/// The inputs named on the command line, expanded: `-` is stdin, a directory is every file under it.
///
/// ```swift
/// let inputs = try InputSet(arguments: ["-", "trail/", "extra.ndjson"])
/// ```
///
/// - No arguments means stdin.
/// - A directory is read recursively, entries in byte order of their names at each level (the order of
///   an S3 prefix downloaded with `aws s3 sync`); names starting with `.` and `CloudTrail-Digest`
///   folders (digest files, not events) are skipped.
/// - Every argument is checked before anything is read: a missing or unreadable path is an
///   ``InputError`` listing every bad path.
public struct InputSet: Sendable, Hashable {
    /// The inputs, in reading order.
    public var inputs: [Input]

    /// The total size of the file inputs, in bytes (stdin has none).
    public var totalFileBytes: Int {
        inputs.reduce(0) { sum, input in
            if case .file(_, let size) = input.source { sum + size } else { sum }
        }
    }

    /// Creates an input set from already expanded inputs.
    public init(inputs: [Input]) {
        self.inputs = inputs
    }

    /// Expands command-line arguments into inputs.
    ///
    /// - Parameter arguments: paths, directories and `-`; empty means stdin.
    /// - Throws: ``InputError`` listing every path that is missing, unreadable or not a file or folder.
    public init(arguments: [String]) throws(InputError) {
        var inputs: [Input] = []
        var problems: [InputError.Problem] = []
        let arguments = arguments.isEmpty ? ["-"] : arguments
        for argument in arguments {
            if argument == "-" {
                inputs.append(Input(name: "-", source: .standardInput))
                continue
            }
            Self.expand(argument, into: &inputs, problems: &problems, visited: [])
        }
        if !problems.isEmpty { throw InputError(problems: problems) }
        self.inputs = inputs
    }

    /// The identity of a file: device and inode.
    struct FileID: Hashable { var device: UInt64; var inode: UInt64 }

    /// expand adds `path` (a file, or every file under a folder) to `inputs`.
    static func expand(_ path: String, into inputs: inout [Input], problems: inout [InputError.Problem], visited: Set<FileID>) {
        var st = stat()
        if stat(path, &st) != 0 {
            problems.append(.init(path: path, reason: errnoReason(errno)))
            return
        }
        let type = st.st_mode & S_IFMT
        if type == S_IFDIR {
            let id = FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
            if visited.contains(id) { return }  // a symbolic link loop
            guard let names = listDirectory(path) else {
                problems.append(.init(path: path, reason: errnoReason(errno)))
                return
            }
            var visited = visited
            visited.insert(id)
            let prefix = path.hasSuffix("/") ? path : path + "/"
            for name in names where !name.hasPrefix(".") && name != "CloudTrail-Digest" {
                expand(prefix + name, into: &inputs, problems: &problems, visited: visited)
            }
        } else if type == S_IFREG || type == S_IFIFO || type == S_IFCHR {
            if access(path, R_OK) != 0 {
                problems.append(.init(path: path, reason: errnoReason(errno)))
                return
            }
            let size = type == S_IFREG ? Int(st.st_size) : 0
            inputs.append(Input(name: path, source: .file(path: path, size: size)))
        } else {
            problems.append(.init(path: path, reason: "not a regular file or folder"))
        }
    }

    /// The entry names of a folder in byte order, or nil (with `errno` set) when it cannot be read.
    static func listDirectory(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                // Safe: d_name is a NUL-terminated C string inside the dirent.
                String(cString: raw.bindMemory(to: CChar.self).baseAddress.unsafelyUnwrapped)
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// A lowercase reason for an `errno` value.
    static func errnoReason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file or directory"
        case EACCES: "permission denied"
        case ENOTDIR: "a path component is not a folder"
        case ELOOP: "too many symbolic links"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}
