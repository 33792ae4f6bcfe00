/// A problem found in a filter pattern: an error that rejects it, or a warning that flags a trap.
///
/// A diagnostic is a value, not a string: it keeps a stable `id`, the UTF-8 byte `span` in the
/// pattern it is about, and an optional fix. Line and column are computed only when it is
/// rendered (see ``DiagnosticRenderer``).
public struct PatternDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Whether the pattern is rejected (`error`) or accepted with a remark (`warning`).
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// The stable identifier from ``DiagnosticID``.
    public var id: DiagnosticID
    public var severity: Severity
    /// One lowercase sentence that says what is wrong and what was expected.
    public var message: String
    /// The UTF-8 byte range in the pattern text the diagnostic points at (may be empty: a point).
    public var span: Range<Int>
    /// Extra facts, such as the limit that was exceeded.
    public var notes: [String]
    /// What to write instead, said so the user can act on it.
    public var fixIt: String?

    public init(
        _ id: DiagnosticID,
        severity: Severity = .error,
        message: String,
        span: Range<Int>,
        notes: [String] = [],
        fixIt: String? = nil
    ) {
        self.id = id
        self.severity = severity
        self.message = message
        self.span = span
        self.notes = notes
        self.fixIt = fixIt
    }

    public var description: String {
        "\(severity.rawValue)[\(id.rawValue)] at \(span.lowerBound): \(message)"
    }
}

/// The error a pattern compilation throws: the first error found, plus any warnings seen before it.
public struct PatternError: Error, Sendable, CustomStringConvertible {
    /// The diagnostic that rejected the pattern.
    public var diagnostic: PatternDiagnostic
    /// The pattern text, kept so the diagnostic can be rendered with a caret.
    public var pattern: String

    public init(_ diagnostic: PatternDiagnostic, pattern: String) {
        self.diagnostic = diagnostic
        self.pattern = pattern
    }

    public var description: String {
        DiagnosticRenderer().render(diagnostic, in: pattern)
    }
}
