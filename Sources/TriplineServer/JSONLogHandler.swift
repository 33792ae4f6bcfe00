import Foundation
public import Logging
import TriplineCore

/// Structured logs for collectors: one JSON object per line on stderr, with the time, level, label,
/// message and metadata (`--log-format json`).
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .notice
    private let label: String
    private static let lock = NSLock()

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, String)] = [
            ("time", JSONText.quoted(Self.timestamp())), ("level", JSONText.quoted(event.level.rawValue)),
            ("logger", JSONText.quoted(label)), ("message", JSONText.quoted(event.message.description)),
        ]
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) where !["time", "level", "logger", "message"].contains(key) {
            fields.append((key, JSONText.quoted(value.description)))
        }
        let line = "{" + fields.map { "\(JSONText.quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}\n"
        Self.lock.lock()
        FileHandle.standardError.write(Data(line.utf8))
        Self.lock.unlock()
    }

    private static func timestamp() -> String {
        Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000)).iso8601Z
    }
}
