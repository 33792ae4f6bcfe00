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

    let layout: SeriesLayout
    let subBucketWidth: Int64
    // Settable in the module for restoring snapshots (MetricSeries+Snapshot.swift).
    var buckets: [PeriodBucket] = []
    var subBuckets: [SubBucket] = []

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
            // within the allowed lateness cannot change a notification.
            var kept = buckets[position].evidence
            let slot = kept.firstIndex { evidence.precedes($0) } ?? kept.count
            kept.insert(evidence, at: slot)
            if kept.count > layout.evidencePerPeriod { kept.removeLast() }
            buckets[position].evidence = kept
        }
        if layout.earlyWindow > 0 { addSub(value, at: time.milliseconds) }
        return true
    }

    private mutating func addSub(_ value: Double, at ms: Int64) {
        let index = floorDiv(ms, subBucketWidth)
        var low = 0
        var high = subBuckets.count
        while low < high {
            let mid = (low + high) / 2
            if subBuckets[mid].index < index { low = mid + 1 } else { high = mid }
        }
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

    /// The statistics of the period starting at `start`.
    func statistics(at start: Timestamp) -> PeriodStatistics? {
        let position = bucketPosition(start)
        guard position < buckets.count, buckets[position].start == start else { return nil }
        return buckets[position].statistics
    }

    /// The statistics of the window `(after, through]` from sub-buckets wholly inside it.
    func slidingStatistics(after: Int64, through: Int64) -> PeriodStatistics? {
        var result = PeriodStatistics()
        // Sub-buckets are sorted by time and each covers one width of it, so their `latest` only
        // grows along the array: start at the first that ends after `after`, stop past `through`.
        var low = 0
        var high = subBuckets.count
        while low < high {
            let mid = (low + high) / 2
            if subBuckets[mid].latest <= after { low = mid + 1 } else { high = mid }
        }
        var position = low
        while position < subBuckets.count, subBuckets[position].earliest <= through {
            let sub = subBuckets[position]
            position += 1
            guard sub.earliest > after, sub.latest <= through else { continue }
            result.absorb(count: sub.count, sum: sub.sum, minimum: sub.minimum, maximum: sub.maximum)
        }
        return result.isEmpty ? nil : result
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
        if let keep = subBuckets.firstIndex(where: { $0.latest > horizon }) {
            if keep > 0 { subBuckets.removeFirst(keep) }
        } else {
            subBuckets.removeAll(keepingCapacity: true)
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
