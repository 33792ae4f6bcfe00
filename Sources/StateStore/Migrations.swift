import GRDB

/// The schema, one migration per change; never edit a migration that has shipped, add one.
///
/// Times are milliseconds since the Unix epoch (UTC), as `Timestamp` holds them.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-outbox") { db in
            // Notifications waiting for delivery: one row per (notification, destination).
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        idempotencyKey TEXT NOT NULL,
                        destination TEXT NOT NULL,
                        alarmName TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        oldState TEXT NOT NULL,
                        newState TEXT NOT NULL,
                        stateChangeTime INTEGER NOT NULL,
                        payload BLOB NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        nextAttemptAt INTEGER NOT NULL,
                        lastError TEXT,
                        createdAt INTEGER NOT NULL,
                        UNIQUE (destination, idempotencyKey),
                        UNIQUE (destination, alarmName, sequence)
                    );
                    CREATE INDEX outbox_due ON outbox (nextAttemptAt);
                    """)
            // The last sequence number given per (destination, alarm), so numbers only grow even
            // after the outbox empties.
            try db.execute(
                sql: """
                    CREATE TABLE outbox_sequence (
                        destination TEXT NOT NULL,
                        alarmName TEXT NOT NULL,
                        lastSequence INTEGER NOT NULL,
                        PRIMARY KEY (destination, alarmName)
                    ) WITHOUT ROWID;
                    """)
            // Notifications that were not delivered within the destination's DeadLetterAfter.
            try db.execute(
                sql: """
                    CREATE TABLE dead_letter (
                        id INTEGER PRIMARY KEY,
                        idempotencyKey TEXT NOT NULL,
                        destination TEXT NOT NULL,
                        alarmName TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        oldState TEXT NOT NULL,
                        newState TEXT NOT NULL,
                        stateChangeTime INTEGER NOT NULL,
                        payload BLOB NOT NULL,
                        attempts INTEGER NOT NULL,
                        lastError TEXT,
                        createdAt INTEGER NOT NULL,
                        deadAt INTEGER NOT NULL,
                        UNIQUE (destination, idempotencyKey)
                    );
                    """)
            // Keys delivered recently, so a notification enqueued again (a replay after a restart)
            // is not sent twice.
            try db.execute(
                sql: """
                    CREATE TABLE delivered (
                        destination TEXT NOT NULL,
                        idempotencyKey TEXT NOT NULL,
                        alarmName TEXT NOT NULL,
                        deliveredAt INTEGER NOT NULL,
                        PRIMARY KEY (destination, idempotencyKey)
                    ) WITHOUT ROWID;
                    CREATE INDEX delivered_age ON delivered (deliveredAt);
                    """)
        }
        migrator.registerMigration("v2-checkpoint") { db in
            // The live run's checkpoint: one row, replaced whole in one transaction. `body` is the
            // runtime's versioned JSON (alarm states and windows, input positions, counters).
            try db.execute(
                sql: """
                    CREATE TABLE checkpoint (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        format INTEGER NOT NULL,
                        savedAt INTEGER NOT NULL,
                        body BLOB NOT NULL
                    );
                    """)
        }
        return migrator
    }
}
