import Synchronization

/// Running totals shared between reading threads and a progress display: bytes read and events.
///
/// Readers add once per buffer (1 MiB), not per event.
public final class ProgressCounters: Sendable {
    private let bytes = Atomic<Int>(0)
    private let events = Atomic<Int>(0)

    /// Creates zero counters.
    public init() {}

    /// Adds to the totals.
    public func add(bytes: Int, events: Int) {
        if bytes != 0 { self.bytes.add(bytes, ordering: .relaxed) }
        if events != 0 { self.events.add(events, ordering: .relaxed) }
    }

    /// The totals so far.
    public var snapshot: (bytes: Int, events: Int) {
        (bytes.load(ordering: .relaxed), events.load(ordering: .relaxed))
    }
}

/// A stop request that any thread may make and a loop checks.
public final class StopFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Creates a flag that is not set.
    public init() {}

    /// Asks the loop to stop.
    public func stop() { flag.store(true, ordering: .relaxed) }

    /// Whether a stop was asked for.
    public var isStopped: Bool { flag.load(ordering: .relaxed) }
}
