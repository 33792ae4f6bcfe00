import TriplineCore

extension MetricSeries {
    /// The series as a snapshot stores it.
    var record: SeriesRecord {
        SeriesRecord(
            metric: layout.key, period: layout.periodLength / 1000, keepPeriods: layout.keepPeriods,
            earlyWindow: layout.earlyWindow, subBucketWidth: subBucketWidth,
            buckets: buckets.map { bucket in
                let statistics = bucket.statistics
                return BucketRecord(
                    start: bucket.start, count: statistics.count, sum: statistics.sum, minimum: statistics.minimum,
                    maximum: statistics.maximum, sketch: statistics.sketch?.record,
                    evidence: bucket.evidence.isEmpty ? nil : bucket.evidence.map(\.record))
            },
            subBuckets: subBuckets.map {
                SubBucketRecord(
                    index: $0.index, count: $0.count, sum: $0.sum, minimum: $0.minimum, maximum: $0.maximum,
                    earliest: $0.earliest, latest: $0.latest)
            })
    }

    /// Rebuilds a saved series under `layout`, which a config reload may have changed.
    ///
    /// With the saved layout the series comes back exactly. Otherwise: evidence beyond
    /// `evidencePerPeriod` is dropped; sketches are dropped when no alarm asks for a percentile, and
    /// a period saved without one stays without (a percentile alarm reads it as missing rather than
    /// from a partial sketch); sub-buckets are regrouped to the new width; and what the new layout
    /// no longer keeps at `watermark` is pruned.
    init(layout: SeriesLayout, restoring record: SeriesRecord, watermark: Timestamp?) {
        self.init(layout: layout)
        buckets = record.buckets.map { saved in
            var statistics = PeriodStatistics()
            statistics.setAggregate(count: saved.count, sum: saved.sum, minimum: saved.minimum, maximum: saved.maximum)
            if layout.tracksPercentiles { statistics.sketch = saved.sketch.map(PercentileSketch.init(record:)) }
            let evidence = (saved.evidence ?? []).prefix(layout.evidencePerPeriod).map(EvidenceItem.init(record:))
            return PeriodBucket(start: saved.start, statistics: statistics, evidence: evidence)
        }
        if layout.earlyWindow > 0 { subBuckets = regrouped(record.subBuckets) }
        if let watermark, layout.keepPeriods < record.keepPeriods || layout.earlyWindow < record.earlyWindow {
            prune(watermark: watermark)
        }
    }

    /// Saved sub-buckets grouped by the width of this series: by the sub-bucket their latest event
    /// falls in. With the saved width each group is one sub-bucket, unchanged. Saved sub-buckets are
    /// disjoint and sorted, so groups are too, and a group straddling two new sub-buckets is only
    /// left out of more windows (early alarm may fire later, never on data outside its window).
    private func regrouped(_ saved: [SubBucketRecord]) -> [SubBucket] {
        var result: [SubBucket] = []
        for sub in saved {
            let index = floorDiv(sub.latest, subBucketWidth)
            if let last = result.indices.last, result[last].index == index {
                result[last].count += sub.count
                result[last].sum += sub.sum
                result[last].minimum = Swift.min(result[last].minimum, sub.minimum)
                result[last].maximum = Swift.max(result[last].maximum, sub.maximum)
                result[last].earliest = Swift.min(result[last].earliest, sub.earliest)
                result[last].latest = Swift.max(result[last].latest, sub.latest)
            } else {
                result.append(
                    SubBucket(
                        index: index, count: sub.count, sum: sub.sum, minimum: sub.minimum, maximum: sub.maximum,
                        earliest: sub.earliest, latest: sub.latest))
            }
        }
        return result
    }
}

extension PercentileSketch {
    var record: SketchRecord {
        SketchRecord(
            count: count, zeroCount: zeroCount, min: min, max: max, positive: positive.record, negative: negative.record)
    }

    init(record: SketchRecord) {
        self.init()
        count = record.count
        zeroCount = record.zeroCount
        min = record.min
        max = record.max
        positive = BucketStore(record: record.positive)
        negative = BucketStore(record: record.negative)
    }
}

extension BucketStore {
    var record: StoreRecord { StoreRecord(offset: offset, total: total, counts: counts) }

    init(record: StoreRecord) {
        self.init(counts: record.counts, offset: record.offset, total: record.total)
    }
}

extension EvidenceItem {
    var record: EvidenceRecord {
        EvidenceRecord(
            time: time, eventID: evidence.eventID, eventTime: evidence.eventTime, eventName: evidence.eventName,
            userIdentityArn: evidence.userIdentityArn, sourceIPAddress: evidence.sourceIPAddress,
            raw: CodableBytes(evidence.raw), source: source)
    }

    init(record: EvidenceRecord) {
        self.init(
            time: record.time,
            evidence: EventEvidence(
                eventID: record.eventID, eventTime: record.eventTime, eventName: record.eventName,
                userIdentityArn: record.userIdentityArn, sourceIPAddress: record.sourceIPAddress, raw: record.raw.bytes),
            source: record.source)
    }
}
