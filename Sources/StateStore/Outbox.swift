import Foundation
import GRDB
public import TriplineCore

/// One notification waiting for one destination.
public struct OutboxEntry: Sendable, Hashable {
    /// Stable across retries, dead-lettering and `outbox retry`.
    public var id: Int64
    public var idempotencyKey: String
    public var destination: String
    public var alarmName: String
    /// Order of this alarm's notifications to this destination (grows, never reused).
    public var sequence: Int64
    public var oldState: String
    public var newState: String
    public var stateChangeTime: Timestamp
    /// The CloudWatch SNS message JSON, as the alarm engine wrote it.
    public var payload: [UInt8]
    public var attempts: Int
    public var nextAttemptAt: Timestamp
    /// Why the last attempt failed (status or transport error, never a secret).
    public var lastError: String?
    public var createdAt: Timestamp

    public init(
        id: Int64, idempotencyKey: String, destination: String, alarmName: String, sequence: Int64, oldState: String,
        newState: String, stateChangeTime: Timestamp, payload: [UInt8], attempts: Int, nextAttemptAt: Timestamp,
        lastError: String?, createdAt: Timestamp
    ) {
        self.id = id
        self.idempotencyKey = idempotencyKey
        self.destination = destination
        self.alarmName = alarmName
        self.sequence = sequence
        self.oldState = oldState
        self.newState = newState
        self.stateChangeTime = stateChangeTime
        self.payload = payload
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
    }

    init(row: Row) {
        id = row["id"]
        idempotencyKey = row["idempotencyKey"]
        destination = row["destination"]
        alarmName = row["alarmName"]
        sequence = row["sequence"]
        oldState = row["oldState"]
        newState = row["newState"]
        stateChangeTime = Timestamp(milliseconds: row["stateChangeTime"])
        let data: Data? = row["payload"]
        payload = data.map { [UInt8]($0) } ?? []
        attempts = row["attempts"]
        nextAttemptAt = Timestamp(milliseconds: row["nextAttemptAt"] ?? 0)
        lastError = row["lastError"]
        createdAt = Timestamp(milliseconds: row["createdAt"])
    }
}

/// A notification that was not delivered in time, kept for `tripline outbox list/retry/purge`.
public struct DeadLetter: Sendable, Hashable {
    public var entry: OutboxEntry
    public var deadAt: Timestamp

    public init(entry: OutboxEntry, deadAt: Timestamp) {
        self.entry = entry
        self.deadAt = deadAt
    }
}

/// What `enqueue` did for one destination.
public enum EnqueueResult: Sendable, Hashable {
    /// Written; it will be sent.
    case queued(OutboxEntry)
    /// The same idempotency key is already waiting, dead-lettered or was delivered: not written again.
    case duplicate(destination: String)
}

/// The durable outbox: notifications are committed here before any attempt to send them, and
/// leave only after a 2xx (into `delivered`) or after their time is up (into `dead_letter`).
///
/// Calls are synchronous and short (one transaction each).
public struct Outbox: Sendable {
    let pool: DatabasePool

    /// Writes `notification` once per destination in `destinations`, in one transaction, each
    /// with the next sequence number of its (destination, alarm). A key already queued,
    /// dead-lettered or delivered to a destination is not queued again.
    public func enqueue(_ notification: AlarmNotification, destinations: [String], now: Timestamp) throws(StateStoreError) -> [EnqueueResult] {
        try StateStore.run("queue a notification") {
            try pool.write { db in
                var results: [EnqueueResult] = []
                for destination in destinations {
                    let key = notification.idempotencyKey
                    let known = try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT EXISTS (SELECT 1 FROM outbox WHERE destination = ?1 AND idempotencyKey = ?2)
                                OR EXISTS (SELECT 1 FROM dead_letter WHERE destination = ?1 AND idempotencyKey = ?2)
                                OR EXISTS (SELECT 1 FROM delivered WHERE destination = ?1 AND idempotencyKey = ?2)
                            """, arguments: [destination, key]) ?? false
                    if known {
                        results.append(.duplicate(destination: destination))
                        continue
                    }
                    let sequence = try Self.nextSequence(db, destination: destination, alarmName: notification.alarmName)
                    try db.execute(
                        sql: """
                            INSERT INTO outbox (idempotencyKey, destination, alarmName, sequence, oldState, newState,
                                stateChangeTime, payload, attempts, nextAttemptAt, lastError, createdAt)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, ?)
                            """,
                        arguments: [
                            key, destination, notification.alarmName, sequence, notification.oldState.rawValue,
                            notification.newState.rawValue, notification.stateChangeTime.milliseconds,
                            Data(notification.message), now.milliseconds, now.milliseconds,
                        ])
                    results.append(
                        .queued(
                            OutboxEntry(
                                id: db.lastInsertedRowID, idempotencyKey: key, destination: destination,
                                alarmName: notification.alarmName, sequence: sequence, oldState: notification.oldState.rawValue,
                                newState: notification.newState.rawValue, stateChangeTime: notification.stateChangeTime,
                                payload: notification.message, attempts: 0, nextAttemptAt: now, lastError: nil, createdAt: now)))
                }
                return results
            }
        }
    }

    private static func nextSequence(_ db: Database, destination: String, alarmName: String) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO outbox_sequence (destination, alarmName, lastSequence) VALUES (?, ?, 1)
                ON CONFLICT (destination, alarmName) DO UPDATE SET lastSequence = lastSequence + 1
                """, arguments: [destination, alarmName])
        return try Int64.fetchOne(
            db, sql: "SELECT lastSequence FROM outbox_sequence WHERE destination = ? AND alarmName = ?",
            arguments: [destination, alarmName]) ?? 1
    }

    /// The first waiting notification of every (destination, alarm): the only ones that may be sent,
    /// so each alarm's transitions reach a destination in order.
    public func heads() throws(StateStoreError) -> [OutboxEntry] {
        try StateStore.run("read the outbox") {
            try pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT o.* FROM outbox o
                        WHERE o.sequence = (SELECT MIN(i.sequence) FROM outbox i
                                            WHERE i.destination = o.destination AND i.alarmName = o.alarmName)
                        ORDER BY o.nextAttemptAt, o.id
                        """
                ).map(OutboxEntry.init(row:))
            }
        }
    }

    /// Every waiting notification, oldest first.
    public func pending() throws(StateStoreError) -> [OutboxEntry] {
        try StateStore.run("read the outbox") {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY id").map(OutboxEntry.init(row:))
            }
        }
    }

    /// Every dead letter, oldest first.
    public func deadLetters() throws(StateStoreError) -> [DeadLetter] {
        try StateStore.run("read the dead letters") {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT *, NULL AS nextAttemptAt FROM dead_letter ORDER BY id").map {
                    DeadLetter(entry: OutboxEntry(row: $0), deadAt: Timestamp(milliseconds: $0["deadAt"]))
                }
            }
        }
    }

    /// Removes a delivered notification and remembers its key (see ``pruneDelivered(before:)``).
    public func markDelivered(_ id: Int64, now: Timestamp) throws(StateStoreError) {
        try StateStore.run("record a delivery") {
            try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO delivered (destination, idempotencyKey, alarmName, deliveredAt)
                        SELECT destination, idempotencyKey, alarmName, ? FROM outbox WHERE id = ?
                        """, arguments: [now.milliseconds, id])
                try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [id])
            }
        }
    }

    /// Records a failed attempt and when to try again.
    public func recordFailure(_ id: Int64, error: String, nextAttemptAt: Timestamp) throws(StateStoreError) {
        try StateStore.run("record a failed delivery") {
            try pool.write { db in
                try db.execute(
                    sql: "UPDATE outbox SET attempts = attempts + 1, lastError = ?, nextAttemptAt = ? WHERE id = ?",
                    arguments: [error, nextAttemptAt.milliseconds, id])
            }
        }
    }

    /// Moves a notification to the dead-letter table after a last failed attempt.
    public func moveToDeadLetter(_ id: Int64, error: String, now: Timestamp) throws(StateStoreError) {
        try StateStore.run("dead-letter a notification") {
            try pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO dead_letter (id, idempotencyKey, destination, alarmName, sequence, oldState, newState,
                            stateChangeTime, payload, attempts, lastError, createdAt, deadAt)
                        SELECT id, idempotencyKey, destination, alarmName, sequence, oldState, newState,
                            stateChangeTime, payload, attempts + 1, ?, createdAt, ? FROM outbox WHERE id = ?
                        """, arguments: [error, now.milliseconds, id])
                try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [id])
            }
        }
    }

    /// Makes notifications due now: waiting ones keep their place; dead letters return to the
    /// outbox (same id and idempotency key) behind the alarm's newer notifications, with a fresh
    /// retry window. `ids == nil` means all. Returns the ids that were found.
    @discardableResult
    public func retry(ids: [Int64]?, now: Timestamp) throws(StateStoreError) -> [Int64] {
        try StateStore.run("schedule a retry") {
            try pool.write { db in
                var found: [Int64] = []
                let pendingIDs = try ids.map { ids in
                    try Int64.fetchAll(db, sql: "SELECT id FROM outbox WHERE id IN (\(Self.placeholders(ids.count)))", arguments: StatementArguments(ids))
                } ?? Int64.fetchAll(db, sql: "SELECT id FROM outbox")
                for id in pendingIDs {
                    try db.execute(sql: "UPDATE outbox SET nextAttemptAt = ? WHERE id = ?", arguments: [now.milliseconds, id])
                    found.append(id)
                }
                let deadRows = try ids.map { ids in
                    try Row.fetchAll(db, sql: "SELECT * FROM dead_letter WHERE id IN (\(Self.placeholders(ids.count))) ORDER BY id", arguments: StatementArguments(ids))
                } ?? Row.fetchAll(db, sql: "SELECT * FROM dead_letter ORDER BY id")
                for row in deadRows {
                    let id: Int64 = row["id"]
                    let sequence = try Self.nextSequence(db, destination: row["destination"], alarmName: row["alarmName"])
                    try db.execute(
                        sql: """
                            INSERT INTO outbox (id, idempotencyKey, destination, alarmName, sequence, oldState, newState,
                                stateChangeTime, payload, attempts, nextAttemptAt, lastError, createdAt)
                            SELECT id, idempotencyKey, destination, alarmName, ?, oldState, newState,
                                stateChangeTime, payload, attempts, ?, lastError, ? FROM dead_letter WHERE id = ?
                            """, arguments: [sequence, now.milliseconds, now.milliseconds, id])
                    try db.execute(sql: "DELETE FROM dead_letter WHERE id = ?", arguments: [id])
                    found.append(id)
                }
                return found.sorted()
            }
        }
    }

    /// Deletes notifications for good: the given ids (waiting or dead), else every dead letter,
    /// and with `includingPending` every waiting one too. Returns how many were removed.
    @discardableResult
    public func purge(ids: [Int64]?, includingPending: Bool = false) throws(StateStoreError) -> Int {
        try StateStore.run("purge the outbox") {
            try pool.write { db in
                if let ids {
                    guard !ids.isEmpty else { return 0 }
                    let list = Self.placeholders(ids.count)
                    try db.execute(sql: "DELETE FROM outbox WHERE id IN (\(list))", arguments: StatementArguments(ids))
                    var removed = db.changesCount
                    try db.execute(sql: "DELETE FROM dead_letter WHERE id IN (\(list))", arguments: StatementArguments(ids))
                    removed += db.changesCount
                    return removed
                }
                try db.execute(sql: "DELETE FROM dead_letter")
                var removed = db.changesCount
                if includingPending {
                    try db.execute(sql: "DELETE FROM outbox")
                    removed += db.changesCount
                }
                return removed
            }
        }
    }

    /// Forgets delivered keys older than `before` (the de-duplication window).
    @discardableResult
    public func pruneDelivered(before: Timestamp) throws(StateStoreError) -> Int {
        try StateStore.run("prune delivered keys") {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM delivered WHERE deliveredAt < ?", arguments: [before.milliseconds])
                return db.changesCount
            }
        }
    }

    /// Whether `key` was delivered to `destination` (within the de-duplication window).
    public func wasDelivered(_ key: String, to destination: String) throws(StateStoreError) -> Bool {
        try StateStore.run("read delivered keys") {
            try pool.read { db in
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM delivered WHERE destination = ? AND idempotencyKey = ?)",
                    arguments: [destination, key]) ?? false
            }
        }
    }

    private static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: max(count, 1)).joined(separator: ",")
    }
}
