public import TriplineCore

/// What one period of one metric series holds: enough for every statistic an alarm may ask for.
///
/// Count, sum, minimum and maximum are exact. A ``PercentileSketch`` is kept only when an alarm on
/// the series needs a percentile, so series for the common `Sum`/`SampleCount` alarms stay at four
/// numbers per period.
public struct PeriodStatistics: Sendable, Hashable {
    /// `SampleCount`.
    public private(set) var count: Int = 0
    /// `Sum`.
    public private(set) var sum: Double = 0
    /// `Minimum`.
    public private(set) var minimum = Double.infinity
    /// `Maximum`.
    public private(set) var maximum = -Double.infinity
    // Settable in the module for restoring snapshots (MetricSeries+Snapshot.swift).
    /// The quantile sketch, when percentiles are tracked.
    public internal(set) var sketch: PercentileSketch?

    /// Creates empty statistics; `tracksPercentiles` adds a sketch.
    public init(tracksPercentiles: Bool = false) {
        sketch = tracksPercentiles ? PercentileSketch() : nil
    }

    /// Whether no value was added.
    public var isEmpty: Bool { count == 0 }

    /// Adds one raw value.
    public mutating func add(_ value: Double) {
        count += 1
        sum += value
        minimum = Swift.min(minimum, value)
        maximum = Swift.max(maximum, value)
        sketch?.add(value)
    }

    /// Merges another period's statistics (used for early alarm's sliding windows).
    public mutating func merge(_ other: PeriodStatistics) {
        count += other.count
        sum += other.sum
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
        if let otherSketch = other.sketch { sketch?.merge(otherSketch) }
    }

    /// Sets count, sum, min and max directly (sub-bucket aggregates).
    mutating func setAggregate(count: Int, sum: Double, minimum: Double, maximum: Double) {
        self.count = count
        self.sum = sum
        self.minimum = minimum
        self.maximum = maximum
    }

    /// The statistic's value, or nil when the period is empty (a missing datapoint) or a percentile
    /// is asked of statistics without a sketch.
    public func value(of statistic: Statistic) -> Double? {
        guard count > 0 else { return nil }
        switch statistic {
        case .sampleCount: return Double(count)
        case .sum: return sum
        case .average: return sum / Double(count)
        case .minimum: return minimum
        case .maximum: return maximum
        case .percentile(let p): return sketch?.quantile(p / 100)
        }
    }

    /// Whether a percentile has too few samples here to be meaningful (§3): for `q` in [0.5, 1)
    /// fewer than `10 / (1 − q)` values, for `q` in (0, 0.5) fewer than `10 / q`. Other statistics,
    /// p0 and p100 never are.
    public func isLowSample(for statistic: Statistic) -> Bool {
        guard case .percentile(let p) = statistic else { return false }
        let q = p / 100
        if q >= 0.5, q < 1 { return Double(count) < 10 / (1 - q) }
        if q > 0, q < 0.5 { return Double(count) < 10 / q }
        return false
    }
}
