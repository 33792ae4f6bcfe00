import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Tripline's durable state in `--state-dir` (default `./.tripline`): one SQLite database in WAL mode,
/// written through GRDB, with a versioned schema (`Migrations`). Today it holds the notification
/// outbox and its dead letters; checkpoints (issue 7) add their own migrations.
///
/// Every write is a committed transaction with `synchronous = FULL`, so what a call has returned
/// survives a crash of the process and of the machine.
public final class StateStore: Sendable {
    /// The state directory.
    public let directory: String
    /// The database file inside it.
    public let databasePath: String
    let pool: DatabasePool

    /// The database file's name inside the state directory.
    public static let databaseName = "state.sqlite"

    /// Opens (creating when needed) the store in `directory` and brings its schema up to date.
    /// - Throws: ``StateStoreError`` when the directory or database cannot be created, opened or migrated.
    public init(directory: String) throws(StateStoreError) {
        self.directory = directory
        self.databasePath = (directory as NSString).appendingPathComponent(Self.databaseName)
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StateStoreError("cannot create the state directory '\(directory)': \(Self.describe(error))")
        }
        var configuration = Configuration()
        configuration.label = "tripline-state"
        // Another process (`tripline outbox` beside `tripline run`) may hold the write lock briefly.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: databasePath, configuration: configuration)
        } catch {
            throw StateStoreError("cannot open the state database '\(databasePath)': \(Self.describe(error))")
        }
        // The payloads hold evidence from the account's trail: readable by the owner only.
        chmod(databasePath, 0o600)
        do {
            try Migrations.migrator.migrate(pool)
        } catch {
            throw StateStoreError("cannot update the state database '\(databasePath)' to this version of Tripline: \(Self.describe(error))")
        }
    }

    /// The notification outbox and its dead letters.
    public var outbox: Outbox { Outbox(pool: pool) }

    /// The schema versions applied, oldest first (for diagnostics and tests).
    public func appliedMigrations() throws(StateStoreError) -> [String] {
        try Self.run("read the schema version") { try pool.read { db in try Migrations.migrator.appliedMigrations(db) } }
    }

    /// Runs a database operation, turning GRDB's errors into ``StateStoreError``.
    static func run<T>(_ what: String, _ body: () throws -> T) throws(StateStoreError) -> T {
        do {
            return try body()
        } catch let error as StateStoreError {
            throw error
        } catch {
            throw StateStoreError("cannot \(what) in the state database: \(describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
        return String(describing: error)
    }

    /// Takes the sender lock of this state directory without waiting: only one process delivers
    /// from an outbox at a time, so per-alarm order holds. Nil when another process holds it.
    /// The lock lasts until the returned value is released or the process ends (even by SIGKILL).
    public func trySenderLock() throws(StateStoreError) -> SenderLock? {
        let path = (directory as NSString).appendingPathComponent("sender.lock")
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StateStoreError("cannot open the lock file '\(path)': \(String(cString: strerror(errno)))")
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            close(descriptor)
            return nil
        }
        return SenderLock(descriptor: descriptor)
    }
}

/// An exclusive `flock` on the state directory's `sender.lock`.
public final class SenderLock: Sendable {
    private let descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }
}

/// What went wrong with the state store; the message names the file and never holds payloads or secrets.
public struct StateStoreError: Error, CustomStringConvertible, Sendable {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
