import Foundation
public import TriplineCore

/// `tripline alarm set-state` requests: lines of JSON in `<state-dir>/set-state.ndjson`, read by
/// `tripline run` as they are appended and by `tripline backtest` at start.
public struct SetStateRequest: Sendable, Hashable {
    public var alarm: String
    public var state: AlarmState
    public var reason: String
    /// When to apply it in a backtest (event time); nil: at the start, or at once in `run`.
    public var at: Timestamp?
    /// When it was written (wall clock): `run` stamps the forced transition with it, so a request
    /// applied again after a restart gives the same transition (and idempotency key), not a new one.
    public var requested: Timestamp?

    public init(alarm: String, state: AlarmState, reason: String, at: Timestamp?, requested: Timestamp? = nil) {
        self.alarm = alarm
        self.state = state
        self.reason = reason
        self.at = at
        self.requested = requested
    }

    public static func file(in stateDirectory: String) -> String { stateDirectory + "/set-state.ndjson" }

    /// Appends a request to the file, creating the state directory if needed.
    public static func append(_ request: SetStateRequest, stateDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        var object: [String: String] = ["alarm": request.alarm, "state": request.state.rawValue, "reason": request.reason]
        if let at = request.at { object["at"] = at.iso8601Z }
        if let requested = request.requested { object["requested"] = requested.iso8601Z }
        var line = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        line.append(0x0A)
        let path = file(in: stateDirectory)
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: line)
    }

    /// Reads the requests appended after `offset`; returns them and the new offset.
    public static func read(stateDirectory: String, from offset: UInt64 = 0) -> ([SetStateRequest], UInt64) {
        guard let handle = FileHandle(forReadingAtPath: file(in: stateDirectory)) else { return ([], offset) }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = (try? handle.readToEnd()) ?? Data()
        guard let end = data.lastIndex(of: 0x0A) else { return ([], offset) }
        var requests: [SetStateRequest] = []
        for line in data[..<end].split(separator: 0x0A) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: String],
                let alarm = object["alarm"], let state = object["state"].flatMap(AlarmState.init(rawValue:))
            else { continue }
            requests.append(
                SetStateRequest(
                    alarm: alarm, state: state, reason: object["reason"] ?? "", at: object["at"].flatMap { Timestamp(iso8601: $0) },
                    requested: object["requested"].flatMap { Timestamp(iso8601: $0) }))
        }
        return (requests, offset + UInt64(end - data.startIndex + 1))
    }
}
