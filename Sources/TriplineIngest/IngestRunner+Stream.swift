import Foundation

extension IngestRunner {
    /// Reads the plan on several threads and hands each unit's result to `deliver` in plan order
    /// as soon as it and every unit before it are done, so memory holds only the few units that
    /// finished early, never the whole input's results.
    ///
    /// Workers run at most `window` units ahead of the oldest undelivered one. `deliver` is
    /// called on the worker threads, one call at a time, in plan order, with the line base set.
    public static func stream<Worker: IngestWorker>(
        _ plan: WorkPlan,
        threads: Int,
        options: IngestOptions = IngestOptions(),
        progress: ProgressCounters? = nil,
        window: Int? = nil,
        makeWorker: @escaping @Sendable () -> Worker,
        deliver: @escaping @Sendable (UnitResult<Worker.UnitOutput>) -> Void
    ) {
        let units = plan.units
        let threadCount = max(1, min(threads, units.count))
        let state = StreamState<Worker.UnitOutput>(lookahead: window ?? 2 * threadCount)
        let work: @Sendable (Int) -> Void = { _ in
            let worker = makeWorker()
            let reader = InputReader(for: worker, options: options, progress: progress)
            while let index = state.take(limit: units.count) {
                let unit = units[index]
                let report = reader.read(unit) { line, source in worker.consume(line, source: source) }
                let output = worker.finishUnit(unit, report: report)
                state.finish(index, UnitResult(unit: unit, report: report, output: output, lineBase: 0), deliver: deliver)
            }
        }
        if threadCount == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: threadCount, execute: work)
        }
    }
}

/// The hand-out and in-order delivery of ``IngestRunner/stream(_:threads:options:progress:window:makeWorker:deliver:)``.
private final class StreamState<Output: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let lookahead: Int
    private var nextToTake = 0
    private var nextToDeliver = 0
    private var finished: [Int: UnitResult<Output>] = [:]
    private var lastInput = -1
    private var lineBase = 0
    /// Whether a thread is delivering (outside the lock); others leave their units to it.
    private var delivering = false

    init(lookahead: Int) { self.lookahead = max(1, lookahead) }

    /// The next unit to read, waiting while the reader would get too far ahead; nil when all are taken.
    func take(limit: Int) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while nextToTake < limit, nextToTake - nextToDeliver >= lookahead { condition.wait() }
        guard nextToTake < limit else { return nil }
        nextToTake += 1
        return nextToTake - 1
    }

    /// Records a finished unit and delivers every unit that is now next in order.
    ///
    /// One thread delivers at a time, in order, and *outside* the lock: while it runs `deliver`
    /// (the alarm engine, for a backtest), the other threads keep taking and finishing units
    /// instead of queueing on the lock; what they finish meanwhile is delivered by the same thread
    /// before it stops delivering.
    func finish(_ index: Int, _ result: UnitResult<Output>, deliver: (UnitResult<Output>) -> Void) {
        condition.lock()
        finished[index] = result
        if delivering {
            condition.unlock()
            return
        }
        delivering = true
        while var ready = finished.removeValue(forKey: nextToDeliver) {
            if ready.unit.inputIndex != lastInput {
                lastInput = ready.unit.inputIndex
                lineBase = 0
            }
            ready.lineBase = lineBase
            lineBase += ready.report.lineCount
            condition.unlock()
            deliver(ready)
            condition.lock()
            // Counted as delivered only now, so the lookahead also bounds what is held while
            // `deliver` runs (memory stays as with delivery under the lock).
            nextToDeliver += 1
            condition.broadcast()
        }
        delivering = false
        condition.unlock()
    }
}
