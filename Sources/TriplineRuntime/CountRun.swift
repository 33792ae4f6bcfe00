public import MetricFilters
public import TriplineIngest
public import TriplineCore

/// `tripline count`: per-filter match counts over inputs, read on several threads.
public struct CountRun {
    /// The counts, summed over every unit (sums do not depend on how the work was split).
    public struct Result: Sendable {
        public var events = 0
        public var malformed = 0
        public var oversized = 0
        public var bytes = 0
        public var matches: [Int]
        public var problems: [InputProblem] = []
        /// The first malformed lines, with input and line number, for debug output.
        public var malformedSamples: [EventReference] = []
    }

    public let filterSet: FilterSet

    public init(filterSet: FilterSet) { self.filterSet = filterSet }

    public func run(_ plan: WorkPlan, threads: Int, options: IngestOptions, progress: ProgressCounters?) -> Result {
        let set = filterSet
        let results = IngestRunner.run(plan, threads: threads, options: options, progress: progress) {
            CountWorker(set.compiledAgain())
        }
        var total = Result(matches: Array(repeating: 0, count: set.filters.count))
        for result in results {
            let output = result.output
            total.events += result.report.counters.events
            total.oversized += result.report.counters.oversizedLines
            total.bytes += result.report.counters.bytesRead
            total.malformed += output.malformed
            for index in output.matches.indices { total.matches[index] += output.matches[index] }
            total.problems += result.report.problems
            for sample in output.malformedSamples where total.malformedSamples.count < 20 {
                var adjusted = sample
                adjusted.line += result.lineBase
                total.malformedSamples.append(adjusted)
            }
        }
        return total
    }
}

/// One thread's matcher state for ``CountRun``.
final class CountWorker: IngestWorker {
    struct UnitOutput: Sendable {
        var matches: [Int]
        var malformed: Int
        var malformedSamples: [EventReference]
    }

    private let set: FilterSet
    private var scratch = FilterSetScratch()
    /// `scratch.rootIndex`, held by a constant so passing it per event needs no retain.
    private let rootIndex: RootIndex
    private var matches: [Int]
    private var malformed = 0
    private var samples: [EventReference] = []

    init(_ set: FilterSet) {
        self.set = set
        self.rootIndex = scratch.rootIndex
        self.matches = Array(repeating: 0, count: set.filters.count)
    }

    /// The line ``measureLine(_:)`` validated and indexed: ``consume(_:source:)`` gets it next and
    /// need not validate it again.
    private var measured = MeasuredLine()

    static var measuresLines: Bool { true }

    /// Validation reads every line to its end anyway, so it finds the newline for the reader.
    func measureLine(_ bytes: UnsafeRawBufferPointer) -> Int? {
        measured.note(bytes, length: rootIndex.indexFirstLine(of: bytes))
    }

    func consume(_ line: UnsafeRawBufferPointer, source: EventReference) {
        var event: LogEvent
        if measured.take(line) {
            event = LogEvent(indexedLine: line, rootIndex: rootIndex, validated: true)
        } else {
            event = LogEvent(line, rootIndex: rootIndex)
            if !event.isValidJSONObject() {
                malformed += 1
                if samples.count < 20 { samples.append(source) }
            }
        }
        set.forEachMatch(&event, scratch: &scratch) { matches[$0] += 1 }
    }

    func finishUnit(_ unit: WorkUnit, report: UnitReport) -> UnitOutput {
        defer {
            for index in matches.indices { matches[index] = 0 }
            malformed = 0
            samples = []
        }
        return UnitOutput(matches: matches, malformed: malformed, malformedSamples: samples)
    }
}
