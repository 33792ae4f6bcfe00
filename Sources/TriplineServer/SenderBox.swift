import Foundation
import Logging
import Notify
import StateStore
import TriplineConfig
import TriplineCore

/// The outbox sender in use, replaced whole when a reload changes the destinations.
///
/// `submit` is called under the live run's lock, from any thread; the sender's delivery loop runs
/// as a task owned here, cancelled and awaited when it is replaced or at shutdown.
final class SenderBox: @unchecked Sendable {
    private let lock = NSLock()
    private let outbox: Outbox
    private let logger: Logger
    /// Whether this process holds the state directory's sender lock (else it only queues).
    let sends: Bool
    private var sender: OutboxSender
    private var notifiers: NotifierSet
    private var destinations: [DestinationDefinition]
    private var task: Task<Void, Never>?
    private var failure: String?
    /// Set at shutdown: no loop is started after it.
    private var stopping = false

    init(outbox: Outbox, notifiers: NotifierSet, destinations: [DestinationDefinition], sends: Bool, logger: Logger) {
        self.outbox = outbox
        self.logger = logger
        self.sends = sends
        self.notifiers = notifiers
        self.destinations = destinations
        self.sender = OutboxSender(outbox: outbox, notifiers: notifiers.notifiers, logger: logger)
    }

    /// Starts delivering (when this process holds the sender lock).
    func start() {
        lock.lock()
        defer { lock.unlock() }
        guard sends, task == nil, !stopping else { return }
        let sender = self.sender
        task = Task { await sender.run() }
    }

    /// Hands a notification to the current sender; a failure to queue is kept for the exit status.
    func submit(_ notification: AlarmNotification) {
        lock.lock()
        let sender = self.sender
        lock.unlock()
        do {
            try sender.submit(notification)
        } catch {
            lock.lock()
            if failure == nil { failure = "the outbox cannot be written: \(error)" }
            lock.unlock()
            logger.critical(
                "NotificationNotQueued: the outbox cannot be written; the notification was not accepted",
                metadata: ["alarm.name": "\(notification.alarmName)", "error": "\(error)"])
        }
    }

    /// The first outbox failure, if any.
    var firstFailure: String? {
        lock.lock()
        defer { lock.unlock() }
        return failure
    }

    /// Swaps in senders for new destinations, when they changed. Throws when one cannot be set up.
    func update(destinations new: [DestinationDefinition]) throws {
        lock.lock()
        // The definitions are plain values (no Equatable of their own): their full descriptions compare
        // every field, secrets' sources included, so any change rebuilds the senders.
        let unchanged = String(describing: new) == String(describing: destinations)
        lock.unlock()
        if unchanged { return }
        let replacement = try NotifierSet(destinations: new, logger: logger)
        lock.lock()
        let oldTask = task
        let oldNotifiers = notifiers
        notifiers = replacement
        destinations = new
        sender = OutboxSender(outbox: outbox, notifiers: replacement.notifiers, logger: logger)
        task = nil
        lock.unlock()
        Task {
            oldTask?.cancel()
            await oldTask?.value
            await oldNotifiers.shutdown()
            self.start()
        }
    }

    /// Per-destination counts of the current sender.
    func statistics() async -> [String: DestinationStatistics] {
        await currentSender.destinationStatistics
    }

    private var currentSender: OutboxSender {
        lock.lock()
        defer { lock.unlock() }
        return sender
    }

    /// Takes the loop's state for shutdown: nothing is started after this.
    private func takeForShutdown() -> (Task<Void, Never>?, OutboxSender, NotifierSet) {
        lock.lock()
        defer { lock.unlock() }
        let taken = (task, sender, notifiers)
        task = nil
        stopping = true
        return taken
    }

    /// Stops the loop, then delivers what is queued for up to `grace` seconds; the rest stays queued.
    func shutdown(grace: Double) async {
        let (task, sender, notifiers) = takeForShutdown()
        task?.cancel()
        await task?.value
        if sends {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { _ = await sender.runUntilSettled() }
                group.addTask { try? await Task.sleep(for: .seconds(grace)) }
                await group.next()
                group.cancelAll()
            }
        }
        await notifiers.shutdown()
    }
}
