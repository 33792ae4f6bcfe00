public import Alarms
public import MetricFilters
public import TriplineCore
public import TriplineIngest

/// `tripline backtest`: the whole pipeline in event time over archives.
///
/// Threads match filters on their share of the input; each keeps, per unit, the records that can
/// move the alarms (those that raise the unit's greatest event time, and those with datapoints).
/// The units are then fed to one alarm engine in input order, so the output is the same whatever
/// the number of threads.
public struct BacktestRun {
    public struct Options: Sendable {
        public var from: Timestamp?
        public var to: Timestamp?
        public var allowedLateness = 300
        public var now: Timestamp
        public var earlyAlarm = true
        /// Forced states (`tripline alarm set-state`), applied when event time reaches them.
        public var setStateRequests: [SetStateRequest] = []

        public init(now: Timestamp) { self.now = now }
    }

    public struct Summary: Sendable {
        public var events = 0
        public var matches: [Int] = []
        public var datapoints = 0
        public var datapointsWithoutDimension = 0
        public var valuesUnparseable = 0
        public var eventsWithoutTime = 0
        public var eventsWithImplausibleTime = 0
        public var eventsOutsideRange = 0
        public var counters = AlarmEngineCounters()
        public var transitionsPerAlarm: [String: Int] = [:]
        public var problems: [InputProblem] = []
        public var unknownSetStateAlarms: [String] = []
    }

    public let filterSet: FilterSet
    public var engine: AlarmEngine
    public let options: Options

    public init(filterSet: FilterSet, engine: AlarmEngine, options: Options) {
        self.filterSet = filterSet
        self.engine = engine
        self.options = options
    }

    /// Runs the backtest; returns the transitions in (StateChangeTime, AlarmName, sequence) order.
    ///
    /// Units are merged into the engine in input order as soon as they are read, so memory holds
    /// only the units that finished ahead of their turn.
    public mutating func run(_ plan: WorkPlan, threads: Int, ingest: IngestOptions, progress: ProgressCounters?)
        -> (transitions: [AlarmTransition], summary: Summary)
    {
        let set = filterSet
        let options = self.options
        let merge = BacktestMerge(engine: engine, options: options, filterCount: set.filters.count)
        // A window of four units per thread: 32 MiB of a split file each, as much as one unit when
        // ranges were 32 MiB. With less, a thread that finished its unit often waited for the
        // merge of the one before (two threads: about 8 % of wall time).
        IngestRunner.stream(plan, threads: threads, options: ingest, progress: progress, window: 4 * threads) {
            BacktestWorker(set.compiledAgain(), options: options)
        } deliver: { result in
            merge.add(result)
        }
        let outcome = merge.finish()
        engine = outcome.engine
        return (outcome.transitions, outcome.summary)
    }
}

/// Feeds the units' records to the alarm engine, in input order.
final class BacktestMerge: @unchecked Sendable {
    private(set) var engine: AlarmEngine
    private var summary = BacktestRun.Summary()
    private var transitions: [AlarmTransition] = []
    private var latest: Timestamp?
    private var waiting: [BacktestWorker.Record] = []
    private var requests: [SetStateRequest]

    init(engine: AlarmEngine, options: BacktestRun.Options, filterCount: Int) {
        self.engine = engine
        self.summary.matches = Array(repeating: 0, count: filterCount)
        self.requests = options.setStateRequests.sorted {
            ($0.at ?? Timestamp(milliseconds: .min)) < ($1.at ?? Timestamp(milliseconds: .min))
        }
    }

    /// Applies `set-state` requests whose time has come.
    private func applyRequests(upTo time: Timestamp) {
        while let request = requests.first, (request.at ?? time) <= time {
            requests.removeFirst()
            if let output = engine.setAlarmState(request.alarm, to: request.state, reason: request.reason, at: request.at ?? time) {
                transitions += output.transitions
            } else {
                summary.unknownSetStateAlarms.append(request.alarm)
            }
        }
    }

    /// Merges one unit (called in input order).
    func add(_ result: UnitResult<BacktestWorker.UnitOutput>) {
        summary.events += result.report.counters.events
        summary.problems += result.report.problems
        let output = result.output
        for index in output.matches.indices { summary.matches[index] += output.matches[index] }
        summary.datapoints += output.datapoints
        summary.datapointsWithoutDimension += output.datapointsWithoutDimension
        summary.valuesUnparseable += output.valuesUnparseable
        summary.eventsWithImplausibleTime += output.implausible
        summary.eventsOutsideRange += output.outsideRange
        for var record in output.records {
            // A later range of a split file numbers its lines from 1: make them the file's numbers.
            if result.lineBase != 0 { record.datapoints = BacktestRun.renumbered(record.datapoints, by: result.lineBase) }
            // An event without a usable time takes the greatest time seen so far; those read
            // before any time is known wait for the first one (spec §12.1).
            guard let time = record.time ?? latest else {
                waiting.append(record)
                continue
            }
            if latest == nil {
                for early in waiting {
                    transitions += engine.ingest(
                        eventTime: time, datapoints: BacktestRun.restamp(early.datapoints, time), evidence: early.evidence
                    ).transitions
                }
                summary.eventsWithoutTime += waiting.count
                waiting = []
            }
            if record.time == nil { summary.eventsWithoutTime += 1 }
            latest = max(latest ?? time, time)
            applyRequests(upTo: time)
            let datapoints = record.time == nil ? BacktestRun.restamp(record.datapoints, time) : record.datapoints
            transitions += engine.ingest(eventTime: time, datapoints: datapoints, evidence: record.evidence).transitions
        }
    }

    /// Ends the replay: the final evaluations, in output order.
    func finish() -> (engine: AlarmEngine, transitions: [AlarmTransition], summary: BacktestRun.Summary) {
        // No usable time ever came: those events are dropped, and counted.
        summary.eventsWithoutTime += waiting.count
        if let latest { applyRequests(upTo: latest) }
        transitions += engine.finish().transitions
        transitions.sort { ($0.stateChangeTime, $0.alarmName, $0.sequence) < ($1.stateChangeTime, $1.alarmName, $1.sequence) }
        summary.counters = engine.counters
        for transition in transitions { summary.transitionsPerAlarm[transition.alarmName, default: 0] += 1 }
        return (engine, transitions, summary)
    }
}

extension BacktestRun {
    /// `datapoints` with the line numbers of their sources moved on by `lines`.
    static func renumbered(_ datapoints: [Datapoint], by lines: Int) -> [Datapoint] {
        datapoints.map { datapoint in
            var copy = datapoint
            copy.source?.line += lines
            return copy
        }
    }

    static func restamp(_ datapoints: [Datapoint], _ time: Timestamp) -> [Datapoint] {
        datapoints.map { datapoint in
            var copy = datapoint
            copy.timestamp = time
            return copy
        }
    }
}

/// One thread's pipeline for ``BacktestRun``.
final class BacktestWorker: IngestWorker {
    struct Record: Sendable {
        var time: Timestamp?
        var datapoints: [Datapoint]
        var evidence: EventEvidence?
    }

    struct UnitOutput: Sendable {
        var records: [Record]
        var matches: [Int]
        var datapoints: Int
        var datapointsWithoutDimension: Int
        var valuesUnparseable: Int
        var implausible: Int
        var outsideRange: Int
    }

    private var pipeline: EventPipeline
    private let options: BacktestRun.Options
    private var records: [Record] = []
    private var unitMax: Timestamp?
    private var unitMin: Timestamp?
    /// Whether the last kept record only moved time (and may be moved further instead of adding one).
    private var lastIsTimeOnly = false
    private var implausible = 0
    private var outsideRange = 0
    private var sawTimeless = false

    init(_ set: FilterSet, options: BacktestRun.Options) {
        self.pipeline = EventPipeline(filterSet: set)
        self.options = options
    }

    /// The line ``measureLine(_:)`` indexed: ``consume(_:source:)`` gets it next and reuses the index.
    private var measured = MeasuredLine()

    static var measuresLines: Bool { true }

    /// The walk over the line's top level, which every event needs, also finds where it ends.
    func measureLine(_ bytes: UnsafeRawBufferPointer) -> Int? {
        measured.note(bytes, length: pipeline.measureLine(bytes))
    }

    func consume(_ line: UnsafeRawBufferPointer, source: EventReference) {
        var time: Timestamp?
        var skipped = false
        let measured = self.measured.take(line)
        func decide(_ found: Timestamp?) -> Timestamp? {
            time = found
            // More than 15 minutes after the wall clock cannot be a real event time (spec §12.1).
            if let value = found, value > options.now.adding(seconds: 900) {
                implausible += 1
                time = nil
            }
            if let value = time, options.from.map({ value < $0 }) == true || options.to.map({ value >= $0 }) == true {
                outsideRange += 1
                skipped = true
                return nil
            }
            return time ?? unitMax ?? Timestamp(milliseconds: 0)
        }
        let result =
            measured
            ? pipeline.process(measuredLine: line, source: source, decide: decide)
            : pipeline.process(line, source: source, decide: decide)
        guard !skipped, let (_, datapoints, evidence) = result else { return }
        guard let value = time else {
            records.append(Record(time: nil, datapoints: datapoints, evidence: evidence))
            return
        }
        if datapoints.isEmpty {
            // A record without datapoints only moves time. One that lowers the unit's earliest time
            // is kept (when an alarm starts depends on it); of a run of records that each raise the
            // greatest time only the last matters, since nothing between them reaches the engine.
            if let unitMin, value < unitMin {
                self.unitMin = value
                records.append(Record(time: value, datapoints: [], evidence: nil))
                lastIsTimeOnly = false
                return
            }
            guard value > (unitMax ?? Timestamp(milliseconds: .min)) else { return }
            unitMax = value
            unitMin = min(unitMin ?? value, value)
            if lastIsTimeOnly, !records.isEmpty {
                records[records.count - 1].time = value
            } else {
                records.append(Record(time: value, datapoints: [], evidence: nil))
                // The unit's first record stays as it is: it carries the unit's earliest time.
                lastIsTimeOnly = records.count > 1
            }
            return
        }
        unitMax = max(unitMax ?? value, value)
        unitMin = min(unitMin ?? value, value)
        records.append(Record(time: value, datapoints: datapoints, evidence: evidence))
        lastIsTimeOnly = false
    }

    func finishUnit(_ unit: WorkUnit, report: UnitReport) -> UnitOutput {
        let output = UnitOutput(
            records: records, matches: pipeline.matches, datapoints: pipeline.datapointsEmitted,
            datapointsWithoutDimension: pipeline.datapointsWithoutDimension, valuesUnparseable: pipeline.valuesUnparseable,
            implausible: implausible, outsideRange: outsideRange)
        records = []
        unitMax = nil
        unitMin = nil
        lastIsTimeOnly = false
        implausible = 0
        outsideRange = 0
        pipeline.resetCounts()
        return output
    }
}
