import Foundation
import Notify
import StateStore
import Synchronization
import Testing
import TriplineCore
import TriplineTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real `tripline` binary, SIGKILLed in the middle of its retries and started again.
@Suite("Kill and restart", .serialized)
struct KillRestartTests {

    func launch(_ binary: String, _ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TRIPLINE_TEST_SECRET"] = testSecret
        process.environment = environment
        if !FileManager.default.fileExists(atPath: log) { _ = FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test("every notification arrives, in order per alarm, signed; duplicates only with the same key")
    func killAndRestart() async throws {
        let binary = try triplineBinary()
        // A slow, flaky receiver: every third request fails; each answer takes 150 ms, so a run
        // needs well over a second and the kills below land mid-delivery on any machine.
        let server = try await TestHTTPServer.start { _, index in
            .delayed(seconds: 0.15, status: index % 3 == 1 ? 500 : 200)
        }
        defer { Task { await server.stop() } }
        let directory = temporaryDirectory("tripline-kill")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let state = directory + "/state"
        let config = directory + "/tripline.yaml"
        try """
            Destinations:
              hook:
                Type: webhook
                Url: \(server.url)
                SecretEnv: TRIPLINE_TEST_SECRET
                TimeoutSeconds: 5
                RetryBaseDelay: 0.05s
                RetryMaxDelay: 0.2s
            """.write(toFile: config, atomically: true, encoding: .utf8)

        // 3 alarms × 8 transitions, interleaved, queued as `tripline run` would.
        let alarms = ["root-usage", "console-no-mfa", "trail-changes"]
        var expected: [String: [String]] = [:]
        do {
            let store = try StateStore(directory: state)
            for step in 0..<8 {
                for alarm in alarms {
                    let key = "\(alarm)-\(step)"
                    expected[alarm, default: []].append(key)
                    let notification = sampleNotification(key: key, alarm: alarm, newState: step % 2 == 0 ? .alarm : .ok)
                    _ = try store.outbox.enqueue(notification, destinations: ["hook"], now: SystemSenderClock().now())
                }
            }
        }

        let arguments = ["outbox", "retry", "--all", "--config", config, "--state-dir", state, "--log-level", "info"]
        let log = directory + "/tripline.log"
        var kills = 0
        // Kills that landed mid-delivery: requests had arrived and notifications were still queued.
        var killsMidDelivery = 0
        for _ in 0..<3 {
            let process = try launch(binary, arguments, log: log)
            // Kill as soon as this run has delivered something (however slowly the machine starts it).
            let before = server.requests.count
            let deadline = Date().addingTimeInterval(60)
            while process.isRunning, server.requests.count == before, Date() < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            guard process.isRunning else { break }
            kill(process.processIdentifier, SIGKILL)
            kills += 1
            while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
            let queued = (try? StateStore(directory: state).outbox.pending().count) ?? 0
            if server.requests.count > 0 && queued > 0 { killsMidDelivery += 1 }
        }
        let final = try launch(binary, arguments, log: log)
        let deadline = Date().addingTimeInterval(60)
        while final.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if final.isRunning { kill(final.processIdentifier, SIGKILL) }
        final.waitUntilExit()
        let logText = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(final.terminationStatus == 0, "tripline's log:\n\(logText)")
        #expect(kills >= 1, "the binary finished before it could be killed; slow the receiver down")
        #expect(killsMidDelivery >= 1, "no kill landed while notifications were both arriving and still queued; log:\n\(logText)")

        // What the receiver accepted (2xx), per alarm, in arrival order.
        let requests = server.requests
        let statuses = server.statuses
        #expect(requests.allSatisfy { hasValidSignature($0) })
        var accepted: [String: [String]] = [:]
        for (index, request) in requests.enumerated() where index < statuses.count && statuses[index] == 200 {
            let key = try #require(request.headers["idempotency-key"])
            let alarm = try #require(alarms.first { key.hasPrefix($0 + "-") })
            #expect(request.bodyText.contains(#""IdempotencyKey":"\#(key)""#))
            accepted[alarm, default: []].append(key)
        }
        for alarm in alarms {
            let arrived = accepted[alarm] ?? []
            // A duplicate is the same key again, right after itself (re-sent after a kill between the 2xx and the commit).
            var collapsed: [String] = []
            for key in arrived where collapsed.last != key { collapsed.append(key) }
            #expect(collapsed == expected[alarm], "arrivals for \(alarm): \(arrived)")
        }
        let store = try StateStore(directory: state)
        #expect(try store.outbox.pending().isEmpty)
        #expect(try store.outbox.deadLetters().isEmpty)
    }
}
