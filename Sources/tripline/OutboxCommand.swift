import ArgumentParser
import Foundation
import Logging
import Notify
import StateStore
import TriplineConfig
import TriplineCore

/// `tripline outbox list|retry|purge`: show and replay notifications that were not delivered.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Show and replay notifications waiting in the outbox or dead-lettered.",
        discussion: """
            Every webhook notification is written to the outbox in --state-dir before it is sent and removed \
            after a 2xx. Notifications not delivered within a destination's DeadLetterAfter move to the \
            dead-letter table. See "Webhooks" in README.md.
            """,
        subcommands: [List.self, Retry.self, Purge.self]
    )
}

/// `--state-dir`, shared by the outbox subcommands.
struct StateDirectoryOptions: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp("Where Tripline keeps its state (default ./.tripline, or TRIPLINE_STATE_DIR).", valueName: "dir"))
    var stateDirectory: String?

    var resolved: String {
        if let stateDirectory { return stateDirectory }
        if let environment = ProcessInfo.processInfo.environment["TRIPLINE_STATE_DIR"], !environment.isEmpty { return environment }
        return "./.tripline"
    }

    /// Opens the store; an existing state directory is required unless `create`.
    func open(create: Bool = false) throws(CLIError) -> StateStore {
        let directory = resolved
        if !create && !FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(StateStore.databaseName)) {
            throw CLIError(
                "error: no Tripline state in '\(directory)'.\nPass --state-dir DIR (or set TRIPLINE_STATE_DIR) to the directory 'tripline run' uses.",
                status: .noInput)
        }
        do {
            return try StateStore(directory: directory)
        } catch {
            throw CLIError("error: \(error.message)\nCheck that the directory is writable and the disk is not full.", status: .ioError)
        }
    }
}

extension OutboxCommand {
    /// One JSON line per notification.
    static func json(_ entry: OutboxEntry, state: String, deadAt: Timestamp? = nil) -> String {
        var object: [String: Any] = [
            "id": entry.id, "state": state, "destination": entry.destination, "alarmName": entry.alarmName,
            "sequence": entry.sequence, "idempotencyKey": entry.idempotencyKey, "oldState": entry.oldState,
            "newState": entry.newState, "stateChangeTime": entry.stateChangeTime.iso8601Z, "attempts": entry.attempts,
            "createdAt": entry.createdAt.iso8601Z, "payloadBytes": entry.payload.count,
        ]
        if state == "pending" { object["nextAttemptAt"] = entry.nextAttemptAt.iso8601Z }
        if let deadAt { object["deadAt"] = deadAt.iso8601Z }
        if let error = entry.lastError { object["lastError"] = error }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func parseIDs(_ texts: [String]) throws(CLIError) -> [Int64] {
        var ids: [Int64] = []
        for text in texts {
            guard let id = Int64(text), id > 0 else {
                throw CLIError("error: '\(text)' is not an outbox id.\nIds are the numbers 'tripline outbox list' prints.", status: .usage)
            }
            ids.append(id)
        }
        return ids
    }

    static func now() -> Timestamp { SystemSenderClock().now() }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print waiting and dead-lettered notifications, one JSON object per line.")

        @OptionGroup var state: StateDirectoryOptions

        @Flag(name: .customLong("dead"), help: "Only dead-lettered notifications.")
        var deadOnly = false

        @Flag(name: .customLong("pending"), help: "Only notifications waiting to be sent.")
        var pendingOnly = false

        @Flag(name: .customLong("payload"), help: "Include each notification's message JSON.")
        var payload = false

        func run() async throws {
            do {
                let store = try state.open()
                var output = StandardOutput()
                if !deadOnly {
                    for entry in try store.outbox.pending() { output.write(line(entry, state: "pending", deadAt: nil)) }
                }
                if !pendingOnly {
                    for dead in try store.outbox.deadLetters() { output.write(line(dead.entry, state: "dead", deadAt: dead.deadAt)) }
                }
                output.flush()
            } catch let error as CLIError {
                throw error.reported()
            } catch let error as StateStoreError {
                throw CLIError("error: \(error.message)", status: .ioError).reported()
            }
        }

        func line(_ entry: OutboxEntry, state: String, deadAt: Timestamp?) -> String {
            var text = OutboxCommand.json(entry, state: state, deadAt: deadAt)
            if payload, text.hasSuffix("}") {
                text.removeLast()
                text += ",\"payload\":" + String(decoding: entry.payload, as: UTF8.self) + "}"
            }
            return text + "\n"
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send notifications again now, and wait until they are delivered or dead-lettered.",
            discussion: """
                Waiting notifications become due now; dead letters return to the outbox with a fresh retry \
                window. Prints one JSON line per notification with its result. Exits 0 when all were \
                delivered, 74 when some were not. If 'tripline run' is delivering from the same state \
                directory, they are only scheduled and that process sends them.
                """)

        @OptionGroup var state: StateDirectoryOptions
        @OptionGroup var config: ConfigOptions

        @Argument(help: ArgumentHelp("Outbox ids (from 'tripline outbox list').", valueName: "id"))
        var ids: [String] = []

        @Flag(name: .customLong("all"), help: "Every waiting and dead-lettered notification.")
        var all = false

        @Option(name: .customLong("give-up-after"), help: ArgumentHelp("Stop waiting after this long (300, 5m, 1h); what is left stays in the outbox.", valueName: "duration"))
        var giveUpAfter: String?

        @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning or error.")
        var logLevel: String = "notice"

        func run() async throws {
            do {
                try await retry()
            } catch {
                throw error.reported()
            }
        }

        private func retry() async throws(CLIError) {
            let selected = try OutboxCommand.parseIDs(ids)
            if selected.isEmpty != all {
                throw CLIError(
                    selected.isEmpty ? "error: say which notifications to retry.\nGive ids from 'tripline outbox list', or --all."
                        : "error: give ids or --all, not both.", status: .usage)
            }
            guard let level = Logger.Level(rawValue: logLevel) else {
                throw CLIError("error: --log-level '\(logLevel)' is not a level.\nUse trace, debug, info, notice, warning or error.", status: .usage)
            }
            var limit: Double?
            if let giveUpAfter {
                guard let seconds = Self.duration(giveUpAfter), seconds > 0 else {
                    throw CLIError("error: --give-up-after '\(giveUpAfter)' is not a duration.\nWrite 300, 300s, 5m or 1h.", status: .usage)
                }
                limit = seconds
            }
            var logger = Logger(label: "tripline.outbox", factory: { StreamLogHandler.standardError(label: $0) })
            logger.logLevel = level

            let configuration = try config.load(printWarnings: false).configuration
            let store = try state.open()
            let notifiers: NotifierSet
            do {
                notifiers = try NotifierSet(destinations: configuration.destinations, logger: logger)
            } catch {
                throw CLIError(error.message, status: .dataError)
            }
            do {
                try await send(store: store, notifiers: notifiers.notifiers, logger: logger, limit: limit, selected: selected)
                await notifiers.shutdown()
            } catch {
                await notifiers.shutdown()
                throw error
            }
        }

        private func send(store: StateStore, notifiers: [String: any Notifier], logger: Logger, limit: Double?, selected: [Int64]) async throws(CLIError) {
            let outbox = store.outbox
            let found: [Int64]
            do {
                found = try outbox.retry(ids: all ? nil : selected, now: OutboxCommand.now())
            } catch {
                throw CLIError("error: \(error.message)", status: .ioError)
            }
            if !all, let missing = selected.first(where: { !found.contains($0) }) {
                throw CLIError("error: no notification \(missing) in the outbox or the dead letters.\nSee 'tripline outbox list'.", status: .dataError)
            }
            let lock: SenderLock?
            do {
                lock = try store.trySenderLock()
            } catch {
                throw CLIError("error: \(error.message)", status: .ioError)
            }
            guard let lock else {
                StandardError.write("note: another Tripline process is delivering from '\(state.resolved)'; it will send \(found.count) notification(s) now.\n")
                return
            }
            let sender = OutboxSender(outbox: outbox, notifiers: notifiers, logger: logger)
            let wanted = all ? nil : Set(found)
            let settled = await withTaskGroup(of: Bool?.self) { group in
                group.addTask { await sender.runUntilSettled(ids: wanted) }
                if let limit {
                    group.addTask {
                        try? await Task.sleep(for: .milliseconds(Int64(limit * 1000)))
                        return nil
                    }
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first ?? false
            }
            withExtendedLifetime(lock) {}

            // Report each notification asked for.
            var output = StandardOutput()
            let pending: [OutboxEntry]
            let dead: [DeadLetter]
            do {
                pending = try outbox.pending()
                dead = try outbox.deadLetters()
            } catch {
                throw CLIError("error: \(error.message)", status: .ioError)
            }
            var undelivered = 0
            for id in found {
                if let entry = pending.first(where: { $0.id == id }) {
                    output.write(OutboxCommand.json(entry, state: "pending") + "\n")
                    undelivered += 1
                } else if let letter = dead.first(where: { $0.entry.id == id }) {
                    output.write(OutboxCommand.json(letter.entry, state: "dead", deadAt: letter.deadAt) + "\n")
                    undelivered += 1
                } else {
                    output.write("{\"id\":\(id),\"state\":\"delivered\"}\n")
                }
            }
            output.flush()
            if !settled || undelivered > 0 {
                throw CLIError(
                    "\(undelivered) of \(found.count) notification(s) were not delivered; they are in the outbox or the dead letters.\nSee 'tripline outbox list', fix the destination, and retry.",
                    status: .ioError)
            }
        }

        static func duration(_ text: String) -> Double? {
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
            if let last = text.last, let unit = units[last] { return Double(text.dropLast()).map { $0 * unit } }
            return Double(text)
        }
    }

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete notifications for good: the given ids, else every dead letter.")

        @OptionGroup var state: StateDirectoryOptions

        @Argument(help: ArgumentHelp("Outbox ids to delete (waiting or dead).", valueName: "id"))
        var ids: [String] = []

        @Flag(name: .customLong("pending"), help: "Also delete every notification still waiting to be sent.")
        var pending = false

        func run() async throws {
            do {
                let selected = try OutboxCommand.parseIDs(ids)
                if !selected.isEmpty && pending {
                    throw CLIError("error: give ids or --pending, not both.", status: .usage)
                }
                let store = try state.open()
                let removed = try store.outbox.purge(ids: selected.isEmpty ? nil : selected, includingPending: pending)
                var output = StandardOutput()
                output.write("{\"purged\":\(removed)}\n")
                output.flush()
            } catch let error as CLIError {
                throw error.reported()
            } catch let error as StateStoreError {
                throw CLIError("error: \(error.message)", status: .ioError).reported()
            }
        }
    }
}
