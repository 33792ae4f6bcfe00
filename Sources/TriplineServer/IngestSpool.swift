import EventScan
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
    // Reader: used by the reading thread only, except `readBytes` (guarded).
    private var readPosition: SpoolPosition
    private var readDescriptor: Int32 = -1
    private var readDescriptorSegment = 0
    private var lines: LineBuffer
    private var lineBase: (offset: Int, lines: Int) = (0, 0)
    private var fedOffset = 0
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
        lines = LineBuffer(maxLineLength: maxLineLength, initialCapacity: 64 * 1024)
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
        startSegment()
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
        if stopped { return .stopped }
        // A batch larger than the whole limit is still taken when the spool is empty, so no batch
        // under the body limit can be refused forever.
        if writtenBytes - readBytes > 0, writtenBytes - readBytes + total > limit { return .full }
        if writeOffset > 0, writeOffset + total > segmentSize {
            try syncLocked()
            close(writeDescriptor)
            writeSegment += 1
            writeOffset = 0
            writeDescriptor = try openSegment(writeSegment)
            syncedSegment = writeSegment
            syncedOffset = 0
        }
        let failure: SpoolError? = {
            var done = 0
            while done < total {
                let n: Int
                if done < bytes.count {
                    n = pwrite(writeDescriptor, bytes.baseAddress! + done, bytes.count - done, off_t(writeOffset + done))  // safe because: bytes is not empty here
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
        }()
        if let failure { throw failure }
        writeOffset += total
        writtenBytes += total
        let segment = writeSegment
        let end = writeOffset
        // Group commit: one fdatasync covers every append written before it started.
        while syncedSegment == segment, syncedOffset < end {
            if syncing {
                condition.wait()
                continue
            }
            try syncLocked()
        }
        condition.broadcast()
        return .accepted
    }

    /// Syncs the write segment; called with the lock held, released during the sync itself.
    private func syncLocked() throws(SpoolError) {
        syncing = true
        let descriptor = writeDescriptor
        let segment = writeSegment
        let target = writeOffset
        condition.unlock()
        let result = fdatasync(descriptor)
        let failure = errno
        condition.lock()
        syncing = false
        condition.broadcast()
        guard result == 0 else {
            throw SpoolError("cannot sync the spool segment \(Self.path(directory, segment)): \(String(cString: strerror(failure)))")
        }
        if syncedSegment == segment { syncedOffset = max(syncedOffset, target) }
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

    /// Reads up to about `maxBytes` of synced lines, in order, from the reader's position.
    /// - Returns: the bytes read (0 when nothing is available).
    public func read(
        maxBytes: Int, buffer: UnsafeMutableRawBufferPointer,
        _ onLine: (_ line: UnsafeRawBufferPointer, _ number: Int, _ offset: Int) -> Void,
        onOversized: (_ number: Int, _ offset: Int, _ length: Int) -> Void
    ) -> Int {
        condition.lock()
        let visibleEnd: Int
        if readPosition.segment < syncedSegment {
            visibleEnd = Self.size(of: Self.path(directory, readPosition.segment))
        } else {
            visibleEnd = readPosition.segment == syncedSegment ? syncedOffset : 0
        }
        let moreSegments = readPosition.segment < syncedSegment
        condition.unlock()
        let base = lineBase
        let deliver: (UnsafeRawBufferPointer, Int, Int) -> Void = { line, number, offset in
            onLine(line, base.lines + number, base.offset + offset)
        }
        let oversized: (Int, Int, Int) -> Void = { number, offset, length in
            onOversized(base.lines + number, base.offset + offset, length)
        }
        if fedOffset >= visibleEnd {
            // An older segment is finished (a last line without newline is still delivered): go on.
            if moreSegments {
                lines.finish(deliver, onOversized: oversized)
                condition.lock()
                readPosition = SpoolPosition(segment: readPosition.segment + 1, offset: 0, lines: base.lines + lines.nextLineNumber - 1)
                condition.unlock()
                startSegment()
            }
            return 0
        }
        if readDescriptorSegment != readPosition.segment {
            if readDescriptor >= 0 { close(readDescriptor) }
            readDescriptor = open(Self.path(directory, readPosition.segment), O_RDONLY | O_CLOEXEC)
            readDescriptorSegment = readPosition.segment
            guard readDescriptor >= 0 else { return 0 }
        }
        var total = 0
        while total < maxBytes, fedOffset < visibleEnd {
            let want = min(buffer.count, visibleEnd - fedOffset)
            let n = pread(readDescriptor, buffer.baseAddress!, want, off_t(fedOffset))  // safe because: the buffer is allocated
            guard n > 0 else { break }
            lines.append(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), deliver, onOversized: oversized)
            fedOffset += n
            total += n
        }
        condition.lock()
        readPosition.offset = base.offset + lines.completedOffset
        readPosition.lines = base.lines + lines.nextLineNumber - 1
        readBytes += total
        condition.broadcast()
        condition.unlock()
        return total
    }

    /// Starts splitting lines at the reader's position.
    private func startSegment() {
        lines = LineBuffer(maxLineLength: maxLineLength, initialCapacity: 64 * 1024)
        lineBase = (readPosition.offset, readPosition.lines)
        fedOffset = readPosition.offset
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
