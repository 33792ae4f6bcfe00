import TriplineCore

/// How one series is stored: period length and how much history its alarms need.
struct SeriesLayout: Sendable, Hashable {
    var key: MetricKey
    /// Period length in milliseconds.
    var periodLength: Int64
    /// The largest evaluation range R among the series' alarms.
    var keepPeriods: Int
    /// Whether any alarm asks for a percentile.
    var tracksPercentiles: Bool
    /// The sliding window early alarm examines (R × Period of the widest early alarm), 0 when none.
    var earlyWindow: Int64
    /// Evidence items kept per period.
    var evidencePerPeriod: Int
}

/// The values of one metric series, per aligned period and, for early alarm, per sub-bucket.
///
/// Period buckets `[kP, (k+1)P)` live in a sorted array and are dropped once no future evaluation
/// can read them (older than the next period end minus R periods). For early alarm's sliding
/// windows `(τ − kP, τ − (k−1)P]` the series also keeps sub-buckets of ``subBucketWidth`` (one second
/// for periods up to ~34 min; wider for long ranges, so at most ~2 048 cover the window): each holds
/// count, sum, min, max and the earliest and latest event time in it. A window counts a sub-bucket
/// only when all its events lie inside the window, so with CloudTrail's whole-second `eventTime` the
/// windows are exact, and with finer times a straddling sub-bucket is left out: early alarm may then
/// fire later than it could, never on data outside the window.
struct MetricSeries: Sendable {
    struct PeriodBucket: Sendable {
        var start: Timestamp
        var statistics: PeriodStatistics
        var evidence: [EvidenceItem] = []
    }

    struct SubBucket: Sendable {
        var index: Int64
        var count = 0
        var sum = 0.0
        var minimum = Double.infinity
        var maximum = -Double.infinity
        var earliest = Int64.max
        var latest = Int64.min
    }

    /// Count, sum, minimum and maximum folded over sub-buckets, in array order.
    struct Aggregate: Sendable {
        var count = 0
        var sum = 0.0
        var minimum = Double.infinity
        var maximum = -Double.infinity

        /// Adds a sub-bucket exactly as ``PeriodStatistics/merge(_:)`` would.
        mutating func absorb(_ sub: SubBucket) {
            count += sub.count
            sum += sub.sum
            minimum = Swift.min(minimum, sub.minimum)
            maximum = Swift.max(maximum, sub.maximum)
        }

        /// The window's statistics, nil when nothing fell in it.
        var statistics: PeriodStatistics? {
            guard count > 0 else { return nil }
            var result = PeriodStatistics()
            result.setAggregate(count: count, sum: sum, minimum: minimum, maximum: maximum)
            return result
        }
    }

    /// A sliding window's fold over its sub-buckets with an index below `boundary`, kept so the next
    /// query of the same window only folds what follows (usually the one sub-bucket being filled).
    struct WindowFold: Sendable {
        var after: Int64
        var through: Int64
        var boundary: Int64
        var folded: Aggregate
    }

    /// The most window folds a series keeps (early alarm asks R windows per alarm at each time).
    static let windowFoldCapacity = 16

    let layout: SeriesLayout
    let subBucketWidth: Int64
    // Settable in the module for restoring snapshots (MetricSeries+Snapshot.swift), which fills a
    // new series; anything else that changes sub-buckets must go through `add` and `prune`, which
    // keep `windowFolds` true.
    var buckets: [PeriodBucket] = []
    var subBuckets: [SubBucket] = []
    /// A cache, not state: never saved (a restored series starts without), and dropped whenever a
    /// sub-bucket it covers changes.
    private(set) var windowFolds: [WindowFold] = []

    init(layout: SeriesLayout) {
        self.layout = layout
        let seconds = Swift.max(1, (layout.earlyWindow / 1000 + 2047) / 2048)
        subBucketWidth = seconds * 1000
    }

    /// The start of the oldest period a future evaluation can read, given watermark `w`.
    func oldestKept(watermark w: Timestamp?) -> Timestamp? {
        guard let w else { return nil }
        let nextEnd = w.floor(toPeriod: layout.periodLength / 1000).milliseconds + layout.periodLength
        return Timestamp(milliseconds: nextEnd - Int64(layout.keepPeriods) * layout.periodLength)
    }

    /// Adds a value; returns false (and keeps nothing) when its period is older than what is kept.
    mutating func add(_ value: Double, at time: Timestamp, evidence: EvidenceItem?, watermark: Timestamp?) -> Bool {
        let start = time.floor(toPeriod: layout.periodLength / 1000)
        if let oldest = oldestKept(watermark: watermark), start < oldest { return false }
        let position = bucketPosition(start)
        if position == buckets.count || buckets[position].start != start {
            buckets.insert(PeriodBucket(start: start, statistics: PeriodStatistics(tracksPercentiles: layout.tracksPercentiles)), at: position)
        }
        buckets[position].statistics.add(value)
        if let evidence, layout.evidencePerPeriod > 0 {
            // Keep the earliest events by (time, input, line), whatever the read order, so reordering
            // within the allowed lateness cannot change a notification. Edited in place; an event that
            // would go last into a full period (the usual case: events mostly come in time order)
            // would be dropped again at once, so the array is left alone.
            let count = buckets[position].evidence.count
            let slot = buckets[position].evidence.firstIndex { evidence.precedes($0) } ?? count
            if slot < count || count < layout.evidencePerPeriod {
                buckets[position].evidence.insert(evidence, at: slot)
                if count + 1 > layout.evidencePerPeriod { buckets[position].evidence.removeLast() }
            }
        }
        if layout.earlyWindow > 0 { addSub(value, at: time.milliseconds) }
        return true
    }

    private mutating func addSub(_ value: Double, at ms: Int64) {
        let index = floorDiv(ms, subBucketWidth)
        // A fold covers sub-buckets below its boundary: changing one of those (or inserting one
        // among them) makes it stale.
        if !windowFolds.isEmpty { windowFolds.removeAll { $0.boundary > index } }
        let low = subBucketPosition(index)
        if low == subBuckets.count || subBuckets[low].index != index {
            subBuckets.insert(SubBucket(index: index), at: low)
        }
        subBuckets[low].count += 1
        subBuckets[low].sum += value
        subBuckets[low].minimum = Swift.min(subBuckets[low].minimum, value)
        subBuckets[low].maximum = Swift.max(subBuckets[low].maximum, value)
        subBuckets[low].earliest = Swift.min(subBuckets[low].earliest, ms)
        subBuckets[low].latest = Swift.max(subBuckets[low].latest, ms)
    }

    /// The position of the first sub-bucket with an index at or above `index`.
    private func subBucketPosition(_ index: Int64) -> Int {
        var low = 0
        var high = subBuckets.count
        while low < high {
            let mid = (low + high) / 2
            if subBuckets[mid].index < index { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The statistics of the period starting at `start`.
    func statistics(at start: Timestamp) -> PeriodStatistics? {
        let position = bucketPosition(start)
        guard position < buckets.count, buckets[position].start == start else { return nil }
        return buckets[position].statistics
    }

    /// The statistics of the window `(after, through]` from sub-buckets wholly inside it.
    ///
    /// Folds the sub-buckets in array order (so sums round exactly as one pass would) but resumes
    /// from the fold kept for the same window when no sub-bucket it covers has changed since: early
    /// alarm asks the same windows again for every datapoint of the same second, and only the newest
    /// sub-bucket has changed. ``naiveSlidingStatistics(after:through:)`` is the one-pass definition.
    mutating func slidingStatistics(after: Int64, through: Int64) -> PeriodStatistics? {
        var total = Aggregate()
        var position: Int
        // Newest first: the windows of the current time were kept last.
        let cached = windowFolds.lastIndex { $0.after == after && $0.through == through }
        if let cached {
            total = windowFolds[cached].folded
            position = subBucketPosition(windowFolds[cached].boundary)
        } else {
            position = firstSubBucket(endingAfter: after)
        }
        var beforeLast = total
        var lastIndex: Int64?
        while position < subBuckets.count, subBuckets[position].earliest <= through {
            let sub = subBuckets[position]
            position += 1
            beforeLast = total
            lastIndex = sub.index
            guard sub.earliest > after, sub.latest <= through else { continue }
            total.absorb(sub)
        }
        if let lastIndex {
            let fold = WindowFold(after: after, through: through, boundary: lastIndex, folded: beforeLast)
            if let cached {
                windowFolds[cached] = fold
            } else {
                if windowFolds.count >= Self.windowFoldCapacity { windowFolds.removeFirst() }
                windowFolds.append(fold)
            }
        }
        return total.statistics
    }

    /// ``slidingStatistics(after:through:)`` in one pass, without the kept folds.
    func naiveSlidingStatistics(after: Int64, through: Int64) -> PeriodStatistics? {
        var result = PeriodStatistics()
        var position = firstSubBucket(endingAfter: after)
        while position < subBuckets.count, subBuckets[position].earliest <= through {
            let sub = subBuckets[position]
            position += 1
            guard sub.earliest > after, sub.latest <= through else { continue }
            result.absorb(count: sub.count, sum: sub.sum, minimum: sub.minimum, maximum: sub.maximum)
        }
        return result.isEmpty ? nil : result
    }

    /// The position of the first sub-bucket whose latest event is after `after`.
    private func firstSubBucket(endingAfter after: Int64) -> Int {
        // Sub-buckets are sorted by time and each covers one width of it, so their `latest` only
        // grows along the array.
        var low = 0
        var high = subBuckets.count
        while low < high {
            let mid = (low + high) / 2
            if subBuckets[mid].latest <= after { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Evidence of events with times in `(after, through]`, in period order then read order.
    func evidence(after: Int64, through: Int64) -> [EvidenceItem] {
        buckets.lazy.filter { $0.start.milliseconds + layout.periodLength > after && $0.start.milliseconds <= through }
            .flatMap { $0.evidence.filter { $0.time.milliseconds > after && $0.time.milliseconds <= through } }
    }

    /// The first period start after `time` that holds data, if any.
    func firstBucketStart(atOrAfter time: Timestamp) -> Timestamp? {
        let position = bucketPosition(time)
        return position < buckets.count ? buckets[position].start : nil
    }

    /// Drops what no future evaluation can read at watermark `w`.
    mutating func prune(watermark w: Timestamp) {
        if let oldest = oldestKept(watermark: w) {
            let position = bucketPosition(oldest)
            if position > 0 { buckets.removeFirst(position) }
        }
        let horizon = w.milliseconds - layout.earlyWindow
        let keep = subBuckets.firstIndex { $0.latest > horizon } ?? subBuckets.count
        guard keep > 0 else { return }
        // Windows early alarm can still ask start at or after the horizon, and folds never include
        // the sub-buckets dropped here; folds of older windows go with them.
        windowFolds.removeAll { $0.after < horizon }
        if keep == subBuckets.count {
            subBuckets.removeAll(keepingCapacity: true)
        } else {
            subBuckets.removeFirst(keep)
        }
    }

    /// Number of period buckets and sub-buckets held.
    var storedBuckets: (periods: Int, subBuckets: Int) { (buckets.count, subBuckets.count) }

    private func bucketPosition(_ start: Timestamp) -> Int {
        var low = 0
        var high = buckets.count
        while low < high {
            let mid = (low + high) / 2
            if buckets[mid].start < start { low = mid + 1 } else { high = mid }
        }
        return low
    }

    func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

extension PeriodStatistics {
    /// Adds aggregated values (no sketch update: sliding windows serve only count, sum, min and max).
    mutating func absorb(count: Int, sum: Double, minimum: Double, maximum: Double) {
        var other = PeriodStatistics()
        other.setAggregate(count: count, sum: sum, minimum: minimum, maximum: maximum)
        merge(other)
    }
}
