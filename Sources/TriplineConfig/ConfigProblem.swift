/// One problem found in a config: where, which value, what is wrong and what to do.
public struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    public var location: SourceLocation
    /// The logical path of the value, as CloudWatch names it: `MetricAlarms[2].EvaluationPeriods`.
    public var path: String
    public var message: String
    /// What to do about it.
    public var fix: String?
    /// A caret diagnostic to print below the message (pattern errors).
    public var detail: String?

    public init(
        _ severity: Severity, at location: SourceLocation, path: String, _ message: String, fix: String? = nil,
        detail: String? = nil
    ) {
        self.severity = severity
        self.location = location
        self.path = path
        self.message = message
        self.fix = fix
        self.detail = detail
    }

    /// `file:line:col: error: path: message`, then the fix and any caret block.
    public var description: String {
        var text = "\(location): \(severity.rawValue): "
        if !path.isEmpty { text += "\(path): " }
        text += message
        if let fix { text += "\n  fix: \(fix)" }
        if let detail {
            text += "\n" + detail.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        }
        return text
    }
}

/// Collects problems while a config is read, so every one is reported at once.
public struct ProblemList: Sendable {
    public private(set) var problems: [ConfigProblem] = []

    public init() {}

    public var errors: [ConfigProblem] { problems.filter { $0.severity == .error } }
    public var warnings: [ConfigProblem] { problems.filter { $0.severity == .warning } }
    public var hasErrors: Bool { problems.contains { $0.severity == .error } }

    public mutating func error(_ node: ConfigNode, _ path: String, _ message: String, fix: String? = nil, detail: String? = nil) {
        problems.append(ConfigProblem(.error, at: node.location, path: path, message, fix: fix, detail: detail))
    }

    public mutating func error(at location: SourceLocation, _ path: String, _ message: String, fix: String? = nil, detail: String? = nil) {
        problems.append(ConfigProblem(.error, at: location, path: path, message, fix: fix, detail: detail))
    }

    public mutating func warning(at location: SourceLocation, _ path: String, _ message: String, fix: String? = nil) {
        problems.append(ConfigProblem(.warning, at: location, path: path, message, fix: fix))
    }

    public mutating func append(contentsOf other: ProblemList) {
        problems.append(contentsOf: other.problems)
    }
}
