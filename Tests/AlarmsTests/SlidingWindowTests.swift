@testable import Alarms
import PropertyBased
import Testing
import TriplineCore
import TriplineTestSupport

/// Early alarm's sliding windows resume from folds kept between queries; whatever the order of adds,
/// prunes and queries, they must equal a one-pass recomputation bit for bit. Period evidence is edited
/// in place and must keep what the copy-insert-trim did.
struct SlidingWindowTests {
    @Test func keptFoldsEqualOnePassRecomputation() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var random = SplitMix64(seed: seed)
            func below(_ limit: Int64) -> Int64 { Int64(random.next() % UInt64(limit)) }
            let period: Int64 = [10, 60, 300][Int(below(3))]
            let r = 1 + below(4)
            // Wide windows make sub-buckets wider than a second, so they can straddle windows.
            let wide = below(4) == 0
            let layout = SeriesLayout(
                key: MetricKey(namespace: "n", metricName: "m"), periodLength: period * 1000, keepPeriods: Int(r),
                tracksPercentiles: false, earlyWindow: (wide ? 5000 : r) * period * 1000, evidencePerPeriod: 0)
            var series = MetricSeries(layout: layout)
            // Sums that depend on the order of addition, negative values and a NaN now and then.
            let values: [Double] = [1, 0.1, -3.7, 1e16, 2.5e-8, 7, -0.0, .nan]
            let start: Int64 = 1_700_000_000_000
            var now = start
            var watermark: Timestamp?
            var asked: [Int64] = []
            for step in 0..<400 {
                switch below(10) {
                case 0..<5:
                    // Mostly at the newest time (whole or fractional seconds), sometimes late.
                    if below(3) == 0 { now += below(3) * 1000 + (below(4) == 0 ? below(1000) : 0) }
                    let time = below(5) == 0 ? now - below(r * period * 1000) : now
                    let value = values[Int(below(Int64(values.count - (below(20) == 0 ? 0 : 1))))]
                    _ = series.add(value, at: Timestamp(milliseconds: time), evidence: nil, watermark: watermark)
                case 5:
                    let candidate = Timestamp(milliseconds: now - below(400) * 1000)
                    if watermark.map({ candidate > $0 }) ?? true {
                        watermark = candidate
                        series.prune(watermark: candidate)
                    }
                default:
                    // The windows early alarm asks at `now`, and now and then any other window.
                    let length = period * 1000
                    let tau = below(8) == 0 ? start + below(now - start + 1) : now
                    var after = tau - (1 + below(r)) * length
                    // Again a window asked before, maybe since pruned past.
                    if !asked.isEmpty, below(3) == 0 { after = asked[Int(below(Int64(asked.count)))] }
                    asked.append(after)
                    let expected = series.naiveSlidingStatistics(after: after, through: after + length)
                    let actual = series.slidingStatistics(after: after, through: after + length)
                    if !same(actual, expected) {
                        Issue.record(
                            """
                            seed \(seed), step \(step): window (\(after), \(after + length)] gave \
                            \(String(describing: actual)), expected \(String(describing: expected))
                            """)
                        return
                    }
                }
            }
        }
    }

    /// Evidence is kept in place now; it must be what copying, inserting and trimming kept before.
    @Test func keptEvidenceMatchesInsertAndTrim() async {
        await propertyCheck(count: 60, input: Gen.uint64()) { seed in
            var random = SplitMix64(seed: seed)
            func below(_ limit: Int) -> Int { Int(random.next() % UInt64(limit)) }
            let cap = [1, 2, 5][below(3)]
            let layout = SeriesLayout(
                key: MetricKey(namespace: "n", metricName: "m"), periodLength: 60_000, keepPeriods: 3,
                tracksPercentiles: false, earlyWindow: 0, evidencePerPeriod: cap)
            var series = MetricSeries(layout: layout)
            var expected: [Int64: [EvidenceItem]] = [:]
            for line in 0..<(1 + below(60)) {
                // Few distinct times and sources, so ties and out-of-order arrivals are common.
                let time = Timestamp(milliseconds: 1_700_000_000_000 + Int64(below(150)) * 1000)
                let source = below(4) == 0 ? nil : EventReference(input: ["a", "b"][below(2)], line: below(5), offset: 0)
                let item = EvidenceItem(time: time, evidence: EventEvidence(eventID: "e\(line)"), source: source)
                _ = series.add(1, at: time, evidence: item, watermark: nil)
                let start = time.floor(toPeriod: 60).milliseconds
                var kept = expected[start, default: []]
                let slot = kept.firstIndex { item.precedes($0) } ?? kept.count
                kept.insert(item, at: slot)
                if kept.count > cap { kept.removeLast() }
                expected[start] = kept
            }
            for bucket in series.buckets where bucket.evidence != expected[bucket.start.milliseconds] {
                Issue.record("seed \(seed): period \(bucket.start) kept other evidence")
            }
        }
    }

    private func same(_ a: PeriodStatistics?, _ b: PeriodStatistics?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        func bits(_ x: Double) -> UInt64 { x.isNaN ? Double.nan.bitPattern : x.bitPattern }
        return a.count == b.count && bits(a.sum) == bits(b.sum) && bits(a.minimum) == bits(b.minimum)
            && bits(a.maximum) == bits(b.maximum) && a.sketch == nil && b.sketch == nil
    }
}
