import Alarms
import PropertyBased
import Testing
import TriplineCore

struct StatisticsTests {
    @Test func exactStatistics() {
        var stats = PeriodStatistics()
        for value in [3.0, 1, 4, 1, 5] { stats.add(value) }
        #expect(stats.value(of: .sampleCount) == 5)
        #expect(stats.value(of: .sum) == 14)
        #expect(stats.value(of: .average) == 2.8)
        #expect(stats.value(of: .minimum) == 1)
        #expect(stats.value(of: .maximum) == 5)
        #expect(stats.value(of: .percentile(50)) == nil, "no sketch unless asked")
        #expect(PeriodStatistics().value(of: .sum) == nil, "an empty period is missing")
    }

    @Test func lowSampleRule() {
        var stats = PeriodStatistics(tracksPercentiles: true)
        for value in 0..<999 { stats.add(Double(value)) }
        #expect(stats.isLowSample(for: .percentile(99)), "p99 needs 1000 values")
        stats.add(1)
        #expect(!stats.isLowSample(for: .percentile(99)))
        #expect(stats.isLowSample(for: .percentile(0.5)), "p0.5 needs 2000")
        #expect(!stats.isLowSample(for: .sum))
    }

    @Test func lowSampleIgnoreKeepsState() {
        var alarm = sumAlarm(statistic: .percentile(99), comparison: .greaterThanThreshold)
        alarm.evaluateLowSampleCountPercentile = .ignore
        var stats = PeriodStatistics(tracksPercentiles: true)
        stats.add(100)
        let range = [alarm.evaluatedPeriod(start: time("2024-05-01T10:00:00Z"), statistics: stats)]
        var machine = AlarmStateMachine(alarm)
        #expect(machine.evaluate(range, at: time("2024-05-01T10:01:00Z")) == .none)
        alarm.evaluateLowSampleCountPercentile = .evaluate
        machine = AlarmStateMachine(alarm)
        #expect(machine.evaluate(range, at: time("2024-05-01T10:01:00Z")) != .none)
    }

    @Test func sketchIsWithinOnePercent() async {
        await propertyCheck(
            count: 300, input: Gen.double(in: -1e6...1e6).array(of: 1...400), Gen.double(in: 0...1)
        ) { values, q in
            var sketch = PercentileSketch()
            for value in values { sketch.add(value) }
            let sorted = values.sorted()
            let exact = sorted[Int((q * Double(sorted.count - 1)).rounded(.down))]
            guard let estimate = sketch.quantile(q) else {
                Issue.record("no estimate")
                return
            }
            let tolerance = Swift.max(Swift.abs(exact) * 0.01, PercentileSketch.minIndexable)
            #expect(Swift.abs(estimate - exact) <= tolerance * 1.000001, "q=\(q) exact=\(exact) estimate=\(estimate)")
        }
    }

    @Test func sketchAcrossManyMagnitudesStaysBounded() {
        var sketch = PercentileSketch()
        var value = 1e-10
        while value < 1e30 {
            sketch.add(value)
            value *= 1.01
        }
        #expect(sketch.count > 4000)
        let p99 = sketch.quantile(0.99) ?? 0
        #expect(p99 > 1e29 * 0.5)
    }

    struct NumberCase: CustomTestStringConvertible, Sendable {
        var value: Double
        var text: String
        var testDescription: String { text }
    }

    @Test(
        "numbers written as Java prints doubles",
        arguments: [
            NumberCase(value: 1, text: "1.0"), NumberCase(value: 2, text: "2.0"), NumberCase(value: 0.5, text: "0.5"),
            NumberCase(value: 1234567, text: "1234567.0"), NumberCase(value: 1e7, text: "1.0E7"),
            NumberCase(value: 12_345_678, text: "1.2345678E7"), NumberCase(value: 0.001, text: "0.001"),
            NumberCase(value: 0.00015, text: "1.5E-4"), NumberCase(value: -3.25, text: "-3.25"),
            NumberCase(value: 0, text: "0.0"), NumberCase(value: 1e21, text: "1.0E21"),
        ])
    func javaNumbers(_ testCase: NumberCase) {
        #expect(CloudWatchText.number(testCase.value) == testCase.text)
    }

    @Test func dates() {
        #expect(CloudWatchText.shortDate(time("2025-03-04T09:15:00Z")) == "04/03/25 09:15:00")
        #expect(CloudWatchText.longDate(time("2022-07-22T15:57:45Z")) == "Friday 22 July, 2022 15:57:45 UTC")
    }

    @Test func idempotencyKeyIsStableAndDistinct() {
        let a = IdempotencyKey.make(alarmArn: "arn:x", stateChangeTime: "2024-05-01T10:00:00.000+0000", newState: "ALARM")
        #expect(a == IdempotencyKey.make(alarmArn: "arn:x", stateChangeTime: "2024-05-01T10:00:00.000+0000", newState: "ALARM"))
        #expect(a.count == 32)
        #expect(a != IdempotencyKey.make(alarmArn: "arn:x", stateChangeTime: "2024-05-01T10:00:00.000+0000", newState: "OK"))
    }
}
