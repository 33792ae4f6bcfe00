internal import CEventScan

// The lenient member walk of `recordMembers(of:into:)`, run on bytes that go on past the line: it
// also finds where the line ends, so a reader framing NDJSON need not search for the newline first.
// Nothing it reads may be a newline (a line holds none), so it never walks out of the line.

extension EventView {
    /// Hands each member of the root object at the start of the bytes to `recorder`, as
    /// ``recordMembers(of:into:)`` does for the ``root()`` of a line, and returns the line's length
    /// (the offset of the newline after the object and its trailing spaces).
    ///
    /// Returns nil (the recorder may have received some members) when the walk cannot finish inside
    /// the first line: the bytes do not start with an object, the object is malformed where the walk
    /// looks, a newline comes before its closing brace, or something other than spaces, tabs and
    /// carriage returns follows it before the newline. The caller then frames the line by searching
    /// and walks it as before, with the same result as ever.
    ///
    /// When it returns a length, `recordMembers(of: root(), into:)` on the bytes before the newline
    /// gives the same members.
    public func recordMembersOfFirstLine<Recorder: TopLevelMemberRecorder>(into recorder: inout Recorder) -> Int? {
        let count = bytes.count
        var index = skipSpaceInLine(0)
        guard index < count, bytes[index] == ASCII.openBrace else { return nil }
        index = skipSpaceInLine(index &+ 1)
        guard index < count else { return nil }
        if bytes[index] != ASCII.closeBrace {
            while true {
                guard index < count, bytes[index] == ASCII.quote, let name = scanStringInLine(from: index &+ 1) else {
                    return nil
                }
                let key = JSONNode(kind: .string, start: index &+ 1, end: name.close, hasEscapes: name.hasEscapes)
                index = skipSpaceInLine(name.close &+ 1)
                guard index < count, bytes[index] == ASCII.colon else { return nil }
                guard let value = valueInLine(at: skipSpaceInLine(index &+ 1)) else { return nil }
                recorder.record(name: key, value: value)
                index = skipSpaceInLine(offset(after: value))
                guard index < count else { return nil }
                if bytes[index] == ASCII.closeBrace { break }
                guard bytes[index] == ASCII.comma else { return nil }
                index = skipSpaceInLine(index &+ 1)
            }
        }
        // Past the closing brace: only spaces up to the newline.
        index = skipSpaceInLine(index &+ 1)
        return index < count && bytes[index] == ASCII.newline ? index : nil
    }

    /// The first offset at or after `start` that is not a space, tab or carriage return.
    @inline(__always)
    func skipSpaceInLine(_ start: Int) -> Int {
        var index = start
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            guard byte == ASCII.space || byte == ASCII.tab || byte == ASCII.carriageReturn else { break }
            index &+= 1
        }
        return index
    }

    /// As ``scanString(from:)``, but nil at a newline, escaped or not.
    @inline(__always)
    func scanStringInLine(from start: Int) -> (close: Int, hasEscapes: Bool)? {
        let count = bytes.count
        var index = start
        var hasEscapes = false
        while true {
            // The strict stops include every control byte, so a newline cannot be skipped over.
            index = firstStop(from: index, .strict)
            guard index < count else { return nil }
            let byte = bytes[index]
            if byte == ASCII.quote { return (index, hasEscapes) }
            if byte == ASCII.newline { return nil }
            if byte == ASCII.backslash {
                // The byte it escapes must not be the newline either.
                hasEscapes = true
                guard index &+ 1 < count, bytes[index &+ 1] != ASCII.newline else { return nil }
                index &+= 2
            } else {
                // Other control and non-ASCII bytes are content here, as in the lenient scan (and
                // so is a byte a short line leaves to be read one at a time).
                index &+= 1
            }
        }
    }

    /// As ``value(at:)``, but nil where the value would run over a newline.
    @inline(__always)
    func valueInLine(at start: Int) -> JSONNode? {
        guard start >= 0, start < bytes.count else { return nil }
        switch bytes[start] {
        case ASCII.quote:
            guard let string = scanStringInLine(from: start &+ 1) else { return nil }
            return JSONNode(kind: .string, start: start &+ 1, end: string.close, hasEscapes: string.hasEscapes)
        case ASCII.openBrace, ASCII.openBracket:
            guard let base = bytes.baseAddress else { return nil }
            let end = tl_skip_container_in_line(base.assumingMemoryBound(to: UInt8.self), Int64(bytes.count), Int64(start))
            guard end >= 0 else { return nil }
            return JSONNode(kind: bytes[start] == ASCII.openBrace ? .object : .array, start: start, end: Int(end))
        default:
            // Numbers and literals stop at any byte that is not theirs, a newline included.
            return value(at: start)
        }
    }
}
