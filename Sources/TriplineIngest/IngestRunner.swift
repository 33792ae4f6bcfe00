internal import Dispatch
import Synchronization
public import TriplineCore

/// The caller's per-thread state for a parallel read: it receives the events of one unit at a time.
///
/// Each thread gets its own worker from the factory passed to ``IngestRunner/run(_:threads:options:progress:makeWorker:)``,
/// so matcher scratch is never shared. Workers are not `Sendable` and never cross threads.
public protocol IngestWorker: AnyObject, SendableMetatype {
    /// What a unit leaves behind for the merge (datapoints, counts); it crosses threads.
    associatedtype UnitOutput: Sendable

    /// Receives one event of the current unit.
    func consume(_ line: UnsafeRawBufferPointer, source: EventReference)

    /// Ends the current unit and hands over what it produced.
    func finishUnit(_ unit: WorkUnit, report: UnitReport) -> UnitOutput

    /// Whether ``measureLine(_:)`` can find where lines end; when false it is never called.
    static var measuresLines: Bool { get }

    /// The length of the NDJSON line at the start of `bytes` (which go on past it), when taking
    /// the line in finds its newline anyway; nil to let the reader search. The reader then passes
    /// the line to ``consume(_:source:)`` at once, with the same start, so the work need not be
    /// done twice. Must never return an offset past the first newline.
    func measureLine(_ bytes: UnsafeRawBufferPointer) -> Int?
}

extension IngestWorker {
    public static var measuresLines: Bool { false }
    public func measureLine(_ bytes: UnsafeRawBufferPointer) -> Int? { nil }
}

/// The result of one work unit, returned in plan order.
public struct UnitResult<Output: Sendable>: Sendable {
    /// The unit.
    public var unit: WorkUnit
    /// Counters and problems.
    public var report: UnitReport
    /// What the worker returned for it.
    public var output: Output
    /// The number to add to line numbers of this unit's events to get line numbers in the whole file
    /// (non-zero only for byte ranges after the first).
    public var lineBase: Int
}

/// Reads the units of a plan on several threads and returns the results in plan order.
///
/// Units are handed out one at a time to the next free thread, so the threads stay busy however the
/// sizes differ; the results do not depend on the scheduling: each unit's output is returned in plan
/// order, with the line base of byte ranges, so merging them in order gives the same answer as one
/// thread.
///
/// ```swift
/// let results = IngestRunner.run(plan, threads: 8, options: options) { MatchWorker(filters) }
/// for result in results { merge(result.output, lineBase: result.lineBase) }
/// ```
public enum IngestRunner {
    /// Runs the plan.
    ///
    /// - Parameters:
    ///   - plan: the units, in input order.
    ///   - threads: how many threads (at least 1; at most the number of units are used).
    ///   - options: reading options.
    ///   - progress: totals updated once per buffer, for a progress display.
    ///   - makeWorker: makes the per-thread state; called once on each thread.
    /// - Returns: one result per unit, in plan order.
    public static func run<Worker: IngestWorker>(
        _ plan: WorkPlan,
        threads: Int,
        options: IngestOptions = IngestOptions(),
        progress: ProgressCounters? = nil,
        makeWorker: @escaping @Sendable () -> Worker
    ) -> [UnitResult<Worker.UnitOutput>] {
        let units = plan.units
        let results = Mutex<[UnitResult<Worker.UnitOutput>?]>(Array(repeating: nil, count: units.count))
        let next = Atomic<Int>(0)
        let threadCount = max(1, min(threads, units.count))
        let work: @Sendable (Int) -> Void = { _ in
            let worker = makeWorker()
            let reader = InputReader(for: worker, options: options, progress: progress)
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                if index >= units.count { break }
                let unit = units[index]
                let report = reader.read(unit) { line, source in worker.consume(line, source: source) }
                let output = worker.finishUnit(unit, report: report)
                let result = UnitResult(unit: unit, report: report, output: output, lineBase: 0)
                results.withLock { $0[index] = result }
            }
        }
        if threadCount == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: threadCount, execute: work)
        }
        var ordered = results.withLock { slots in
            // Safe to unwrap: every index below units.count was taken by exactly one thread and filled.
            slots.map { $0.unsafelyUnwrapped }
        }
        var lastInput = -1
        var base = 0
        for i in ordered.indices {
            if ordered[i].unit.inputIndex != lastInput {
                lastInput = ordered[i].unit.inputIndex
                base = 0
            }
            ordered[i].lineBase = base
            base += ordered[i].report.lineCount
        }
        return ordered
    }

    /// The counters of each input, summed over its units, in input order.
    public static func countersByInput<Output>(_ results: [UnitResult<Output>]) -> [(input: Input, counters: InputCounters)] {
        var out: [(input: Input, counters: InputCounters)] = []
        var lastInput = -1
        for result in results {
            if result.unit.inputIndex != lastInput {
                lastInput = result.unit.inputIndex
                out.append((result.unit.input, InputCounters()))
            }
            out[out.count - 1].counters += result.report.counters
        }
        return out
    }
}
