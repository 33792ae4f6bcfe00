import GRDB

extension Outbox {
    /// Notifications waiting and dead-lettered, per destination, for `/metrics`.
    public func depths() throws(StateStoreError) -> [String: (waiting: Int, deadLetters: Int)] {
        try StateStore.run("count the outbox") {
            try pool.read { db in
                var result: [String: (waiting: Int, deadLetters: Int)] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT destination, COUNT(*) AS n FROM outbox GROUP BY destination") {
                    result[row["destination"], default: (0, 0)].waiting = row["n"]
                }
                for row in try Row.fetchAll(db, sql: "SELECT destination, COUNT(*) AS n FROM dead_letter GROUP BY destination") {
                    result[row["destination"], default: (0, 0)].deadLetters = row["n"]
                }
                return result
            }
        }
    }
}
