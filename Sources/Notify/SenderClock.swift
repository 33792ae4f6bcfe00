public import TriplineCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time for the outbox: when to retry and when to give up survive restarts, so they
/// are wall-clock times. Tests pass their own clock so retries do not sleep for real minutes.
public protocol SenderClock: Sendable {
    func now() -> Timestamp
    /// Returns at `deadline` or later; throws when the task is cancelled.
    func sleep(until deadline: Timestamp) async throws
}

/// The system's real-time clock.
public struct SystemSenderClock: SenderClock {
    public init() {}

    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(milliseconds: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    public func sleep(until deadline: Timestamp) async throws {
        let milliseconds = deadline.milliseconds - now().milliseconds
        if milliseconds > 0 { try await Task.sleep(for: .milliseconds(milliseconds)) }
    }
}
