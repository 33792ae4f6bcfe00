import AsyncHTTPClient
import Foundation
import Logging
import Notify
import StateStore
import Synchronization
import Testing
import TriplineConfig
import TriplineCore

/// The outbox sender against real HTTP servers on loopback.
@Suite("Outbox sender against loopback servers", .serialized)
struct SenderTests {
    /// A store, a webhook notifier named "hook" and a sender, torn down after `body`.
    func withSetup(
        settings: WebhookSettings, clock: any SenderClock = SystemSenderClock(), logger: Logger = testLogger,
        _ body: (StateStore, OutboxSender, WebhookNotifier) async throws -> Void
    ) async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try StateStore(directory: directory)
        let client = WebhookNotifier.makeClient()
        do {
            let notifier = try WebhookNotifier(
                name: "hook", settings: settings, location: "test.yaml:1:1", client: client, environment: testEnvironment, logger: logger)
            let sender = OutboxSender(outbox: store.outbox, notifiers: ["hook": notifier], clock: clock, logger: logger, random: { 0.5 })
            try await body(store, sender, notifier)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test("500 then 200: retried with the same key and a valid signature each time")
    func serverErrorThenSuccess() async throws {
        let server = try await TestHTTPServer.start { _, index in index == 0 ? .respond(status: 500, body: "boom") : .respond(status: 200) }
        defer { Task { await server.stop() } }
        try await withSetup(settings: fastSettings(url: server.url)) { store, sender, _ in
            try await withSender(sender) {
                try sender.submit(sampleNotification(key: "n-1"))
                #expect(await server.waitForRequests(2))
                #expect(try await eventually { try store.outbox.pending().isEmpty })
            }
            let requests = server.requests
            #expect(server.statuses == [500, 200])
            #expect(requests.map { $0.headers["idempotency-key"] } == ["n-1", "n-1"])
            #expect(requests.allSatisfy { hasValidSignature($0) })
            #expect(requests.map { $0.headers["x-tripline-delivery-attempt"] } == ["1", "2"])
            #expect(requests[1].bodyText.contains(#""IdempotencyKey":"n-1""#))
            #expect(try store.outbox.wasDelivered("n-1", to: "hook"))
            // Enqueued again (a replay after a restart): not sent twice.
            #expect(try sender.submit(sampleNotification(key: "n-1")) == [.duplicate(destination: "hook")])
        }
    }

    @Test("down at the start, up later: delivered once it is up")
    func downThenUp() async throws {
        let port = try await TestHTTPServer.freePort()
        var settings = fastSettings(url: "http://127.0.0.1:\(port)/hook")
        settings.timeoutSeconds = 1
        try await withSetup(settings: settings) { store, sender, _ in
            try await withSender(sender) {
                try sender.submit(sampleNotification(key: "d-1"))
                #expect(try await eventually { (try store.outbox.pending().first?.attempts ?? 0) >= 2 })
                let failure = try store.outbox.pending().first?.lastError ?? ""
                print("down-then-up lastError: \(failure)")
                #expect(failure.contains("127.0.0.1:\(port)"))
                #expect(!failure.contains("/hook"))
                let server = try await TestHTTPServer.start(port: port) { _, _ in .respond(status: 204) }
                defer { Task { await server.stop() } }
                #expect(try await eventually { try store.outbox.pending().isEmpty })
                #expect(server.requests.count == 1)
                #expect(server.requests.first.map { hasValidSignature($0) } == true)
            }
        }
    }

    @Test("a server that hangs: the attempt times out and is retried")
    func hangingServer() async throws {
        let server = try await TestHTTPServer.start { _, index in index == 0 ? .hang : .respond(status: 200) }
        defer { Task { await server.stop() } }
        var settings = fastSettings(url: server.url)
        settings.timeoutSeconds = 0.5
        try await withSetup(settings: settings) { store, sender, _ in
            let started = Date()
            try await withSender(sender) {
                try sender.submit(sampleNotification(key: "h-1"))
                #expect(try await eventually { try store.outbox.pending().first?.lastError != nil || (try store.outbox.pending().isEmpty) })
                #expect(try await eventually { try store.outbox.pending().isEmpty })
            }
            #expect(Date().timeIntervalSince(started) >= 0.5)
            #expect(server.requests.map { $0.headers["idempotency-key"] } == ["h-1", "h-1"])
        }
    }

    @Test("429 with Retry-After: the next attempt waits at least that long")
    func retryAfter() async throws {
        let server = try await TestHTTPServer.start { _, index in
            index == 0 ? .respond(status: 429, headers: [("Retry-After", "120")]) : .respond(status: 200)
        }
        defer { Task { await server.stop() } }
        let clock = JumpClock()
        try await withSetup(settings: fastSettings(url: server.url), clock: clock) { store, sender, _ in
            try await withSender(sender) {
                try sender.submit(sampleNotification(key: "r-1"))
                #expect(try await eventually { try store.outbox.pending().isEmpty })
            }
            // With random = 0.5 and a 0.02 s base, only Retry-After explains a 120 s wait.
            let sleeps = clock.sleeps.withLock { $0 }
            #expect(sleeps.contains { $0 >= 119 && $0 <= 120.5 })
            #expect(server.statuses == [429, 200])
        }
    }

    @Test("an alarm's notifications arrive in order while another alarm goes on")
    func orderPerAlarm() async throws {
        // Alarm A's first notification fails three times; B is not held up; A's second waits for its first.
        let server = try await TestHTTPServer.start { request, _ in
            let key = request.headers["idempotency-key"] ?? ""
            if key == "A-1" {
                return .respond(status: 503)
            }
            return .respond(status: 200)
        }
        defer { Task { await server.stop() } }
        try await withSetup(settings: fastSettings(url: server.url)) { store, sender, _ in
            try await withSender(sender) {
                try sender.submit(sampleNotification(key: "A-1", alarm: "A"))
                try sender.submit(sampleNotification(key: "B-1", alarm: "B"))
                try sender.submit(sampleNotification(key: "A-2", alarm: "A", newState: .ok))
                try sender.submit(sampleNotification(key: "B-2", alarm: "B", newState: .ok))
                #expect(try await eventually { try store.outbox.pending().map(\.idempotencyKey) == ["A-1", "A-2"] })
                #expect(try await eventually { (try store.outbox.pending().first?.attempts ?? 0) >= 3 })
                // A-2 was never sent while A-1 waits.
                #expect(!server.requests.contains { $0.headers["idempotency-key"] == "A-2" })
                try store.outbox.purge(ids: try store.outbox.pending().filter { $0.idempotencyKey == "A-1" }.map(\.id))
                sender.wake()
                #expect(try await eventually { try store.outbox.pending().isEmpty })
            }
            let keys = server.requests.map { $0.headers["idempotency-key"] ?? "" }
            #expect(keys.filter { $0.hasPrefix("B") } == ["B-1", "B-2"])
            #expect(keys.last == "A-2")
        }
    }

    @Test("after DeadLetterAfter a notification moves to the dead letters; the alarm's next one goes on; retry replays it")
    func deadLetter() async throws {
        let healthy = Mutex(false)
        let server = try await TestHTTPServer.start { request, _ in
            if request.headers["idempotency-key"] == "x-1" && !healthy.withLock({ $0 }) { return .respond(status: 500) }
            return .respond(status: 200)
        }
        defer { Task { await server.stop() } }
        var settings = fastSettings(url: server.url)
        settings.deadLetterAfterSeconds = 3600
        settings.retryBaseDelaySeconds = 60
        settings.retryMaxDelaySeconds = 1800
        let clock = JumpClock()
        try await withSetup(settings: settings, clock: clock) { store, sender, _ in
            try await withSender(sender) {
                try sender.submit(sampleNotification(key: "x-1", alarm: "X"))
                try sender.submit(sampleNotification(key: "x-2", alarm: "X", newState: .ok))
                #expect(try await eventually { try store.outbox.deadLetters().count == 1 && (try store.outbox.pending().isEmpty) })
            }
            let dead = try #require(try store.outbox.deadLetters().first)
            #expect(dead.entry.idempotencyKey == "x-1")
            #expect(dead.entry.lastError?.hasPrefix("HTTP 500") == true)
            #expect(server.requests.last?.headers["idempotency-key"] == "x-2")

            healthy.withLock { $0 = true }
            #expect(try store.outbox.retry(ids: [dead.entry.id], now: clock.now()) == [dead.entry.id])
            try await withSender(sender) {
                let settled = try await eventually { try store.outbox.pending().isEmpty && (try store.outbox.deadLetters().isEmpty) }
                #expect(settled)
            }
            #expect(server.requests.last?.headers["idempotency-key"] == "x-1")
        }
    }

    @Test("secrets stay out of errors and logs")
    func noSecretsInErrors() async throws {
        let server = try await TestHTTPServer.start { request, _ in
            // A careless receiver echoes what it got, secret path and signature included.
            .respond(status: 400, body: "bad request to \(request.uri) signed \(request.headers["x-tripline-signature"] ?? "") token \(request.headers["authorization"] ?? "")")
        }
        defer { Task { await server.stop() } }
        var settings = fastSettings(url: "http://127.0.0.1:\(server.port)/services/T0SECRET/B0SECRET/XYZSECRET")
        settings.headers = [("Authorization", "Bearer tok_SECRET_123")]
        let log = CapturedLog()
        try await withSetup(settings: settings, logger: log.logger) { store, sender, notifier in
            let outcome = await notifier.deliver(sampleDelivery())
            guard case .failed(let reason, _) = outcome else {
                Issue.record("expected a failure")
                return
            }
            #expect(reason.hasPrefix("HTTP 400"))
            for secret in ["T0SECRET", "B0SECRET", "XYZSECRET", "tok_SECRET_123", testSecret] {
                #expect(!reason.contains(secret))
                #expect(!log.text.contains(secret))
            }
            _ = store
            _ = sender
        }
    }
}
