/// Inputs that cannot be read, found before reading starts: every bad path is listed.
///
/// The CLI maps this to exit code 66 (`EX_NOINPUT`).
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One bad input.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The path as given (or as found under a directory).
        public var path: String
        /// What is wrong, lowercase ("no such file or directory").
        public var reason: String

        public var description: String { "\(path): \(reason)" }
    }

    /// Every bad input, in argument order.
    public var problems: [Problem]

    public var description: String {
        let head = problems.count == 1 ? "cannot read input" : "cannot read \(problems.count) inputs"
        return head + ":\n" + problems.map { "  \($0)" }.joined(separator: "\n")
    }
}
