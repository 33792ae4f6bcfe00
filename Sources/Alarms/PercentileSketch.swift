/// A log-bucket quantile sketch (DDSketch) with 1 % relative accuracy and bounded memory.
///
/// A positive value `x` falls in bucket `⌈log_γ x⌉` with `γ = (1 + α) / (1 − α)`, `α = 0.01`; every
/// value in a bucket is within `α` of the bucket's representative `2γⁱ / (γ + 1)`, so a quantile read
/// from the sketch is within 1 % of the exact value at the same rank. Negative values go to a mirror
/// store, and values closer to zero than ``minIndexable`` count as zero.
///
/// Memory is bounded: each store holds at most ``maxBuckets`` contiguous buckets. When a value would
/// widen a store beyond that, the lowest buckets are merged (DDSketch's collapsing), so only
/// quantiles among the smallest magnitudes lose accuracy — with 2 048 buckets that needs values
/// spanning more than 17 orders of magnitude in one period.
///
/// - Complexity: ``add(_:)`` is O(1) amortised; ``quantile(_:)`` is O(buckets).
public struct PercentileSketch: Sendable, Hashable {
    /// The relative accuracy guaranteed for quantiles.
    public static let relativeAccuracy = 0.01
    /// The most buckets one sign's store holds.
    public static let maxBuckets = 2048
    /// Magnitudes below this are counted as zero.
    public static let minIndexable = 1e-12

    static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
    static let logGamma = ElementaryMath.log(gamma)

    // Internal (not private) so snapshots can save and restore a sketch exactly.
    var positive = BucketStore()
    var negative = BucketStore()
    var zeroCount: UInt64 = 0
    /// Number of values added.
    public internal(set) var count: UInt64 = 0
    /// The smallest value added (`+infinity` when empty).
    public internal(set) var min = Double.infinity
    /// The largest value added (`-infinity` when empty).
    public internal(set) var max = -Double.infinity

    /// Creates an empty sketch.
    public init() {}

    /// Adds one value; NaN is ignored.
    public mutating func add(_ value: Double) {
        guard !value.isNaN else { return }
        count += 1
        min = Swift.min(min, value)
        max = Swift.max(max, value)
        // ±infinity (a value like 1e999 read from an event) counts in the outermost finite bucket.
        let finite = Swift.min(Swift.max(value, -Double.greatestFiniteMagnitude), Double.greatestFiniteMagnitude)
        if finite > Self.minIndexable {
            positive.add(index: Self.index(of: finite))
        } else if finite < -Self.minIndexable {
            negative.add(index: Self.index(of: -finite))
        } else {
            zeroCount += 1
        }
    }

    /// Merges another sketch into this one.
    public mutating func merge(_ other: PercentileSketch) {
        count += other.count
        zeroCount += other.zeroCount
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        positive.merge(other.positive)
        negative.merge(other.negative)
    }

    /// The value at rank `⌊q · (count − 1)⌋` of the sorted values, within 1 %; nil when empty.
    /// - Parameter q: the quantile, 0 ... 1 (p99 is 0.99).
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let clamped = Swift.min(Swift.max(q, 0), 1)
        let rank = UInt64((clamped * Double(count - 1)).rounded(.down))
        var estimate: Double
        if rank < negative.total {
            // Negative values, most negative first: walk the mirror store from the top.
            let index = negative.index(atRankFromTop: rank)
            estimate = -Self.value(of: index)
        } else if rank < negative.total + zeroCount {
            estimate = 0
        } else {
            let index = positive.index(atRank: rank - negative.total - zeroCount)
            estimate = Self.value(of: index)
        }
        estimate = Swift.min(Swift.max(estimate, min), max)
        return estimate
    }

    static func index(of magnitude: Double) -> Int {
        Int((ElementaryMath.log(magnitude) / logGamma).rounded(.up))
    }

    static func value(of index: Int) -> Double {
        2 * ElementaryMath.exp(Double(index) * logGamma) / (gamma + 1)
    }
}

/// Contiguous bucket counts from `offset` on, at most ``PercentileSketch/maxBuckets`` long.
struct BucketStore: Sendable, Hashable {
    var counts: [UInt64] = []
    var offset = 0
    var total: UInt64 = 0

    mutating func add(index: Int, count: UInt64 = 1) {
        total += count
        if counts.isEmpty {
            counts = [count]
            offset = index
            return
        }
        var index = index
        if index < offset {
            // Keep the highest buckets: extend down as far as the cap allows, collapse the rest.
            let lowest = Swift.max(index, offset + counts.count - PercentileSketch.maxBuckets)
            if lowest < offset {
                counts.insert(contentsOf: repeatElement(0, count: offset - lowest), at: 0)
                offset = lowest
            }
            index = Swift.max(index, offset)
        } else if index >= offset + counts.count {
            if index - offset + 1 > PercentileSketch.maxBuckets {
                collapse(below: index - PercentileSketch.maxBuckets + 1)
            }
            counts.append(contentsOf: repeatElement(0, count: index - offset + 1 - counts.count))
        }
        counts[index - offset] += count
    }

    /// Merges buckets below `newOffset` into the bucket at `newOffset`.
    private mutating func collapse(below newOffset: Int) {
        let drop = Swift.min(newOffset - offset, counts.count)
        let merged = counts[0..<drop].reduce(0, +)
        counts.removeFirst(drop)
        offset += drop
        if counts.isEmpty {
            counts = [0]
            offset = newOffset
        }
        counts[0] += merged
    }

    mutating func merge(_ other: BucketStore) {
        for (position, value) in other.counts.enumerated() where value > 0 {
            add(index: other.offset + position, count: value)
        }
    }

    func index(atRank rank: UInt64) -> Int {
        var seen: UInt64 = 0
        for (position, value) in counts.enumerated() {
            seen += value
            if seen > rank { return offset + position }
        }
        return offset + counts.count - 1
    }

    func index(atRankFromTop rank: UInt64) -> Int {
        var seen: UInt64 = 0
        for position in counts.indices.reversed() {
            seen += counts[position]
            if seen > rank { return offset + position }
        }
        return offset
    }
}
