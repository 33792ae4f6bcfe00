import Alarms
import Testing
import TriplineCore

struct SeriesCapTests {
    @Test func seriesBeyondTheCapAreCountedNotCrashing() throws {
        let other = MetricKey(namespace: "CISBenchmark", metricName: "other")
        var second = sumAlarm(name: "other")
        second.metric = other
        var engine = try AlarmEngine(metricAlarms: [sumAlarm(), second], configuration: .init(maxSeries: 1))
        let moment = time("2024-05-01T10:00:10Z")
        _ = engine.ingest(eventTime: moment, datapoints: [datapoint(at: moment), datapoint(at: moment, key: other)])
        _ = engine.ingest(eventTime: moment, datapoints: [datapoint(at: moment, key: other)])
        #expect(engine.counters.seriesOverflowDatapoints == 2)
        #expect(engine.counters.seriesRejected == 1)
        #expect(engine.storage.series == 1)
        _ = engine.ingest(eventTime: moment, datapoints: [datapoint(at: moment, key: MetricKey(namespace: "x", metricName: "y"))])
        #expect(engine.counters.datapointsUnwatched == 1)
    }

    @Test func memoryStaysBoundedOverALongStream() throws {
        var engine = try AlarmEngine(metricAlarms: [sumAlarm(period: 60, n: 3, threshold: 1000)])
        var moment = time("2024-05-01T00:00:00Z")
        for _ in 0..<20_000 {
            moment = moment.adding(seconds: 7)
            _ = engine.ingest(eventTime: moment, datapoints: [datapoint(at: moment)])
        }
        let storage = engine.storage
        // R = 5 periods plus the 300 s lateness: a handful of periods; sub-buckets cover 5 min + lateness.
        #expect(storage.periods <= 12)
        #expect(storage.subBuckets <= 700)
    }
}
