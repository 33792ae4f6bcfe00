import LinearRegex
import Testing

/// The UTF-8 bytes of `text`.
func utf8(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// Whether `haystack` contains `needle` as a contiguous run of bytes; every haystack contains `[]`.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty else { return true }
    guard needle.count <= haystack.count else { return false }
    return (0...(haystack.count - needle.count)).contains { start in
        haystack[start..<start + needle.count].elementsEqual(needle)
    }
}

/// One regex run against one subject, with the expected answer.
struct MatchCase: CustomTestStringConvertible, Sendable {
    /// What the case shows.
    var name: String
    /// The regex body, without `%` delimiters.
    var regex: String
    /// The subject bytes.
    var subject: [UInt8]
    /// Whether the regex should match somewhere in the subject.
    var expected: Bool

    init(_ name: String, _ regex: String, _ subject: String, _ expected: Bool) {
        self.name = name
        self.regex = regex
        self.subject = utf8(subject)
        self.expected = expected
    }

    init(_ name: String, _ regex: String, bytes: [UInt8], _ expected: Bool) {
        self.name = name
        self.regex = regex
        self.subject = bytes
        self.expected = expected
    }

    var testDescription: String {
        "\(name): %\(regex)% on \(String(decoding: subject, as: UTF8.self).debugDescription) -> \(expected)"
    }
}
