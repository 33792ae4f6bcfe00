import Foundation
import StateStore
import TriplineCore
import TriplineIngest
import TriplineRuntime

/// Everything a restart needs, saved together so that it is consistent: the live run's state
/// (alarm states, windows, counters) and the input positions it corresponds to.
struct SidecarCheckpoint: Codable, Sendable {
    /// The body format; a Tripline that cannot read a body starts fresh and says why.
    static let format = 1

    var live: LiveRunState
    /// Followed files, by identity.
    var files: [FilePosition]
    /// The HTTP spool's read position.
    var spool: SpoolPosition?

    func save(to store: StateStore, now: Timestamp) throws {
        let body = try JSONEncoder().encode(self)
        try store.checkpoints.save([UInt8](body), format: Self.format, now: now)
    }

    /// The saved checkpoint; nil when there is none. Throws when one exists but cannot be read.
    static func load(from store: StateStore) throws -> (checkpoint: SidecarCheckpoint, savedAt: Timestamp)? {
        guard let saved = try store.checkpoints.load() else { return nil }
        guard saved.format == format else {
            throw SidecarError("the checkpoint was written in format \(saved.format), and this Tripline reads format \(format)")
        }
        return (try JSONDecoder().decode(SidecarCheckpoint.self, from: Data(saved.body)), saved.savedAt)
    }
}

/// A sidecar problem with a message for people.
public struct SidecarError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
