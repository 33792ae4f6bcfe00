/// Splits a JSON array, or the `Records` array of CloudTrail envelopes, into one line per element.
///
/// It checks structure (brackets, strings, separators), not full JSON syntax: each event is validated
/// when it is read, as a file's lines are. Depth is a counter, so deep nesting costs no stack.
struct JSONSplitter {
    let body: UnsafeRawBufferPointer
    private(set) var position: Int
    /// The elements so far, one per line.
    private(set) var output: [UInt8] = []
    private(set) var events = 0

    init(_ body: UnsafeRawBufferPointer, at position: Int) {
        self.body = body
        self.position = position
        output.reserveCapacity(body.count + 1)
    }

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Whether anything but blanks is left.
    var hasMore: Bool {
        mutating get {
            skipBlanks()
            return position < body.count
        }
    }

    /// Whether the object at the current position opens with the member `"Records"`.
    func startsWithRecordsKey() -> Bool {
        var index = position + 1
        while index < body.count, Self.isBlank(body[index]) { index += 1 }
        return startsWithRecordsKey(at: index)
    }

    /// Reads the array at the current position, writing each element as a line.
    mutating func splitArray() throws(IngestBodyError) {
        try expect(UInt8(ascii: "["))
        skipBlanks()
        if position < body.count, body[position] == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            skipBlanks()
            let start = position
            try skipValue()
            appendLine(start..<position)
            skipBlanks()
            guard position < body.count else { throw truncated() }
            switch body[position] {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return
            default: throw unexpected("',' or ']' after an array element")
            }
        }
    }

    /// Reads objects one after another, with or without blanks between them, each as a line.
    mutating func splitObjectStream() throws(IngestBodyError) {
        while hasMore {
            guard body[position] == UInt8(ascii: "{") else { throw unexpected("'{' starting the next object") }
            let start = position
            try skipValue()
            appendLine(start..<position)
        }
    }

    /// Reads one `{"Records":[...], ...}` object; members other than `Records` are skipped.
    mutating func splitEnvelope() throws(IngestBodyError) {
        skipBlanks()
        try expect(UInt8(ascii: "{"))
        var first = true
        while true {
            skipBlanks()
            guard position < body.count else { throw truncated() }
            if body[position] == UInt8(ascii: "}") {
                position += 1
                return
            }
            if !first { try expect(UInt8(ascii: ",")); skipBlanks() }
            first = false
            guard position < body.count, body[position] == UInt8(ascii: "\"") else { throw unexpected("a member name") }
            let keyStart = position
            try skipString()
            let isRecords = position - keyStart == 9 && startsWithRecordsKey(at: keyStart)
            skipBlanks()
            try expect(UInt8(ascii: ":"))
            skipBlanks()
            if isRecords, position < body.count, body[position] == UInt8(ascii: "[") {
                try splitArray()
            } else {
                try skipValue()
            }
        }
    }

    private func startsWithRecordsKey(at index: Int) -> Bool {
        let key = Array(#""Records""#.utf8)
        guard index + key.count <= body.count else { return false }
        return key.indices.allSatisfy { body[index + $0] == key[$0] }
    }

    /// Fails unless only blanks are left.
    mutating func expectEnd() throws(IngestBodyError) {
        if hasMore { throw unexpected("the end of the body after the array") }
    }

    private mutating func appendLine(_ range: Range<Int>) {
        for index in range {
            let byte = body[index]
            // Raw newlines can only stand between tokens in valid JSON: a space keeps the meaning.
            output.append(byte == 0x0A || byte == 0x0D ? 0x20 : byte)
        }
        output.append(0x0A)
        events += 1
    }

    private mutating func skipBlanks() {
        while position < body.count, Self.isBlank(body[position]) { position += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(IngestBodyError) {
        guard position < body.count else { throw truncated() }
        guard body[position] == byte else { throw unexpected("'\(Character(Unicode.Scalar(byte)))'") }
        position += 1
    }

    /// Skips one value: an object or array (brackets balanced), a string, or a scalar.
    private mutating func skipValue() throws(IngestBodyError) {
        guard position < body.count else { throw truncated() }
        switch body[position] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var inString = false
            var escaped = false
            while position < body.count {
                let byte = body[position]
                position += 1
                if inString {
                    if escaped {
                        escaped = false
                    } else if byte == UInt8(ascii: "\\") {
                        escaped = true
                    } else if byte == UInt8(ascii: "\"") {
                        inString = false
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 { return }
                default: break
                }
            }
            throw truncated()
        case UInt8(ascii: "\""):
            try skipString()
        default:
            let start = position
            while position < body.count {
                let byte = body[position]
                if Self.isBlank(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") { break }
                position += 1
            }
            if position == start { throw unexpected("a value") }
        }
    }

    private mutating func skipString() throws(IngestBodyError) {
        position += 1
        var escaped = false
        while position < body.count {
            let byte = body[position]
            position += 1
            if escaped {
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else if byte == UInt8(ascii: "\"") {
                return
            }
        }
        throw truncated()
    }

    private func truncated() -> IngestBodyError {
        IngestBodyError(.undecodable, "the body ends inside a JSON value (truncated?); nothing of it was accepted")
    }

    private func unexpected(_ expected: String) -> IngestBodyError {
        IngestBodyError(.undecodable, "expected \(expected) at byte \(position) of the body; nothing of it was accepted")
    }
}
