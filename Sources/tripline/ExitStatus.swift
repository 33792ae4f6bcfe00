import ArgumentParser

/// The exit statuses every subcommand uses (sysexits, see `cli.md`).
enum ExitStatus: Int32 {
    case success = 0
    case testsFailed = 1
    case usage = 64
    case dataError = 65
    case noInput = 66
    case software = 70
    case ioError = 74
}

/// An error that says what is wrong and what to do next, with the status it exits with.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var status: ExitStatus

    init(_ message: String, status: ExitStatus) {
        self.message = message
        self.status = status
    }

    var description: String { message }
}

extension CLIError {
    /// Prints the message on stderr and returns the exit code: the one place errors become exit codes.
    func reported() -> ExitCode {
        if !message.isEmpty { StandardError.write(message.hasSuffix("\n") ? message : message + "\n") }
        return ExitCode(status.rawValue)
    }
}
