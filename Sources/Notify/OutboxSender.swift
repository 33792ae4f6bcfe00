public import Logging
public import StateStore
public import TriplineCore

/// Delivers the outbox: per destination and per alarm in sequence order (an alarm waits while its
/// oldest notification is being retried; other alarms go on), with exponential backoff and full
/// jitter, `Retry-After`, and dead-lettering after the destination's `DeadLetterAfter`.
///
/// Durable by construction: ``submit(_:)`` commits to the outbox before anything is sent,
/// ``run()`` reads the outbox when it starts (so a restart sends what is left) and removes a
/// notification only after a 2xx. Delivery is at least once: a crash between the receiver's 2xx
/// and the commit sends that notification again, with the same idempotency key.
public actor OutboxSender {
    let outbox: Outbox
    let notifiers: [String: any Notifier]
    let clock: any SenderClock
    let logger: Logger
    let random: @Sendable () -> Double
    let maxConcurrentDeliveries: Int
    private let doorbell = Doorbell()
    private var inFlight: Set<Int64> = []
    private var warnedDestinations: Set<String> = []
    private var deliveredCount = 0
    private var deadLetteredCount = 0
    private var perDestination: [String: DestinationStatistics] = [:]

    /// - Parameters:
    ///   - notifiers: by destination name; ``ImmediateNotifier``s (stdout) are written in ``submit(_:)``
    ///     and never queued.
    ///   - random: numbers in `0..<1` for the jitter (injectable for tests).
    public init(
        outbox: Outbox, notifiers: [String: any Notifier], clock: any SenderClock = SystemSenderClock(), logger: Logger,
        maxConcurrentDeliveries: Int = 8, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.outbox = outbox
        self.notifiers = notifiers
        self.clock = clock
        self.logger = logger
        self.maxConcurrentDeliveries = max(1, maxConcurrentDeliveries)
        self.random = random
    }

    /// Hands a notification to its destinations: stdout ones are written now; every other one is
    /// committed to the outbox (durably, before this returns) and the sender is woken.
    /// Call it in transition order: the outbox keeps that order per alarm and destination.
    /// - Throws: ``StateStoreError`` when the outbox cannot be written (the notification is then
    ///   not accepted; stop, rather than lose it).
    @discardableResult
    public nonisolated func submit(_ notification: AlarmNotification) throws(StateStoreError) -> [EnqueueResult] {
        var durable: [String] = []
        for destination in notification.destinations {
            if let immediate = notifiers[destination] as? any ImmediateNotifier {
                immediate.write(Delivery(notification, destination: destination))
            } else {
                durable.append(destination)
            }
        }
        guard !durable.isEmpty else { return [] }
        let results = try outbox.enqueue(notification, destinations: durable, now: clock.now())
        doorbell.ring()
        return results
    }

    /// Wakes the loop to look at the outbox again (after `outbox retry`, say).
    public nonisolated func wake() { doorbell.ring() }

    /// Counts since start, for `/metrics` and tests.
    public var statistics: (delivered: Int, deadLettered: Int, inFlight: Int) { (deliveredCount, deadLetteredCount, inFlight.count) }

    /// Counts since start per destination, for `/metrics`.
    public var destinationStatistics: [String: DestinationStatistics] { perDestination }

    /// Delivers until the task is cancelled. In-flight requests are cancelled with it; their
    /// notifications stay in the outbox for the next start.
    public func run() async {
        await run(until: { _ in false })
    }

    /// Delivers until none of `ids` (all notifications when nil) is waiting in the outbox any more
    /// (each delivered or dead-lettered), or the task is cancelled; notifications for destinations
    /// the config does not define are not waited for. For `tripline outbox retry`.
    /// Returns whether everything asked for was settled.
    @discardableResult
    public func runUntilSettled(ids: Set<Int64>? = nil) async -> Bool {
        var settled = false
        await run(until: { [outbox, notifiers] _ in
            guard let pending = try? outbox.pending() else { return false }
            settled = !pending.contains { entry in
                notifiers[entry.destination] != nil && (ids?.contains(entry.id) ?? true)
            }
            return settled
        })
        return settled
    }

    private func run(until done: ([OutboxEntry]) -> Bool) async {
        logger.debug("outbox sender started")
        // Keys delivered more than a week ago no longer suppress a re-queued notification.
        _ = try? outbox.pruneDelivered(before: clock.now().adding(milliseconds: -7 * 86_400_000))
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                let heads: [OutboxEntry]
                do {
                    heads = try outbox.heads()
                } catch {
                    logger.error("cannot read the outbox; retrying in 1 s", metadata: ["error": "\(error)"])
                    try? await clock.sleep(until: clock.now().adding(seconds: 1))
                    continue
                }
                if inFlight.isEmpty && done(heads) { break }
                let now = clock.now()
                var wakeAt: Timestamp?
                for head in heads where !inFlight.contains(head.id) {
                    guard let notifier = notifiers[head.destination] else {
                        if warnedDestinations.insert(head.destination).inserted {
                            logger.warning(
                                "the outbox holds notifications for a destination the config does not define; they are kept",
                                metadata: ["destination": "\(head.destination)"])
                        }
                        continue
                    }
                    if head.nextAttemptAt <= now && inFlight.count < maxConcurrentDeliveries {
                        inFlight.insert(head.id)
                        group.addTask {
                            let outcome = await notifier.deliver(Delivery(head))
                            await self.finish(head, outcome: outcome, policy: notifier.retryPolicy)
                        }
                    } else if head.nextAttemptAt > now {
                        wakeAt = min(wakeAt ?? head.nextAttemptAt, head.nextAttemptAt)
                    }
                }
                await waitForWake(until: wakeAt)
            }
            group.cancelAll()
        }
        logger.debug("outbox sender stopped")
    }

    private func waitForWake(until deadline: Timestamp?) async {
        guard let deadline else {
            await doorbell.wait()
            return
        }
        let clock = clock
        let doorbell = doorbell
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(until: deadline) }
            group.addTask { await doorbell.wait() }
            await group.next()
            group.cancelAll()
        }
    }

    private func finish(_ entry: OutboxEntry, outcome: DeliveryOutcome, policy: RetryPolicy) {
        defer {
            inFlight.remove(entry.id)
            doorbell.ring()
        }
        // Cancelled mid-request (shutdown): leave it as it was, to be sent on the next start.
        if Task.isCancelled, case .failed = outcome { return }
        let now = clock.now()
        var logger = logger
        logger[metadataKey: "destination"] = "\(entry.destination)"
        logger[metadataKey: "alarm"] = "\(entry.alarmName)"
        logger[metadataKey: "outbox_id"] = "\(entry.id)"
        do {
            switch outcome {
            case .delivered(let status):
                try outbox.markDelivered(entry.id, now: now)
                deliveredCount += 1
                perDestination[entry.destination, default: DestinationStatistics()].delivered += 1
                logger.info("notification delivered", metadata: ["status": "\(status)", "attempts": "\(entry.attempts + 1)"])
            case .failed(let reason, let retryAfter):
                perDestination[entry.destination, default: DestinationStatistics()].failures += 1
                let deadline = entry.createdAt.adding(milliseconds: Int64(policy.deadLetterAfter * 1000))
                if now >= deadline {
                    try outbox.moveToDeadLetter(entry.id, error: reason, now: now)
                    deadLetteredCount += 1
                    perDestination[entry.destination, default: DestinationStatistics()].deadLettered += 1
                    logger.error(
                        "notification moved to the dead-letter table; replay it with 'tripline outbox retry \(entry.id)'",
                        metadata: ["reason": "\(reason)", "attempts": "\(entry.attempts + 1)"])
                    return
                }
                let delay = policy.delay(afterAttempts: entry.attempts + 1, retryAfter: retryAfter?.seconds(from: now), random: random())
                var next = now.adding(milliseconds: Int64(delay * 1000))
                // One last attempt at the deadline rather than none.
                if next > deadline { next = deadline }
                try outbox.recordFailure(entry.id, error: reason, nextAttemptAt: next)
                logger.notice(
                    "delivery failed; will retry",
                    metadata: ["reason": "\(reason)", "attempts": "\(entry.attempts + 1)", "next_attempt": "\(next)"])
            }
        } catch {
            logger.error("cannot record the outcome of a delivery in the outbox", metadata: ["error": "\(error)"])
        }
    }
}

/// One destination's delivery counts since the sender started.
public struct DestinationStatistics: Sendable, Hashable {
    public var delivered = 0
    /// Failed attempts (each retry counts).
    public var failures = 0
    public var deadLettered = 0
}

extension Timestamp {
    func adding(milliseconds: Int64) -> Timestamp { Timestamp(milliseconds: self.milliseconds &+ milliseconds) }
}
