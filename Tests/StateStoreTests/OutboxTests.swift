import Foundation
import StateStore
import Testing
import TriplineCore

@Suite("Outbox store")
struct OutboxTests {
    func directory() -> String {
        let path = NSTemporaryDirectory() + "tripline-state-\(UUID().uuidString)"
        return path
    }

    func notification(_ key: String, alarm: String, destinations: [String] = ["a", "b"]) -> AlarmNotification {
        AlarmNotification(
            idempotencyKey: key, alarmName: alarm, oldState: .ok, newState: .alarm, stateChangeTime: Timestamp(seconds: 1_700_000_000),
            destinations: destinations, message: Array(#"{"AlarmName":"\#(alarm)"}"#.utf8))
    }

    @Test("enqueue numbers each (destination, alarm) in order, once per key; heads are the oldest per alarm")
    func enqueueAndHeads() throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try StateStore(directory: path)
        #expect(try store.appliedMigrations() == ["v1-outbox", "v2-checkpoint"])
        let outbox = store.outbox
        let now = Timestamp(seconds: 1_700_000_100)
        _ = try outbox.enqueue(notification("k1", alarm: "X"), destinations: ["a", "b"], now: now)
        _ = try outbox.enqueue(notification("k2", alarm: "X"), destinations: ["a"], now: now)
        _ = try outbox.enqueue(notification("k3", alarm: "Y"), destinations: ["a"], now: now)
        #expect(try outbox.enqueue(notification("k1", alarm: "X"), destinations: ["a"], now: now) == [.duplicate(destination: "a")])
        let pending = try outbox.pending()
        #expect(pending.map { "\($0.destination)/\($0.alarmName)/\($0.sequence)/\($0.idempotencyKey)" } == ["a/X/1/k1", "b/X/1/k1", "a/X/2/k2", "a/Y/1/k3"])
        #expect(pending[0].payload == Array(#"{"AlarmName":"X"}"#.utf8))
        #expect(Set(try outbox.heads().map(\.idempotencyKey)) == ["k1", "k3"])
        #expect(try outbox.heads().count == 3)

        // Delivered: gone from the outbox, remembered; the next one becomes the head.
        let first = pending[0]
        try outbox.markDelivered(first.id, now: now)
        #expect(try outbox.wasDelivered("k1", to: "a"))
        #expect(try outbox.heads().contains { $0.idempotencyKey == "k2" })
        #expect(try outbox.enqueue(notification("k1", alarm: "X"), destinations: ["a"], now: now) == [.duplicate(destination: "a")])
        #expect(try outbox.pruneDelivered(before: now.adding(seconds: 1)) == 1)
    }

    @Test("failures, dead letters, retry and purge; all of it survives reopening")
    func lifecycle() throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let now = Timestamp(seconds: 1_700_000_100)
        do {
            let store = try StateStore(directory: path)
            _ = try store.outbox.enqueue(notification("k1", alarm: "X", destinations: ["a"]), destinations: ["a"], now: now)
            _ = try store.outbox.enqueue(notification("k2", alarm: "X", destinations: ["a"]), destinations: ["a"], now: now)
            let id = try #require(try store.outbox.pending().first?.id)
            try store.outbox.recordFailure(id, error: "HTTP 500 Internal Server Error from https://h", nextAttemptAt: now.adding(seconds: 60))
            #expect(FileManager.default.fileExists(atPath: path + "/state.sqlite-wal"))
        }
        let store = try StateStore(directory: path)
        let outbox = store.outbox
        let entry = try #require(try outbox.pending().first)
        #expect(entry.attempts == 1)
        #expect(entry.lastError == "HTTP 500 Internal Server Error from https://h")
        #expect(entry.nextAttemptAt == now.adding(seconds: 60))

        try outbox.moveToDeadLetter(entry.id, error: "HTTP 500", now: now.adding(seconds: 90))
        let dead = try #require(try outbox.deadLetters().first)
        #expect(dead.entry.id == entry.id && dead.entry.attempts == 2 && dead.deadAt == now.adding(seconds: 90))
        #expect(try outbox.heads().map(\.idempotencyKey) == ["k2"])

        // Retry brings it back behind k2 with the same id and key.
        #expect(try outbox.retry(ids: [entry.id], now: now.adding(seconds: 100)) == [entry.id])
        #expect(try outbox.deadLetters().isEmpty)
        let back = try #require(try outbox.pending().first { $0.id == entry.id })
        #expect(back.idempotencyKey == "k1" && back.sequence == 3 && back.createdAt == now.adding(seconds: 100))

        #expect(try outbox.retry(ids: nil, now: now.adding(seconds: 200)).count == 2)
        #expect(try outbox.pending().allSatisfy { $0.nextAttemptAt == now.adding(seconds: 200) })

        try outbox.moveToDeadLetter(entry.id, error: "x", now: now)
        #expect(try outbox.purge(ids: nil) == 1)
        #expect(try outbox.pending().count == 1)
        #expect(try outbox.purge(ids: nil, includingPending: true) == 1)
        #expect(try outbox.pending().isEmpty)
    }

    @Test("one sender per state directory")
    func senderLock() throws {
        let path = directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try StateStore(directory: path)
        let lock = try store.trySenderLock()
        #expect(lock != nil)
        let other = try StateStore(directory: path)
        #expect(try other.trySenderLock() == nil)
        withExtendedLifetime(lock) {}
    }

    @Test("an unwritable state directory is a StateStoreError")
    func unwritable() {
        #expect(throws: StateStoreError.self) { try StateStore(directory: "/proc/tripline-cannot-be-here") }
    }
}

/// The live run's checkpoint: one blob, replaced whole, read back as written.
@Suite("Checkpoint store")
struct CheckpointStoreTests {
    @Test func saveReplacesAndLoadReadsBack() throws {
        let directory = NSTemporaryDirectory() + "tripline-checkpoint-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try StateStore(directory: directory)
        #expect(try store.checkpoints.load() == nil)
        try store.checkpoints.save(Array("first".utf8), format: 1, now: Timestamp(milliseconds: 1_000))
        try store.checkpoints.save(Array("second".utf8), format: 2, now: Timestamp(milliseconds: 2_000))
        // A new process sees the last one.
        let reopened = try StateStore(directory: directory)
        let saved = try #require(try reopened.checkpoints.load())
        #expect(saved.body == Array("second".utf8))
        #expect(saved.format == 2)
        #expect(saved.savedAt == Timestamp(milliseconds: 2_000))
        try reopened.checkpoints.clear()
        #expect(try reopened.checkpoints.load() == nil)
    }
}
