public import TriplineCore

/// Tripline's alarm engine: metric and composite alarms evaluated over a stream of datapoints in
/// event time (spec §12).
///
/// Definitions go in at creation; then datapoints and time go in, and transitions and notifications
/// come out. The engine is a value with no clock, no I/O and no concurrency: the owner feeds it
/// records in read order and, in live mode, the wall clock.
///
/// ```swift
/// var engine = try AlarmEngine(metricAlarms: alarms, compositeAlarms: composites)
/// for record in input {                                   // in read order
///     let output = engine.ingest(eventTime: record.time, datapoints: record.datapoints, evidence: record.evidence)
///     outbox.enqueue(output.notifications)
/// }
/// outbox.enqueue(engine.finish().notifications)           // backtest: report the final transitions
/// ```
///
/// - `ingest` moves the watermark `W = max event time − allowedLateness`, evaluates every alarm at
///   each aligned period end `≤ W` in time order, stores the datapoints, then runs early alarm
///   (§12.5) for alarms whose outcome can only get worse.
/// - `advance(to:)` (live mode) also moves `W` to `now − allowedLateness`.
/// - `finish()` (backtest) moves `W` far enough past the last event for every range to empty.
public struct AlarmEngine: Sendable {
    /// Engine-wide settings.
    public struct Configuration: Sendable, Hashable, Codable {
        /// How far behind the greatest event time the watermark trails, in seconds (default 300).
        public var allowedLateness: Int
        /// `--from`: when alarms exist from. Nil: from the earliest event read before the watermark first
        /// reaches one of the alarm's period ends. In live mode pass the start time of the run.
        public var from: Timestamp?
        /// The most metric series held at once; datapoints of further series are dropped and counted.
        public var maxSeries: Int
        /// Matching events kept per period and shown per notification (at most 5 in a notification).
        public var evidencePerPeriod: Int

        /// Creates settings; the defaults are 300 s lateness, 10 000 series and 5 events.
        public init(allowedLateness: Int = 300, from: Timestamp? = nil, maxSeries: Int = 10_000, evidencePerPeriod: Int = 5) {
            self.allowedLateness = allowedLateness
            self.from = from
            self.maxSeries = maxSeries
            self.evidencePerPeriod = evidencePerPeriod
        }
    }

    enum AlarmRef: Hashable, Sendable {
        case metric(Int)
        case composite(Int)
    }

    struct MetricSlot: Sendable {
        var machine: AlarmStateMachine
        var series: Int
        var anchored = false
        var nextEvaluation: Timestamp?
        var sequence: Int
        /// What early alarm reads of the definition, copied out once (a slot's definition never
        /// changes): reading `machine.alarm` per datapoint copies the whole definition. Nil when the
        /// alarm does not alarm early.
        let early: EarlyShape?

        init(machine: AlarmStateMachine, series: Int, sequence: Int) {
            self.machine = machine
            self.series = series
            self.sequence = sequence
            let alarm = machine.alarm
            early = alarm.alarmsEarly ? EarlyShape(alarm) : nil
        }
    }

    /// An early-alarming definition's period, range and threshold test.
    struct EarlyShape: Sendable {
        var periodLength: Int64
        var range: Int
        var statistic: Statistic
        var comparisonOperator: ComparisonOperator
        var threshold: Double

        init(_ alarm: MetricAlarm) {
            periodLength = Int64(alarm.period) * 1000
            range = alarm.effectiveEvaluationRange
            statistic = alarm.statistic
            comparisonOperator = alarm.comparisonOperator
            threshold = alarm.threshold
        }
    }

    let configuration: Configuration
    var metrics: [MetricSlot] = []
    var composites: [CompositeSlot] = []
    /// Composite indices in dependency order (children before parents); cyclic ones left out.
    var compositeOrder: [Int] = []
    var references: [String: AlarmRef] = [:]
    var layouts: [SeriesLayout] = []
    var seriesForKey: [MetricKey: [Int]] = [:]
    var series: [MetricSeries?] = []
    var allocatedSeries = 0
    var rejectedSeries: Set<Int> = []

    var maxEventTime: Timestamp?
    var earliestEventTime: Timestamp?
    /// Time for composite timers: max of the watermark and the latest early evaluation.
    var clock: Timestamp?
    var nextSequence = 0
    var pending = PendingOutput()

    /// The watermark `W`; nil before the first record or clock reading.
    public internal(set) var watermark: Timestamp?
    /// Counts for summaries and `/metrics`.
    public internal(set) var counters = AlarmEngineCounters()
    /// Problems found in the definitions that do not stop the engine (unknown children, cycles).
    public internal(set) var warnings: [String] = []

    /// Creates an engine.
    /// - Throws: ``AlarmEngineError`` listing every invalid definition and duplicate name.
    public init(
        metricAlarms: [MetricAlarm], compositeAlarms: [CompositeAlarm] = [], configuration: Configuration = Configuration()
    ) throws(AlarmEngineError) {
        var problems = metricAlarms.flatMap { $0.validate() } + compositeAlarms.flatMap { $0.validate() }
        var seen: Set<String> = []
        for name in metricAlarms.map(\.name) + compositeAlarms.map(\.name) where !seen.insert(name).inserted {
            problems.append("alarm \"\(name)\" is defined twice; alarm names must be unique")
        }
        if configuration.allowedLateness < 0 { problems.append("allowedLateness must not be negative") }
        guard problems.isEmpty else { throw AlarmEngineError(problems: problems) }
        self.init(validated: metricAlarms, compositeAlarms: compositeAlarms, configuration: configuration)
    }

    /// Creates an engine from definitions already validated (restore rebuilds a fresh engine this way).
    init(validated metricAlarms: [MetricAlarm], compositeAlarms: [CompositeAlarm], configuration: Configuration) {
        self.configuration = configuration
        for alarm in metricAlarms { addMetricAlarm(alarm) }
        for alarm in compositeAlarms { addCompositeAlarm(alarm) }
        resolveComposites()
    }

    private mutating func addMetricAlarm(_ alarm: MetricAlarm) {
        let length = Int64(alarm.period) * 1000
        let early = alarm.alarmsEarly ? Int64(alarm.effectiveEvaluationRange) * length : 0
        let needsSketch: Bool
        if case .percentile = alarm.statistic { needsSketch = true } else { needsSketch = false }
        let index: Int
        if let existing = seriesForKey[alarm.metric]?.first(where: { layouts[$0].periodLength == length }) {
            index = existing
            layouts[index].keepPeriods = max(layouts[index].keepPeriods, alarm.effectiveEvaluationRange)
            layouts[index].tracksPercentiles = layouts[index].tracksPercentiles || needsSketch
            layouts[index].earlyWindow = max(layouts[index].earlyWindow, early)
        } else {
            index = layouts.count
            layouts.append(
                SeriesLayout(
                    key: alarm.metric, periodLength: length, keepPeriods: alarm.effectiveEvaluationRange,
                    tracksPercentiles: needsSketch, earlyWindow: early,
                    evidencePerPeriod: max(0, configuration.evidencePerPeriod)))
            series.append(nil)
            seriesForKey[alarm.metric, default: []].append(index)
        }
        references[alarm.name] = .metric(metrics.count)
        references[alarm.arn] = .metric(metrics.count)
        metrics.append(MetricSlot(machine: AlarmStateMachine(alarm), series: index, sequence: metrics.count))
    }

    /// The current state of the alarm named (by name or ARN); nil when unknown.
    public func state(of alarm: String) -> AlarmState? {
        switch references[alarm] {
        case .metric(let index): metrics[index].machine.state
        case .composite(let index): composites[index].state
        case nil: nil
        }
    }

    /// Every alarm's name and current state, in definition order (metric alarms first).
    public var states: [(name: String, state: AlarmState)] {
        metrics.map { ($0.machine.alarm.name, $0.machine.state) } + composites.map { ($0.alarm.name, $0.state) }
    }

    /// The greatest event time seen: the time to give an event without a usable time (§12.1).
    public var latestEventTime: Timestamp? { maxEventTime }

    /// Whether `eventTime` is plausible against the wall clock `now` (at most 15 minutes ahead, §12.1).
    public static func isPlausible(_ eventTime: Timestamp, now: Timestamp) -> Bool {
        eventTime <= now.adding(seconds: 900)
    }

    /// Counts an event the caller could not time (it then passes ``latestEventTime`` or waits).
    public mutating func noteEventWithoutTime() { counters.eventsWithoutTime += 1 }

    /// Counts an event whose time was implausible (more than 15 minutes after the wall clock).
    public mutating func noteImplausibleTime() { counters.eventsWithImplausibleTime += 1 }

    /// Counts an event skipped for lying outside `--from`/`--to`.
    public mutating func noteEventOutsideRange() { counters.eventsOutsideRange += 1 }
}

/// Invalid alarm definitions, every problem listed.
public struct AlarmEngineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One sentence per problem.
    public var problems: [String]

    /// Creates an error.
    public init(problems: [String]) { self.problems = problems }

    public var description: String { problems.joined(separator: "\n") }
}

extension AlarmEngine {
    /// What the engine holds: allocated series, period buckets and early-alarm sub-buckets.
    public var storage: (series: Int, periods: Int, subBuckets: Int) {
        series.reduce(into: (allocatedSeries, 0, 0)) { total, stored in
            guard let counts = stored?.storedBuckets else { return }
            total.1 += counts.periods
            total.2 += counts.subBuckets
        }
    }
}
