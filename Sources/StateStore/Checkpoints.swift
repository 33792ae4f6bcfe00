import Foundation
import GRDB
public import TriplineCore

/// The live run's checkpoint: one versioned blob, replaced whole and durably (`synchronous = FULL`).
///
/// The store does not read the body: the runtime owns its format and says which `format` it wrote,
/// so a newer Tripline can refuse an older body it no longer understands, and say so.
public struct Checkpoints: Sendable {
    let pool: DatabasePool

    /// A saved checkpoint.
    public struct Saved: Sendable {
        public var format: Int
        public var savedAt: Timestamp
        public var body: [UInt8]
    }

    /// Replaces the checkpoint.
    /// - Throws: ``StateStoreError`` when it cannot be written; the previous one then stays.
    public func save(_ body: [UInt8], format: Int, now: Timestamp) throws(StateStoreError) {
        try StateStore.run("write the checkpoint") {
            try pool.write { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO checkpoint (id, format, savedAt, body) VALUES (1, ?, ?, ?)",
                    arguments: [format, now.milliseconds, Data(body)])
            }
        }
    }

    /// The checkpoint, or nil when none was written yet.
    public func load() throws(StateStoreError) -> Saved? {
        try StateStore.run("read the checkpoint") {
            try pool.read { db in
                guard let row = try Row.fetchOne(db, sql: "SELECT format, savedAt, body FROM checkpoint WHERE id = 1") else {
                    return nil
                }
                let body: Data = row["body"]
                return Saved(format: row["format"], savedAt: Timestamp(milliseconds: row["savedAt"]), body: [UInt8](body))
            }
        }
    }

    /// Forgets the checkpoint (the next run starts fresh).
    public func clear() throws(StateStoreError) {
        try StateStore.run("clear the checkpoint") {
            try pool.write { db in try db.execute(sql: "DELETE FROM checkpoint") }
        }
    }
}

extension StateStore {
    /// The live run's checkpoint.
    public var checkpoints: Checkpoints { Checkpoints(pool: pool) }
}
