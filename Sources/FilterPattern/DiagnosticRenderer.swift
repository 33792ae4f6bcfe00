/// Renders a diagnostic as the caret block users see in `tripline test-pattern` and `tripline check`.
///
/// ```
/// error: expected a value after '=' in a JSON pattern
///   --> filters.yaml:14:20, filter "root-account-usage"
///    |
///  1 | { $.userIdentity.type = && $.eventType != "AwsServiceEvent" }
///    |                         ^ add a quoted string, a number, or a wildcard here
/// ```
/// Long patterns are cut to a window around the span so the caret stays on screen.
public struct DiagnosticRenderer: Sendable {
    /// Wraps text in ANSI colours when true; the layout is the same either way.
    public var colored: Bool
    /// How many characters of the pattern are shown at most.
    public var windowWidth: Int

    public init(colored: Bool = false, windowWidth: Int = 100) {
        self.colored = colored
        self.windowWidth = windowWidth
    }

    /// Renders `diagnostic` against the pattern it was found in.
    /// - Parameters:
    ///   - location: where the pattern came from (`file:line:col, filter "x"`), shown after `-->`.
    public func render(_ diagnostic: PatternDiagnostic, in pattern: String, location: String? = nil) -> String {
        let bytes = Array(pattern.utf8)
        let (lineNumber, lineStart, lineEnd) = Self.line(containing: diagnostic.span.lowerBound, in: bytes)
        let lineBytes = Array(bytes[lineStart..<lineEnd])
        let startOffset = min(max(diagnostic.span.lowerBound - lineStart, 0), lineBytes.count)
        let endOffset = min(max(diagnostic.span.upperBound - lineStart, startOffset), lineBytes.count)
        var characters = Self.displayCharacters(lineBytes)
        var caretStart = Self.column(ofByte: startOffset, in: lineBytes)
        var caretEnd = max(Self.column(ofByte: endOffset, in: lineBytes), caretStart + 1)
        let column = caretStart + 1
        var prefix = "", suffix = ""
        if characters.count > windowWidth {
            let first = max(0, min(caretStart - windowWidth / 3, characters.count - windowWidth))
            let last = min(characters.count, first + windowWidth)
            if first > 0 { prefix = "..." }
            if last < characters.count { suffix = "..." }
            characters = Array(characters[first..<last])
            caretStart = caretStart - first + prefix.count
            caretEnd = min(caretEnd - first, last - first) + prefix.count
            caretEnd = max(caretEnd, caretStart + 1)
        }
        let gutter = String(lineNumber)
        let pad = String(repeating: " ", count: gutter.count)
        var out = paint("\(diagnostic.severity.rawValue): ", diagnostic.severity == .error ? "31;1" : "33;1")
        out += paint(diagnostic.message, "1") + "\n"
        out += "\(pad)--> \(location ?? "pattern:\(lineNumber):\(column)")\n"
        out += "\(pad) |\n"
        out += "\(gutter) | \(prefix)\(characters.joined())\(suffix)\n"
        let marker = String(repeating: " ", count: caretStart) + String(repeating: "^", count: max(1, caretEnd - caretStart))
        var hint = paint(marker, "32;1")
        if let fixIt = diagnostic.fixIt { hint += " " + fixIt }
        out += "\(pad) | \(hint)\n"
        for note in diagnostic.notes { out += "\(pad) = note: \(note)\n" }
        return out
    }

    private func paint(_ text: String, _ code: String) -> String {
        colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Finds the 1-based line holding `offset`, with the byte range of that line.
    static func line(containing offset: Int, in bytes: [UInt8]) -> (Int, Int, Int) {
        var number = 1, start = 0
        let target = min(max(offset, 0), bytes.count)
        for index in 0..<target where bytes[index] == 0x0A {
            number += 1
            start = index + 1
        }
        var end = start
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        return (number, start, end)
    }

    /// Splits a line into printable cells: one per character, control bytes shown as `?`.
    static func displayCharacters(_ line: [UInt8]) -> [String] {
        String(decoding: line, as: UTF8.self).map { character in
            character.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) ? String(character) : "?"
        }
    }

    /// The display column (in characters) of a byte offset within a line.
    static func column(ofByte offset: Int, in line: [UInt8]) -> Int {
        String(decoding: line[0..<min(offset, line.count)], as: UTF8.self).count
    }
}
