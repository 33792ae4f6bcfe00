/// Splits an event into the fields a space-delimited pattern binds to.
///
/// Fields are separated by runs of spaces or tabs. A field that starts with `"` runs to the
/// next `"`, one that starts with `[` to the next `]`, and the delimiters are not part of its
/// value. A `"` or `[` that is never closed, or that appears inside a token, makes the rest of
/// the line one field (the spec's default for a case CloudWatch does not document).
enum DelimitedFields {
    /// Writes each field's `start, end` offsets into `bounds` (cleared first).
    static func split(_ line: UnsafeRawBufferPointer, into bounds: inout [Int]) {
        bounds.removeAll(keepingCapacity: true)
        let count = line.count
        var index = 0
        while true {
            while index < count, isSeparator(line[index]) { index += 1 }
            guard index < count else { return }
            let first = line[index]
            if first == UInt8(ascii: "\"") || first == UInt8(ascii: "[") {
                let closer = first == UInt8(ascii: "\"") ? UInt8(ascii: "\"") : UInt8(ascii: "]")
                var close = index + 1
                while close < count, line[close] != closer { close += 1 }
                bounds.append(index + 1)
                bounds.append(close)
                index = close < count ? close + 1 : count
                continue
            }
            let start = index
            while index < count, !isSeparator(line[index]) {
                let byte = line[index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "[") {
                    var end = count
                    while end > start, isSeparator(line[end - 1]) { end -= 1 }
                    bounds.append(start)
                    bounds.append(end)
                    return
                }
                index += 1
            }
            bounds.append(start)
            bounds.append(index)
        }
    }

    @inline(__always)
    static func isSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09
    }
}
