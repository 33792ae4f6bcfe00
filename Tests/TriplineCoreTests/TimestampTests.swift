import Testing
import TriplineCore

/// CloudTrail `eventTime` parsing and CloudWatch's time formats.
struct TimestampTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var milliseconds: Int64?
        var testDescription: String { text }
    }

    static let cases: [Case] = [
        Case(text: "1970-01-01T00:00:00Z", milliseconds: 0),
        Case(text: "2024-01-01T00:05:00Z", milliseconds: 1_704_067_500_000),
        Case(text: "2024-01-01T00:05:00.5Z", milliseconds: 1_704_067_500_500),
        Case(text: "2024-01-01T00:05:00.123456789Z", milliseconds: 1_704_067_500_123),
        Case(text: "2024-01-01T01:05:00+01:00", milliseconds: 1_704_067_500_000),
        Case(text: "2024-01-01T00:05:00.000+0000", milliseconds: 1_704_067_500_000),
        Case(text: "2024-02-29T12:00:00Z", milliseconds: 1_709_208_000_000),
        Case(text: "1969-12-31T23:59:59Z", milliseconds: -1_000),
        Case(text: "2024-13-01T00:00:00Z", milliseconds: nil),
        Case(text: "2024-01-01", milliseconds: nil),
        Case(text: "2024-01-01T00:00:00.Z", milliseconds: nil),
        Case(text: "2024-01-01T00:00:00Zjunk", milliseconds: nil),
        Case(text: "", milliseconds: nil),
        Case(text: "not a time", milliseconds: nil),
    ]

    @Test(arguments: cases)
    func parses(_ testCase: Case) {
        #expect(Timestamp(iso8601: testCase.text)?.milliseconds == testCase.milliseconds)
    }

    @Test func formatsAsCloudWatchDoes() {
        let time = Timestamp(milliseconds: 1_704_067_500_123)
        #expect(time.iso8601 == "2024-01-01T00:05:00.123+0000")
        #expect(time.iso8601Z == "2024-01-01T00:05:00.123Z")
        #expect(Timestamp(milliseconds: -1_000).iso8601Z == "1969-12-31T23:59:59.000Z")
    }

    @Test func roundTripsAcrossCenturies() {
        var milliseconds: Int64 = -2_208_988_800_000  // 1900
        while milliseconds < 4_102_444_800_000 {  // 2100
            let time = Timestamp(milliseconds: milliseconds)
            #expect(Timestamp(iso8601: time.iso8601Z) == time)
            milliseconds += 86_400_000 * 37 + 3_723_456
        }
    }

    @Test func floorsToPeriods() {
        #expect(Timestamp(milliseconds: 299_999).floor(toPeriod: 300) == Timestamp(milliseconds: 0))
        #expect(Timestamp(milliseconds: 300_000).floor(toPeriod: 300) == Timestamp(milliseconds: 300_000))
        #expect(Timestamp(milliseconds: -1).floor(toPeriod: 60) == Timestamp(milliseconds: -60_000))
    }
}
