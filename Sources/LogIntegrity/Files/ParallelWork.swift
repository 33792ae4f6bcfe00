import Dispatch
import Synchronization

/// Runs `count` independent jobs on `threads` workers and returns their results in job order.
///
/// Each worker takes the next job index from an atomic counter, so a slow file does not hold up the
/// others; each result slot is written by exactly one worker.
enum ParallelWork {
    static func map<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if count == 0 { return [] }
        let slots = ResultSlots<T>(count: count)
        let next = Atomic<Int>(0)
        let workers = max(1, min(threads, count))
        if workers == 1 {
            for i in 0..<count { slots.store(body(i), at: i) }
        } else {
            withUnsafePointer(to: next) { counter in
                let counter = UnsafeSendable(counter)
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    while true {
                        let i = counter.value.pointee.wrappingAdd(1, ordering: .relaxed).oldValue
                        if i >= count { break }
                        slots.store(body(i), at: i)
                    }
                }
            }
        }
        return slots.take()
    }
}

/// A pointer handed to workers that only read through it atomically.
private struct UnsafeSendable<P>: @unchecked Sendable {
    let value: P
    init(_ value: P) { self.value = value }
}

/// Result storage where each index is written once, by one thread, before `take()`.
private final class ResultSlots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        _ = buffer.deinitialize()
        buffer.deallocate()
    }

    func store(_ value: T, at index: Int) { buffer[index] = value }

    func take() -> [T] {
        // Safe because every index below count was stored before concurrentPerform returned.
        buffer.map { $0.unsafelyUnwrapped }
    }
}
