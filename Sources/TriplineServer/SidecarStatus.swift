import Foundation
import TriplineCore

/// Readiness and reload state, shared by the driver, the signal handlers and the HTTP handlers.
final class SidecarStatus: @unchecked Sendable {
    private let lock = NSLock()
    private var attached = false
    private var isStopping = false
    private var configLoadedAt: Timestamp?
    private var lastReload: (at: Timestamp, succeeded: Bool, message: String?)?
    private var lastCheckpoint: Timestamp?
    private var checkpointFailures = 0

    func configLoaded(at time: Timestamp) { locked { configLoadedAt = time } }
    func inputsAttached() { locked { attached = true } }
    func stopping() { locked { isStopping = true } }
    func reloadSucceeded(at time: Timestamp) { locked { lastReload = (time, true, nil); configLoadedAt = time } }
    func reloadFailed(at time: Timestamp, message: String) { locked { lastReload = (time, false, message) } }
    func checkpointed(at time: Timestamp) { locked { lastCheckpoint = time } }
    func checkpointFailed() { locked { checkpointFailures += 1 } }

    /// Whether `POST /ingest` takes batches (not while starting or stopping).
    var acceptsIngest: Bool { locked { attached && !isStopping } }

    /// Why the sidecar is not ready; empty when it is.
    var notReadyReasons: [String] {
        locked {
            var reasons: [String] = []
            if configLoadedAt == nil { reasons.append("the config is not loaded") }
            if !attached { reasons.append("the inputs are not attached yet (reading the backlog)") }
            if isStopping { reasons.append("shutting down") }
            return reasons
        }
    }

    var reload: (at: Timestamp, succeeded: Bool, message: String?)? { locked { lastReload } }
    var configLoaded: Timestamp? { locked { configLoadedAt } }
    var checkpoint: (last: Timestamp?, failures: Int) { locked { (lastCheckpoint, checkpointFailures) } }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
