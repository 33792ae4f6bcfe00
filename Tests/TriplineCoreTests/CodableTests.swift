import Foundation
import Testing
import TriplineCore

/// The vocabulary's JSON forms (used by alarm engine snapshots): stable and exact.
struct CodableTests {
    func roundTrip<T: Codable>(_ value: T) throws -> (T, String) {
        let data = try JSONEncoder().encode(value)
        return (try JSONDecoder().decode(T.self, from: data), String(decoding: data, as: UTF8.self))
    }

    @Test func timestampIsMilliseconds() throws {
        let (value, json) = try roundTrip([Timestamp(milliseconds: -1_500), Timestamp(milliseconds: 1_714_557_600_123)])
        #expect(json == "[-1500,1714557600123]")
        #expect(value == [Timestamp(milliseconds: -1_500), Timestamp(milliseconds: 1_714_557_600_123)])
    }

    @Test func metricKeyDecodesWithSortedDimensions() throws {
        let key = MetricKey(namespace: "N", metricName: "m", dimensions: [Dimension(name: "b", value: "2"), Dimension(name: "a", value: "1")])
        #expect(try roundTrip(key).0 == key)
        let unsorted = #"{"namespace":"N","metricName":"m","dimensions":[{"name":"b","value":"2"},{"name":"a","value":"1"}]}"#
        #expect(try JSONDecoder().decode(MetricKey.self, from: Data(unsorted.utf8)) == key)
    }

    @Test(arguments: [
        Statistic.sum, .sampleCount, .average, .minimum, .maximum, .percentile(99), .percentile(99.9), .percentile(0.00001),
        .percentile(100),
    ])
    func statisticRoundTripsExactly(_ statistic: Statistic) throws {
        #expect(try roundTrip(statistic).0 == statistic)
    }

    @Test func statisticText() throws {
        #expect(try roundTrip([Statistic.sum, .percentile(99.9)]).1 == #"["Sum","p99.9"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Statistic.self, from: Data(#""Median""#.utf8)) }
    }

    @Test func alarmRuleRoundTripsAsATree() throws {
        // Names the rule language cannot quote still round-trip.
        let odd = AlarmRule.state(.ok, alarm: #"b "quoted" (x) AND y"#)
        let rule = AlarmRule.or([
            .and([.state(.alarm, alarm: "a"), .not(.or([odd, .state(.insufficientData, alarm: "c")]))]), .constant(true),
        ])
        let (value, json) = try roundTrip(rule)
        #expect(value == rule)
        #expect(json.contains(#"{"alarm":"a","state":"ALARM"}"#) || json.contains(#"{"state":"ALARM","alarm":"a"}"#))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(AlarmRule.self, from: Data("{}".utf8)) }
    }

    @Test func notificationKeepsItsBytes() throws {
        let valid = AlarmNotification(
            idempotencyKey: "k", alarmName: "a", oldState: .ok, newState: .alarm, stateChangeTime: Timestamp(seconds: 60),
            destinations: ["pager"], message: Array(#"{"AlarmName":"a","é":"\u0000"}"#.utf8))
        let (decoded, json) = try roundTrip(valid)
        #expect(decoded == valid)
        #expect(json.contains(#""message":"{\"AlarmName\""#))
        var invalid = valid
        invalid.message = [0x7B, 0xFF, 0x00, 0xC3]
        #expect(try roundTrip(invalid).0 == invalid)
    }

    @Test func eventReferenceAndEnums() throws {
        let reference = EventReference(input: "-", line: 3, offset: 120, eventID: "e")
        #expect(try roundTrip(reference).0 == reference)
        #expect(try roundTrip(EventReference(input: "x", line: 1, offset: 0)).1.contains("eventID") == false)
        #expect(try roundTrip([ComparisonOperator.greaterThanThreshold]).1 == #"["GreaterThanThreshold"]"#)
        #expect(try roundTrip([TreatMissingData.notBreaching]).1 == #"["notBreaching"]"#)
        #expect(try roundTrip([StandardUnit.bytesPerSecond]).1 == #"["Bytes\/Second"]"#)
    }
}
