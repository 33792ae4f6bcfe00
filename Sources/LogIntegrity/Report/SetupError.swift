/// A problem with the inputs that stops validation before any verdict: a keys file or sidecar that will
/// not parse, a key that does not match its fingerprint, a missing folder.
///
/// ``exitCode`` is the sysexits status of section 9.7 (64, 65, 66, 70).
public struct SetupError: Error, Sendable, CustomStringConvertible {
    /// The process exit status for this error.
    public var exitCode: Int32
    /// What is wrong, where, and what to do next.
    public var message: String

    /// Creates an error.
    public init(exitCode: Int32, message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    static func usage(_ message: String) -> SetupError { SetupError(exitCode: 64, message: message) }
    static func badData(_ message: String) -> SetupError { SetupError(exitCode: 65, message: message) }
    static func noInput(_ message: String) -> SetupError { SetupError(exitCode: 66, message: message) }

    public var description: String { message }
}
