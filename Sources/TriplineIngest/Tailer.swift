internal import Glibc
internal import Gzip
public import TriplineCore

/// Where follow mode stands in one file: enough to checkpoint and resume later.
public struct FilePosition: Sendable, Hashable, Codable {
    /// How far a file can be resumed.
    public enum Progress: String, Sendable, Hashable, Codable {
        /// NDJSON: resume at `offset`, a line boundary.
        case lines
        /// A gzip file decoded whole: never read again.
        case complete
        /// Not resumable mid-way (a `{"Records":[...]}` file still being read, or format not known yet):
        /// read again from the start, unless `offset` reached the file's end.
        case restart
    }

    /// The path the file had at the last poll.
    public var path: String
    /// The file's identity: device and inode.
    public var device: UInt64
    public var inode: UInt64
    /// The offset just past the last complete line delivered (NDJSON), or the bytes read (envelope, gzip).
    public var offset: Int
    /// Lines (or records) delivered before `offset`, so numbering goes on after a restart.
    public var lines: Int
    public var progress: Progress

    public init(path: String, device: UInt64, inode: UInt64, offset: Int, lines: Int = 0, progress: Progress = .lines) {
        self.path = path
        self.device = device
        self.inode = inode
        self.offset = offset
        self.lines = lines
        self.progress = progress
    }
}

/// Follows files as they grow, like `tail -F -n +1`: by polling, with files identified by (device, inode).
///
/// ```swift
/// let tailer = Tailer(paths: ["/var/log/trail/", "/var/log/*.ndjson"], options: options)
/// let stop = StopFlag()
/// tailer.run(every: .milliseconds(250), stop: stop) { line, source in handle(line, source) }
/// ```
///
/// Each ``poll(_:)``:
/// - expands the followed paths: a file path, every file under a folder (recursively, as ``InputSet``
///   does), or the matches of a glob pattern (`*`, `?`, `[...]`);
/// - reads every known file from its offset to its end; a partial last line waits for its newline;
/// - a file whose size dropped below the offset was truncated in place (copytruncate): its partial line
///   is delivered, then it is read again from offset 0;
/// - a file no longer found under any followed path (renamed away, deleted) is read to its end through
///   the descriptor still open, its partial last line is delivered, and it is closed. A new file at the
///   same path is a new identity, read from offset 0. A file renamed to another followed path keeps its
///   identity and offset;
/// - files found for the first time (present at start, or appearing later) are read from offset 0.
/// - gzip files are decoded whole once their size has stayed the same for one poll (gzip cannot be
///   read while it is still being written); bytes appended after that are ignored.
///
/// Limits: a truncation is seen only if the file is still shorter than the old offset at the next poll,
/// and the lines written between the last poll and a copytruncate are only in the copy (as with
/// `tail -F`); follow the live file, not the rotated copies, or they are read again as new files.
///
/// Event references name the path where the file was first found (a later rename does not change
/// them). `Tailer` is single-threaded: call ``poll(_:)`` or ``run(every:stop:sleep:_:)`` from one thread.
/// ``positions`` gives the (device, inode, offset) of each file for a checkpoint.
public final class Tailer {
    /// The paths, folders and globs followed.
    public let paths: [String]
    /// The options in force.
    public let options: IngestOptions
    private let buffer: UnsafeMutableRawBufferPointer
    private var files: [FileID: FollowedFile] = [:]
    /// Counters per path of files that are no longer followed, kept for ``counters``.
    private var finishedCounters: [String: InputCounters] = [:]
    private var pendingProblems: [InputProblem] = []

    struct FileID: Hashable { var device: UInt64; var inode: UInt64 }

    final class FollowedFile {
        enum Kind { case unknown, plain, gzip(lastSize: Int), gzipDone }
        var path: String
        let fd: Int32
        let id: FileID
        var offset = 0
        var kind = Kind.unknown
        var decoder: EventDecoder
        var counters = InputCounters()
        /// Lines delivered before the decoder started (a resumed file), added to its line numbers.
        var lineBase = 0

        init(path: String, fd: Int32, id: FileID, options: IngestOptions) {
            self.path = path
            self.fd = fd
            self.id = id
            decoder = EventDecoder(input: path, options: options)
        }
    }

    /// Positions from a checkpoint, by identity, used when each file is first found again.
    private var resume: [FileID: FilePosition] = [:]

    /// Creates a tailer; nothing is read until the first poll.
    /// - Parameter positions: where a previous run stopped (its checkpointed ``positions``). A file found
    ///   again with the same identity resumes there (or from 0 if it is now shorter: truncated since).
    public init(paths: [String], options: IngestOptions = IngestOptions(), resumeFrom positions: [FilePosition] = []) {
        self.paths = paths
        self.options = options
        for position in positions { resume[FileID(device: position.device, inode: position.inode)] = position }
        buffer = .allocate(byteCount: max(options.readBufferSize, 4096), alignment: 16)
    }

    deinit {
        for file in files.values { close(file.fd) }
        buffer.deallocate()
    }

    /// The current position in each followed file, sorted by path; files not found again since a
    /// resume keep their checkpointed position (they may reappear).
    public var positions: [FilePosition] {
        let current = files.values.map { file in
            let progress: FilePosition.Progress
            switch file.kind {
            case .gzipDone: progress = .complete
            case .plain where file.decoder.format == .ndjson: progress = .lines
            default: progress = .restart
            }
            return FilePosition(
                path: file.path, device: file.id.device, inode: file.id.inode,
                offset: file.decoder.completedOffset ?? file.offset, lines: file.lineBase + file.decoder.lineCount,
                progress: progress)
        }
        return (current + resume.values).sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// Counters per path, over every file seen at that path so far.
    public var counters: [String: InputCounters] {
        var all = finishedCounters
        for file in files.values {
            var c = file.counters
            c += file.decoder.counters
            all[file.path, default: InputCounters()] += c
        }
        return all
    }

    /// Returns the problems found since the last call, and forgets them.
    public func takeProblems() -> [InputProblem] {
        let problems = pendingProblems
        pendingProblems = []
        return problems
    }

    /// Polls until `stop` is set: one ``poll(_:)``, then `sleep(interval)`, and again.
    ///
    /// - Parameters:
    ///   - interval: the time between polls (250 ms is a good default).
    ///   - stop: ends the loop after the current poll.
    ///   - sleep: waits; injectable for tests.
    ///   - onEvent: receives each event.
    public func run(
        every interval: Duration,
        stop: StopFlag,
        sleep: (Duration) -> Void = Tailer.sleep,
        _ onEvent: (_ line: UnsafeRawBufferPointer, _ source: EventReference) -> Void
    ) {
        while !stop.isStopped {
            poll(onEvent)
            if stop.isStopped { break }
            sleep(interval)
        }
    }

    /// Reads every file under the paths to its end, once (inputs read once, with positions to resume
    /// from after a restart): polls until nothing new arrives and no gzip file waits, then delivers each
    /// file's last line even without its newline.
    public func readToEnd(_ onEvent: (_ line: UnsafeRawBufferPointer, _ source: EventReference) -> Void) {
        while true {
            var delivered = 0
            poll { line, source in
                delivered += 1
                onEvent(line, source)
            }
            let gzipPending = files.values.contains { file in
                if case .gzip = file.kind { return true }
                return false
            }
            if delivered == 0 && !gzipPending { break }
        }
        for file in files.values.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
            guard case .plain = file.kind else { continue }
            let base = file.lineBase
            file.decoder.finish { line, source in onEvent(line, Self.renumbered(source, base)) }
            pendingProblems += file.decoder.takeProblems()
        }
    }

    /// Blocks the thread for `duration`.
    public static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    /// One step: finds the files, reads what was appended, follows rotations. See the type's discussion.
    public func poll(_ onEvent: (_ line: UnsafeRawBufferPointer, _ source: EventReference) -> Void) {
        var seen: [FollowedFile] = []
        var seenIDs = Set<FileID>()
        for path in currentPaths() {
            var st = stat()
            guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            let id = FileID(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
            if seenIDs.contains(id) { continue }  // the same file under two followed names
            if let file = files[id] {
                file.path = path
                seenIDs.insert(id)
                seen.append(file)
                continue
            }
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { continue }
            var fst = stat()
            fstat(fd, &fst)
            let openedID = FileID(device: UInt64(fst.st_dev), inode: UInt64(fst.st_ino))
            if seenIDs.contains(openedID) || files[openedID] != nil {
                close(fd)  // replaced between stat and open by a file we know
                continue
            }
            let file = FollowedFile(path: path, fd: fd, id: openedID, options: options)
            if let position = resume.removeValue(forKey: openedID) { resumeFile(file, at: position, size: Int(fst.st_size)) }
            files[openedID] = file
            seenIDs.insert(openedID)
            seen.append(file)
        }
        // Files gone from every followed path: drain through the open descriptor, then let go.
        let gone = files.values.filter { !seenIDs.contains($0.id) }
            .sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        for file in gone {
            let base = file.lineBase
            readAppended(file, final: true) { line, source in onEvent(line, Self.renumbered(source, base)) }
            retire(file) { line, source in onEvent(line, Self.renumbered(source, base)) }
            files[file.id] = nil
        }
        // Positions of files not found again at the first poll are let go: a later file that reuses the
        // inode must not resume at their offset.
        resume.removeAll()
        for file in seen {
            let base = file.lineBase
            readAppended(file, final: false) { line, source in onEvent(line, Self.renumbered(source, file.lineBase == base ? base : 0)) }
            pendingProblems += file.decoder.takeProblems()
        }
    }

    /// A resumed file's line numbers go on from where the checkpoint left them.
    private static func renumbered(_ source: EventReference, _ base: Int) -> EventReference {
        guard base != 0 else { return source }
        var numbered = source
        numbered.line += base
        return numbered
    }

    /// Sets a file found again after a restart to where the checkpoint left it.
    private func resumeFile(_ file: FollowedFile, at position: FilePosition, size: Int) {
        guard size >= position.offset else { return }  // truncated since: read it again from 0
        switch position.progress {
        case .complete:
            file.kind = .gzipDone
            file.offset = position.offset
        case .lines:
            file.kind = .plain
            file.offset = position.offset
            file.lineBase = position.lines
            file.decoder = EventDecoder(input: file.path, options: options, format: .ndjson, offsetBase: position.offset)
        case .restart:
            // A file read to its end is done; one stopped mid-way cannot resume inside a JSON document.
            if position.offset >= size, position.offset > 0 {
                file.kind = .plain
                file.offset = position.offset
                file.lineBase = position.lines
                file.decoder = EventDecoder(input: file.path, options: options, format: .envelope, offsetBase: position.offset)
            }
        }
    }

    /// Delivers the partial line of a file that is done, closes it and keeps its counters.
    private func retire(_ file: FollowedFile, _ onEvent: (UnsafeRawBufferPointer, EventReference) -> Void) {
        if case .gzip = file.kind {} else if case .gzipDone = file.kind {} else { file.decoder.finish(onEvent) }
        collect(file)
        close(file.fd)
    }

    /// Moves a decoder's problems and counters into the tailer's totals.
    private func collect(_ file: FollowedFile) {
        pendingProblems += file.decoder.takeProblems()
        var c = file.counters
        c += file.decoder.counters
        finishedCounters[file.path, default: InputCounters()] += c
    }

    /// Reads `file` from its offset to its end.
    private func readAppended(_ file: FollowedFile, final: Bool, _ onEvent: (UnsafeRawBufferPointer, EventReference) -> Void) {
        var st = stat()
        guard fstat(file.fd, &st) == 0 else { return }
        let size = Int(st.st_size)
        if size < file.offset {
            // Truncated in place: what was there is finished; start again at 0.
            if case .plain = file.kind { file.decoder.finish(onEvent) }
            collect(file)
            file.counters = InputCounters()
            file.decoder = EventDecoder(input: file.path, options: options)
            file.offset = 0
            file.lineBase = 0
            file.kind = .unknown
        }
        if case .unknown = file.kind {
            if size < 2 && !final { return }
            var magic: (UInt8, UInt8) = (0, 0)
            let n = withUnsafeMutableBytes(of: &magic) { pread(file.fd, $0.baseAddress, 2, 0) }
            file.kind = n == 2 && magic == (0x1F, 0x8B) ? .gzip(lastSize: -1) : .plain
        }
        switch file.kind {
        case .gzipDone, .unknown:
            return
        case .gzip(let lastSize):
            if size == lastSize || final {
                decodeGzip(file, size: size, onEvent)
            } else {
                file.kind = .gzip(lastSize: size)
            }
        case .plain:
            while file.offset < size || final {
                let n = pread(file.fd, buffer.baseAddress, buffer.count, off_t(file.offset))
                if n < 0 {
                    if errno == EINTR { continue }
                    file.decoder.report(.read(errno: errno))
                    return
                }
                if n == 0 { return }
                file.counters.bytesRead += n
                file.offset += n
                file.decoder.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), onEvent)
            }
        }
    }

    /// Decodes a whole gzip file once.
    private func decodeGzip(_ file: FollowedFile, size: Int, _ onEvent: (UnsafeRawBufferPointer, EventReference) -> Void) {
        var position = 0
        let decoder = file.decoder
        do {
            let summary = try GzipDecompressor(maxOutput: options.maxUncompressedBytes).decompress(
                from: { target in
                    let n = pread(file.fd, target.baseAddress, target.count, off_t(position))
                    if n <= 0 { return 0 }
                    position += n
                    return n
                },
                into: { chunk in decoder.feed(chunk, onEvent) })
            if summary.trailingBytes > 0 { decoder.report(.gzipTrailingBytes(summary.trailingBytes)) }
            decoder.finish(onEvent)
        } catch let error as GzipError {
            decoder.report(.gzip(error))
        } catch {
            decoder.report(.read(errno: EIO))
        }
        file.counters.bytesRead += position
        file.offset = position
        file.kind = .gzipDone
    }

    /// The files currently under the followed paths, in order, without duplicates.
    func currentPaths() -> [String] {
        var out: [String] = []
        var unique = Set<String>()
        for path in paths {
            var found: [String] = []
            if Self.isGlob(path) {
                for match in Self.glob(path) { Self.collectFiles(match, into: &found) }
            } else {
                Self.collectFiles(path, into: &found)
            }
            for f in found where unique.insert(f).inserted { out.append(f) }
        }
        return out
    }

    static func isGlob(_ path: String) -> Bool {
        path.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
    }

    /// collectFiles adds `path`, or the files under it when it is a folder; missing paths add nothing.
    static func collectFiles(_ path: String, into found: inout [String]) {
        var inputs: [Input] = []
        var problems: [InputError.Problem] = []
        InputSet.expand(path, into: &inputs, problems: &problems, visited: [])
        for input in inputs { found.append(input.name) }
    }

    /// The matches of a glob pattern, sorted.
    static func glob(_ pattern: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
        }
        return out.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
