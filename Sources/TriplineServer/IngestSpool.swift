import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where the spool reader stands: the first byte not yet read, and the number of lines read before it.
public struct SpoolPosition: Codable, Sendable, Hashable {
    public var segment: Int
    public var offset: Int
    /// Lines read before this position (numbers the `http` input's lines across segments).
    public var lines: Int

    public init(segment: Int = 1, offset: Int = 0, lines: Int = 0) {
        self.segment = segment
        self.offset = offset
        self.lines = lines
    }
}

/// The durable queue between `POST /ingest` and the pipeline: NDJSON segment files in
/// `<state-dir>/spool/`.
///
/// A batch is written and `fdatasync`ed before ``append(_:)`` returns, so a 2xx sent after it survives
/// a crash; the reader sees only synced bytes, so nothing is counted that a crash could take back.
/// Appends that wait on the same sync share it (group commit). The bytes written but not yet read
/// are bounded by `limit`: beyond it ``append(_:)`` answers `.full` and the server says 429.
/// Segments wholly before a checkpointed position are deleted by ``discard(before:)``.
public final class IngestSpool: @unchecked Sendable {
    public enum AppendResult: Sendable, Equatable { case accepted, full, stopped }

    public let directory: String
    /// The most bytes written and not yet read.
    public let limit: Int
    let segmentSize: Int
    private let condition = NSCondition()
    // Writer: guarded by `condition`.
    private var writeSegment: Int
    private var writeDescriptor: Int32
    private var writeOffset: Int
    private var syncedSegment: Int
    private var syncedOffset: Int
    private var syncing = false
    private var stopped = false
    /// Set by a failed write or sync: the spool takes nothing more.
    private var failed: SpoolError?
    // Reader: used by the reading thread only, except `readBytes` (guarded).
    private var readPosition: SpoolPosition
    private var readDescriptor: Int32 = -1
    private var readDescriptorSegment = 0
    /// Longer lines are counted as oversized and skipped, as in files.
    let maxLineLength: Int
    private var writtenBytes = 0
    private var readBytes = 0

    /// Opens the spool in `directory`, resuming reading at `position` (from the last checkpoint).
    /// Writing continues in a new segment after the newest one found.
    /// - Throws: ``SpoolError`` when the directory or a segment cannot be created.
    public init(
        directory: String, limit: Int, maxLineLength: Int = 262_144, segmentSize: Int = 64 << 20, resumeAt position: SpoolPosition?
    ) throws(SpoolError) {
        self.directory = directory
        self.maxLineLength = maxLineLength

        self.limit = max(1, limit)
        self.segmentSize = max(1, segmentSize)
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw SpoolError("cannot create the spool directory '\(directory)': \(error.localizedDescription)")
        }
        let existing = Self.segments(in: directory)
        let start = position ?? SpoolPosition(segment: existing.first ?? 1, offset: 0, lines: 0)
        readPosition = start
        writeSegment = max((existing.last ?? 0) + 1, start.segment)
        writeOffset = 0
        writeDescriptor = -1
        syncedSegment = writeSegment
        syncedOffset = 0
        // Bytes left over from before the restart count against the limit until read.
        var backlog = 0
        for segment in existing where segment >= start.segment {
            backlog += Self.size(of: Self.path(directory, segment)) - (segment == start.segment ? start.offset : 0)
        }
        writtenBytes = max(0, backlog)
        writeDescriptor = try openSegment(writeSegment)
        for segment in existing where segment < start.segment { unlink(Self.path(directory, segment)) }
    }

    deinit {
        if writeDescriptor >= 0 { close(writeDescriptor) }
        if readDescriptor >= 0 { close(readDescriptor) }
    }

    /// Bytes written and not yet read.
    public var backlog: Int {
        condition.lock()
        defer { condition.unlock() }
        return writtenBytes - readBytes
    }

    /// Whether a batch of `count` bytes would be refused now for want of room (a hint; `append` decides).
    public func wouldRefuse(_ count: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return writtenBytes - readBytes > 0 && writtenBytes - readBytes + count > limit
    }

    /// Refuses further appends (shutdown); appends already written still finish.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Writes `lines` (whole NDJSON lines) durably.
    /// - Returns: `.full` when the unread bytes would exceed the limit, `.stopped` after ``stop()``.
    /// - Throws: ``SpoolError`` when the disk write or sync fails (nothing is acknowledged then).
    public func append(_ lines: [UInt8]) throws(SpoolError) -> AppendResult {
        let result = lines.withUnsafeBytes { bytes in Result { () throws(SpoolError) in try append(bytes) } }
        return try result.get()
    }

    /// Writes `bytes` (whole NDJSON lines, the last one's `\n` added when `newline`) durably.
    public func append(_ bytes: UnsafeRawBufferPointer, newline: Bool = false) throws(SpoolError) -> AppendResult {
        let total = bytes.count + (newline ? 1 : 0)
        guard total > 0 else { return .accepted }
        condition.lock()
        defer { condition.unlock() }
        if let failed { throw failed }
        if stopped { return .stopped }
        // A batch larger than the whole limit is still taken when the spool is empty, so no batch
        // under the body limit can be refused forever.
        if writtenBytes - readBytes > 0, writtenBytes - readBytes + total > limit { return .full }
        if writeOffset > 0, writeOffset + total > segmentSize { try rollLocked() }
        if let failure = writeLocked(bytes, newline: newline) { throw fail(failure) }
        writeOffset += total
        writtenBytes += total
        let segment = writeSegment
        let end = writeOffset
        // Group commit: one fdatasync covers every append written before it started. A later segment
        // synced means this one was synced whole before the roll.
        while syncedSegment == segment, syncedOffset < end {
            if let failed { throw failed }
            if syncing {
                condition.wait()
                continue
            }
            try syncLocked()
        }
        condition.broadcast()
        return .accepted
    }

    private func writeLocked(_ bytes: UnsafeRawBufferPointer, newline: Bool) -> SpoolError? {
        let total = bytes.count + (newline ? 1 : 0)
        var done = 0
        while done < total {
            let n: Int
            if done < bytes.count {
                n = pwrite(writeDescriptor, bytes.baseAddress! + done, bytes.count - done, off_t(writeOffset + done))  // safe because: done < count, so bytes is not empty
            } else {
                var newlineByte: UInt8 = 0x0A
                n = pwrite(writeDescriptor, &newlineByte, 1, off_t(writeOffset + done))
            }
            if n < 0 {
                if errno == EINTR { continue }
                return SpoolError("cannot write to the spool segment \(Self.path(directory, writeSegment)): \(String(cString: strerror(errno)))")
            }
            done += n
        }
        return nil
    }

    /// Closes the full segment (synced whole, the lock held throughout: once per segment) and opens the next.
    private func rollLocked() throws(SpoolError) {
        while syncing { condition.wait() }
        if let failed { throw failed }
        guard fdatasync(writeDescriptor) == 0 else {
            throw fail(SpoolError("cannot sync the spool segment \(Self.path(directory, writeSegment)): \(String(cString: strerror(errno)))"))
        }
        // The next segment is opened before the old one is closed: a failed open changes nothing.
        let next = try openSegment(writeSegment + 1)
        close(writeDescriptor)
        writeDescriptor = next
        writeSegment += 1
        writeOffset = 0
        syncedSegment = writeSegment
        syncedOffset = 0
    }

    /// Syncs the write segment; called with the lock held, released during the sync itself (a roll
    /// waits for it, so the descriptor stays open).
    private func syncLocked() throws(SpoolError) {
        syncing = true
        let descriptor = writeDescriptor
        let segment = writeSegment
        let target = writeOffset
        condition.unlock()
        let result = fdatasync(descriptor)
        let error = errno
        condition.lock()
        syncing = false
        condition.broadcast()
        guard result == 0 else {
            throw fail(SpoolError("cannot sync the spool segment \(Self.path(directory, segment)): \(String(cString: strerror(error)))"))
        }
        if syncedSegment == segment { syncedOffset = max(syncedOffset, target) }
    }

    /// A failed write or sync leaves the disk in doubt: bytes past the synced offset are cut off (no
    /// batch answered with an error is read later) and the spool refuses every further batch.
    private func fail(_ error: SpoolError) -> SpoolError {
        if failed == nil {
            failed = error
            if syncedSegment == writeSegment { ftruncate(writeDescriptor, off_t(syncedOffset)) }
            writeOffset = syncedOffset
        }
        condition.broadcast()
        return error
    }

    /// Waits until synced bytes are available to read or `timeout` passes; true when there are some.
    public func waitForData(timeout: Double) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while !hasUnreadLocked, !stopped {
            if !condition.wait(until: deadline) { break }
        }
        return hasUnreadLocked
    }

    private var hasUnreadLocked: Bool {
        readPosition.segment < syncedSegment || (readPosition.segment == syncedSegment && readPosition.offset < syncedOffset)
    }

    /// The reader's position: everything before it has been handed out.
    public var position: SpoolPosition {
        condition.lock()
        defer { condition.unlock() }
        return readPosition
    }

    /// A run of whole lines read into the caller's buffer.
    public struct Chunk: Sendable {
        /// Bytes of lines at the start of the buffer (the last line may lack its `\n` only at the end of a
        /// segment left by a crash).
        public var length: Int
        /// Bytes consumed from the spool (`length`, plus an oversized line skipped).
        public var bytes: Int
        /// The number of the first line (counting a skipped oversized one) and the offset of `length`'s first byte.
        public var firstLine: Int
        public var offset: Int
        /// Lines longer than the buffer, skipped before the chunk's lines.
        public var oversized: Int
    }

    /// Reads as many whole lines as fit in `buffer`; nil when nothing is available now.
    /// A line longer than the buffer is skipped and counted in ``Chunk/oversized``.
    public func readChunk(into buffer: UnsafeMutableRawBufferPointer) -> Chunk? {
        condition.lock()
        let visibleEnd: Int
        if readPosition.segment < syncedSegment {
            visibleEnd = Self.size(of: Self.path(directory, readPosition.segment))
        } else {
            visibleEnd = readPosition.segment == syncedSegment ? syncedOffset : 0
        }
        let moreSegments = readPosition.segment < syncedSegment
        let position = readPosition
        condition.unlock()
        if position.offset >= visibleEnd {
            // An older segment is finished: go on with the next one.
            guard moreSegments else { return nil }
            advance(to: SpoolPosition(segment: position.segment + 1, offset: 0, lines: position.lines), bytes: 0)
            return readChunk(into: buffer)
        }
        if readDescriptorSegment != position.segment || readDescriptor < 0 {
            if readDescriptor >= 0 { close(readDescriptor) }
            readDescriptor = open(Self.path(directory, position.segment), O_RDONLY | O_CLOEXEC)
            // A failed open is tried again on the next read.
            guard readDescriptor >= 0 else { return nil }
            readDescriptorSegment = position.segment
        }
        guard let base = buffer.baseAddress else { return nil }
        let want = min(buffer.count, visibleEnd - position.offset)
        let n = pread(readDescriptor, base, want, off_t(position.offset))
        guard n > 0 else { return nil }
        // The chunk ends after its last newline; the rest is read again next time.
        var length = 0
        // Backwards: the last newline is at most one line from the end.
        var back = n
        while back > 0, buffer[back - 1] != 0x0A { back -= 1 }
        length = back
        if length == 0 {
            if n == buffer.count {
                // A line longer than the buffer: skip to its end.
                let skipped = skipLine(from: position.offset, limit: visibleEnd)
                advance(to: SpoolPosition(segment: position.segment, offset: position.offset + skipped, lines: position.lines + 1), bytes: skipped)
                return Chunk(length: 0, bytes: skipped, firstLine: position.lines + 1, offset: position.offset, oversized: 1)
            }
            // Synced bytes end with a newline; only an older segment cut by a crash ends without one.
            guard moreSegments, position.offset + n == visibleEnd else { return nil }
            length = n
        }
        var lines = 0
        var index = 0
        while index < length, let found = memchr(base + index, 0x0A, length - index) {
            lines += 1
            index = base.distance(to: UnsafeMutableRawPointer(found)) + 1
        }
        if index < length { lines += 1 }  // a torn last line
        advance(to: SpoolPosition(segment: position.segment, offset: position.offset + length, lines: position.lines + lines), bytes: length)
        return Chunk(length: length, bytes: length, firstLine: position.lines + 1, offset: position.offset, oversized: 0)
    }

    /// The bytes up to and including the next newline from `offset` (or to `limit`).
    private func skipLine(from offset: Int, limit: Int) -> Int {
        var scratch = [UInt8](repeating: 0, count: 64 * 1024)
        var at = offset
        while at < limit {
            let n = scratch.withUnsafeMutableBytes { pread(readDescriptor, $0.baseAddress, min($0.count, limit - at), off_t(at)) }
            guard n > 0 else { break }
            if let newline = scratch[0..<n].firstIndex(of: 0x0A) { return at + newline + 1 - offset }
            at += n
        }
        return limit - offset
    }

    private func advance(to position: SpoolPosition, bytes: Int) {
        condition.lock()
        readPosition = position
        readBytes += bytes
        condition.broadcast()
        condition.unlock()
    }

    /// Deletes the segments wholly before `position` (call after a checkpoint at `position`).
    public func discard(before position: SpoolPosition) {
        for segment in Self.segments(in: directory) where segment < position.segment && segment < readPosition.segment {
            unlink(Self.path(directory, segment))
        }
    }

    private func openSegment(_ segment: Int) throws(SpoolError) -> Int32 {
        let path = Self.path(directory, segment)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SpoolError("cannot create the spool segment \(path): \(String(cString: strerror(errno)))")
        }
        // The new name must survive a crash too.
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
        return descriptor
    }

    static func path(_ directory: String, _ segment: Int) -> String {
        let digits = String(segment)
        return directory + "/" + String(repeating: "0", count: max(0, 12 - digits.count)) + digits + ".ndjson"
    }

    static func segments(in directory: String) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name in
            guard name.hasSuffix(".ndjson") else { return nil }
            return Int(name.dropLast(7))
        }.sorted()
    }

    static func size(of path: String) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }
}

/// A spool problem: the message names the file and the system error.
public struct SpoolError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
