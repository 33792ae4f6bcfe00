import Foundation
import TriplineConfig

/// A secret value read at start-up. It prints as `<redacted>` wherever it is interpolated, so it
/// cannot reach a log line, an error or `/metrics` by accident.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let bytes: [UInt8]

    public init(_ value: String) { bytes = Array(value.utf8) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [Mirror.Child]()) }
}

/// Why a destination cannot be set up (a missing environment variable, an unreadable file, a
/// template that does not parse). Names where the setting was written, never a secret.
public struct NotifierSetupError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Reads secrets from where a ``WebhookSettings/SecretSource`` says.
struct SecretReader {
    var environment: [String: String]

    func read(_ source: WebhookSettings.SecretSource, setting: String, at location: String) throws(NotifierSetupError) -> Secret {
        switch source {
        case .inline(let value):
            return Secret(value)
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw NotifierSetupError(
                    "\(location): error: \(setting): the environment variable \(name) is not set (or empty)\n  fix: export \(name) before starting Tripline")
            }
            return Secret(value)
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw NotifierSetupError("\(location): error: \(setting): cannot read the secret file '\(path)'\n  fix: check the path and that Tripline may read it")
            }
            var text = String(decoding: data, as: UTF8.self)
            while let last = text.last, last == "\n" || last == "\r" || last == " " { text.removeLast() }
            guard !text.isEmpty else {
                throw NotifierSetupError("\(location): error: \(setting): the secret file '\(path)' is empty\n  fix: write the secret into it")
            }
            return Secret(text)
        }
    }
}

/// Replaces every sensitive string (secrets, the URL and its path, header values) in a text
/// with `<redacted>`: the last guard before an error message is stored or logged.
struct Redactor: Sendable {
    private var values: [String]

    init(_ values: [String]) {
        // Longest first, so a URL is replaced before its path; skip tiny values that would mangle text.
        self.values = Array(Set(values.filter { $0.count >= 4 })).sorted { $0.count > $1.count }
    }

    func callAsFunction(_ text: String) -> String {
        var text = text
        for value in values where text.contains(value) {
            text = text.replacingOccurrences(of: value, with: "<redacted>")
        }
        return text
    }
}
