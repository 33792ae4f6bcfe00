extension Lexer {
    /// Scans a selector: `$` then `.name`, `.*`, `[n]`, `[*]` or `.['key']` segments.
    mutating func selector() -> Token {
        let start = position
        position += 1
        var segments: [SelectorSegment] = []
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: ".") {
                position += 1
                guard position < end else { return selectorError(start, "expected a name after '.'") }
                let next = bytes[position]
                if next == UInt8(ascii: "*") {
                    position += 1
                    segments.append(.anyMember)
                } else if next == UInt8(ascii: "[") {
                    guard case .some(let segment) = bracket(start) else { return lastError(start) }
                    segments.append(segment)
                } else if Self.isNameByte(next) {
                    let nameStart = position
                    while position < end, Self.isNameByte(bytes[position]) { position += 1 }
                    segments.append(.member(Array(bytes[nameStart..<position])))
                } else {
                    return selectorError(
                        start, "expected a member name after '.'",
                        fix: "names hold letters, digits, '_' and '-'; write .['name'] for any other key")
                }
            } else if byte == UInt8(ascii: "[") {
                guard case .some(let segment) = bracket(start) else { return lastError(start) }
                segments.append(segment)
            } else if Self.isSpace(byte) || Self.isStructural(byte) {
                break
            } else {
                return selectorError(
                    start, "unexpected character in selector",
                    fix: "write .name, [n], [*], .* or .['key'] after '$'")
            }
        }
        guard !segments.isEmpty else {
            return selectorError(start, "a selector needs at least one member after '$'", fix: "write $.name")
        }
        return Token(kind: .selector(segments), range: start..<position)
    }

    /// Scans `[n]`, `[*]` or `['key']` at `position`; on failure leaves `pendingError` set.
    private mutating func bracket(_ selectorStart: Int) -> SelectorSegment? {
        let open = position
        position += 1
        guard position < end else { return fail(open, "this '[' is never closed") }
        let byte = bytes[position]
        if byte == UInt8(ascii: "*") {
            position += 1
            guard position < end, bytes[position] == UInt8(ascii: "]") else { return fail(open, "expected ']' after '[*'") }
            position += 1
            return .anyElement
        }
        if byte == UInt8(ascii: "'") {
            position += 1
            let keyStart = position
            while position < end, bytes[position] != UInt8(ascii: "'") { position += 1 }
            guard position < end else {
                return fail(open, "this quoted key is never closed", fix: "write .['key']")
            }
            let key = Array(bytes[keyStart..<position])
            position += 1
            guard position < end, bytes[position] == UInt8(ascii: "]") else {
                return fail(open, "expected ']' after the quoted key", fix: "write .['key']")
            }
            position += 1
            return .member(key)
        }
        if byte == UInt8(ascii: "\"") {
            return fail(open, "keys in brackets take single quotes", fix: "write .['key'] instead of [\"key\"]")
        }
        let digitsStart = position
        while position < end, bytes[position] >= UInt8(ascii: "0"), bytes[position] <= UInt8(ascii: "9") {
            position += 1
        }
        guard position > digitsStart else {
            return fail(open, "expected an index, '*' or a quoted key after '['", fix: "write [0], [*] or .['key']")
        }
        guard position < end, bytes[position] == UInt8(ascii: "]") else {
            return fail(open, "expected ']' after the array index")
        }
        let digits = bytes[digitsStart..<position]
        position += 1
        // An index past any real array resolves to nothing, like any other out-of-range index.
        var index = 0
        for digit in digits {
            let (times, overflow) = index.multipliedReportingOverflow(by: 10)
            guard !overflow, times <= Int.max - Int(digit - 0x30) else { return .index(Int.max) }
            index = times + Int(digit - 0x30)
        }
        return .index(index)
    }

    private mutating func fail(_ at: Int, _ message: String, fix: String? = nil) -> SelectorSegment? {
        pendingSelectorError = Diag.error(.selectorInvalid, message, at..<max(at + 1, min(position, end)), fix: fix)
        return nil
    }

    private mutating func lastError(_ start: Int) -> Token {
        let diagnostic =
            pendingSelectorError ?? Diag.error(.selectorInvalid, "invalid selector", start..<max(start + 1, position))
        skipRestOfSelector()
        return Token(kind: .error(diagnostic), range: diagnostic.span)
    }

    private mutating func selectorError(_ start: Int, _ message: String, fix: String? = nil) -> Token {
        let at = max(min(position, end), start)
        let diagnostic = Diag.error(.selectorInvalid, message, at..<(at + 1), fix: fix)
        skipRestOfSelector()
        return Token(kind: .error(diagnostic), range: diagnostic.span)
    }

    private mutating func skipRestOfSelector() {
        while position < end, !Self.isSpace(bytes[position]), !Self.isStructural(bytes[position]) { position += 1 }
    }
}
