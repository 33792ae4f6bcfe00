/// Splits a CloudTrail log file, `{"Records":[{...},{...}]}`, into its records, fed in chunks.
///
/// The envelope is never held whole: bytes are scanned once, and each record is copied (compacted:
/// whitespace outside strings removed) into a reusable scratch buffer, so a pretty-printed record gives
/// the same bytes as the one-line JSON CloudTrail delivers to CloudWatch Logs. Each record is passed to
/// `onRecord` with its number (1-based) and the offset of its `{` in the stream.
///
/// - Several envelopes in a row (`cat *.json`) are read one after the other; numbering goes on.
/// - Members other than `Records` are skipped; records must be objects.
/// - A record longer than `maxRecordLength` once compacted is reported to `onOversized` and skipped.
/// - Nesting deeper than `maxDepth` inside a record, a mismatched bracket, or anything that is not
///   envelope syntax stops the scan: ``failure`` says what and where, and further input is ignored.
///
/// Strings are copied as they are (escapes kept); the scanner checks brackets, not full JSON syntax.
/// `EventView` validates each event later, as it does for NDJSON lines.
struct EnvelopeScanner: ~Copyable {
    private enum State {
        case start, key, keyString, colon, value, arrayStart, arrayNext, record, afterRecord, afterMember
        case skipString, skipScalar, skipContainer, failed
    }

    let maxRecordLength: Int
    let maxDepth: Int
    private var state = State.start
    /// Offset of the next byte fed.
    private var position = 0
    /// The compacted record so far.
    private var scratch: [UInt8] = []
    private var recordStart = 0
    private var recordLength = 0
    private var oversized = false
    private var inString = false
    private var escaped = false
    /// Open brackets of the current record (or skipped value): `true` for `{`.
    private var stack: [Bool] = []
    /// The first bytes of the current member key (enough to recognise `Records`).
    private var key: [UInt8] = []
    private var keyIsRecords = false
    /// The number the next record gets.
    private(set) var nextRecordNumber = 1
    /// Why the scan stopped, and the offset of the offending byte.
    private(set) var failure: (message: String, offset: Int)?

    init(maxRecordLength: Int, maxDepth: Int) {
        self.maxRecordLength = maxRecordLength
        self.maxDepth = maxDepth
        scratch.reserveCapacity(min(maxRecordLength, 64 * 1024))
        stack.reserveCapacity(16)
    }

    /// Whether the input so far ends at a clean point (between envelopes).
    var isAtBoundary: Bool { state == .start }

    private static let records: [UInt8] = Array("Records".utf8)

    @inline(__always)
    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    private mutating func fail(_ message: String, at offset: Int) {
        state = .failed
        failure = (message, offset)
    }

    /// Scans `chunk`, passing each completed record to `onRecord` (valid only during the call).
    mutating func feed(
        _ chunk: UnsafeRawBufferPointer,
        onRecord: (_ record: UnsafeRawBufferPointer, _ number: Int, _ offset: Int) -> Void,
        onOversized: (_ number: Int, _ offset: Int, _ length: Int) -> Void
    ) {
        var i = 0
        let n = chunk.count
        let base = position
        defer { position = base + n }
        while i < n {
            let b = chunk[i]
            switch state {
            case .failed:
                return
            case .record:
                i = scanRecord(chunk, from: i, base: base, onRecord: onRecord, onOversized: onOversized)
                continue
            case .start:
                if b == UInt8(ascii: "{") {
                    state = .key
                } else if !Self.isSpace(b) {
                    fail("expected '{' to open a CloudTrail envelope", at: base + i)
                }
            case .key:
                if b == UInt8(ascii: "\"") {
                    key.removeAll(keepingCapacity: true)
                    escaped = false
                    state = .keyString
                } else if b == UInt8(ascii: "}") {
                    state = .start
                } else if !Self.isSpace(b) {
                    fail("expected a quoted key or '}' in the envelope", at: base + i)
                }
            case .keyString:
                if escaped {
                    escaped = false
                    if key.count < 16 { key.append(b) }
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                    if key.count < 16 { key.append(b) }
                } else if b == UInt8(ascii: "\"") {
                    keyIsRecords = key == Self.records
                    state = .colon
                } else if key.count < 16 {
                    key.append(b)
                }
            case .colon:
                if b == UInt8(ascii: ":") {
                    state = .value
                } else if !Self.isSpace(b) {
                    fail("expected ':' after an envelope key", at: base + i)
                }
            case .value:
                if Self.isSpace(b) { break }
                if keyIsRecords {
                    if b == UInt8(ascii: "[") {
                        state = .arrayStart
                    } else {
                        fail("expected '[' after \"Records\":", at: base + i)
                    }
                } else if b == UInt8(ascii: "\"") {
                    escaped = false
                    state = .skipString
                } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                    stack.removeAll(keepingCapacity: true)
                    stack.append(b == UInt8(ascii: "{"))
                    inString = false
                    escaped = false
                    state = .skipContainer
                } else if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") {
                    fail("expected a value after an envelope key", at: base + i)
                } else {
                    state = .skipScalar
                }
            case .arrayStart, .arrayNext:
                if Self.isSpace(b) { break }
                if b == UInt8(ascii: "{") {
                    beginRecord(at: base + i)
                } else if b == UInt8(ascii: "]") && state == .arrayStart {
                    state = .afterMember
                } else {
                    fail("expected a record object in \"Records\"", at: base + i)
                }
            case .afterRecord:
                if b == UInt8(ascii: ",") {
                    state = .arrayNext
                } else if b == UInt8(ascii: "]") {
                    state = .afterMember
                } else if !Self.isSpace(b) {
                    fail("expected ',' or ']' after a record", at: base + i)
                }
            case .afterMember:
                if b == UInt8(ascii: ",") {
                    state = .key
                } else if b == UInt8(ascii: "}") {
                    state = .start
                } else if !Self.isSpace(b) {
                    fail("expected ',' or '}' in the envelope", at: base + i)
                }
            case .skipString:
                if escaped {
                    escaped = false
                } else if b == UInt8(ascii: "\\") {
                    escaped = true
                } else if b == UInt8(ascii: "\"") {
                    state = .afterMember
                }
            case .skipScalar:
                if b == UInt8(ascii: ",") || b == UInt8(ascii: "}") || Self.isSpace(b) {
                    state = .afterMember
                    continue  // the delimiter belongs to the member list: scan it again
                }
            case .skipContainer:
                if !skipContainerByte(b, at: base + i) { return }
            }
            i += 1
        }
    }

    /// Ends the stream; returns false (and sets ``failure``) when it stopped inside an envelope.
    mutating func finish() -> Bool {
        switch state {
        case .start: return true
        case .failed: return false
        default:
            fail("the envelope ends early (truncated file?)", at: position)
            return false
        }
    }

    private mutating func beginRecord(at offset: Int) {
        state = .record
        recordStart = offset
        recordLength = 1
        oversized = maxRecordLength < 1
        scratch.removeAll(keepingCapacity: true)
        if !oversized { scratch.append(UInt8(ascii: "{")) }
        stack.removeAll(keepingCapacity: true)
        stack.append(true)
        inString = false
        escaped = false
    }

    /// Copies record bytes from `chunk[start...]` until the record ends or the chunk does; returns the
    /// index to go on from.
    private mutating func scanRecord(
        _ chunk: UnsafeRawBufferPointer,
        from start: Int,
        base: Int,
        onRecord: (_ record: UnsafeRawBufferPointer, _ number: Int, _ offset: Int) -> Void,
        onOversized: (_ number: Int, _ offset: Int, _ length: Int) -> Void
    ) -> Int {
        var i = start
        let n = chunk.count
        while i < n {
            if inString {
                // Copy the run of plain string bytes in one go.
                var j = i
                while j < n {
                    let c = chunk[j]
                    if escaped {
                        escaped = false
                    } else if c == UInt8(ascii: "\\") {
                        escaped = true
                    } else if c == UInt8(ascii: "\"") {
                        inString = false
                        j += 1
                        break
                    }
                    j += 1
                }
                emit(UnsafeRawBufferPointer(rebasing: chunk[i..<j]))
                i = j
                continue
            }
            let b = chunk[i]
            switch b {
            case 0x20, 0x0A, 0x0D, 0x09:
                break
            case UInt8(ascii: "\""):
                inString = true
                emit(b)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if stack.count >= maxDepth {
                    fail("a record nests deeper than \(maxDepth) levels", at: base + i)
                    return n
                }
                stack.append(b == UInt8(ascii: "{"))
                emit(b)
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                // Safe to unwrap: the stack holds the record's own '{' until the record ends.
                if stack.removeLast() != (b == UInt8(ascii: "}")) {
                    fail("mismatched '\(Character(Unicode.Scalar(b)))' in a record", at: base + i)
                    return n
                }
                emit(b)
                if stack.isEmpty {
                    if oversized {
                        onOversized(nextRecordNumber, recordStart, recordLength)
                    } else {
                        scratch.withUnsafeBytes { onRecord($0, nextRecordNumber, recordStart) }
                    }
                    nextRecordNumber += 1
                    state = .afterRecord
                    return i + 1
                }
            default:
                emit(b)
            }
            i += 1
        }
        return n
    }

    @inline(__always)
    private mutating func emit(_ b: UInt8) {
        recordLength += 1
        if oversized { return }
        if recordLength > maxRecordLength {
            oversized = true
            scratch.removeAll(keepingCapacity: true)
            return
        }
        scratch.append(b)
    }

    @inline(__always)
    private mutating func emit(_ bytes: UnsafeRawBufferPointer) {
        recordLength += bytes.count
        if oversized { return }
        if recordLength > maxRecordLength {
            oversized = true
            scratch.removeAll(keepingCapacity: true)
            return
        }
        scratch.append(contentsOf: bytes)
    }

    /// Steps over one byte of a skipped object or array value; false when the scan failed.
    private mutating func skipContainerByte(_ b: UInt8, at offset: Int) -> Bool {
        if inString {
            if escaped {
                escaped = false
            } else if b == UInt8(ascii: "\\") {
                escaped = true
            } else if b == UInt8(ascii: "\"") {
                inString = false
            }
            return true
        }
        switch b {
        case UInt8(ascii: "\""):
            inString = true
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if stack.count >= maxDepth {
                fail("an envelope member nests deeper than \(maxDepth) levels", at: offset)
                return false
            }
            stack.append(b == UInt8(ascii: "{"))
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            if stack.removeLast() != (b == UInt8(ascii: "}")) {
                fail("mismatched '\(Character(Unicode.Scalar(b)))' in the envelope", at: offset)
                return false
            }
            if stack.isEmpty { state = .afterMember }
        default:
            break
        }
        return true
    }
}
