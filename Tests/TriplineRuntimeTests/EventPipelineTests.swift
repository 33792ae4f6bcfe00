import Alarms
import MetricFilters
import Testing
import TriplineCore
import TriplineRuntime

/// One event through the pipeline: its time (cached across events), its datapoints and the
/// evidence a notification would quote.
struct EventPipelineTests {
    static func pipeline() throws -> EventPipeline {
        let stop = try MetricFilter(
            filterName: "stop", filterPattern: #"{ $.eventName = "StopLogging" }"#,
            transformations: [
                MetricTransformation(
                    metricName: "TrailStopped", metricNamespace: "Trail", metricValue: "1", unit: .count)
            ])
        let perUser = try MetricFilter(
            filterName: "per-user", filterPattern: #"{ $.eventName = "StopLogging" }"#,
            transformations: [
                MetricTransformation(
                    metricName: "ByUser", metricNamespace: "Trail", metricValue: "1",
                    dimensions: [(name: "Arn", value: "$.userIdentity.arn")])
            ])
        let quiet = try MetricFilter(
            filterName: "quiet", filterPattern: #"{ $.eventName = "Nothing" }"#,
            transformations: [
                MetricTransformation(metricName: "Quiet", metricNamespace: "Trail", metricValue: "1", defaultValue: 0)
            ])
        return EventPipeline(filterSet: FilterSet([stop, perUser, quiet]))
    }

    static func event(time: String = "2024-01-01T00:00:00Z", name: String = "StopLogging", extra: String = "") -> [UInt8] {
        Array(
            #"{"eventTime":"\#(time)","eventName":"\#(name)","eventID":"id-1","sourceIPAddress":"192.0.2.1","userIdentity":{"arn":"arn:aws:iam::1:user/a"}\#(extra)}"#
                .utf8)
    }

    static func time(_ pipeline: inout EventPipeline, _ line: [UInt8]) -> Timestamp? {
        line.withUnsafeBytes { pipeline.eventTime(of: $0) }
    }

    @Test func theTimeIsParsedAgainOnlyWhenItsTextChanges() throws {
        var pipeline = try Self.pipeline()
        let first = try #require(Timestamp(iso8601: "2024-01-01T00:00:00Z"))
        let second = try #require(Timestamp(iso8601: "2024-01-01T00:00:01Z"))
        #expect(Self.time(&pipeline, Self.event()) == first)
        #expect(Self.time(&pipeline, Self.event()) == first)
        #expect(Self.time(&pipeline, Self.event(time: "2024-01-01T00:00:01Z")) == second)
        #expect(Self.time(&pipeline, Self.event(time: "not a time")) == nil)
        #expect(Self.time(&pipeline, Self.event(time: "not a time")) == nil)
        #expect(Self.time(&pipeline, Self.event()) == first)
        // Collector output: `@timestamp` when there is no `eventTime`.
        let collected = Array(#"{"@timestamp":"2024-01-01T00:00:01Z","eventName":"X"}"#.utf8)
        #expect(Self.time(&pipeline, collected) == second)
        #expect(Self.time(&pipeline, Array(#"{"eventName":"X"}"#.utf8)) == nil)
    }

    @Test func datapointsCarryTheKeyUnitAndSource() throws {
        var pipeline = try Self.pipeline()
        let source = EventReference(input: "in.ndjson", line: 7, offset: 100)
        let time = try #require(Timestamp(iso8601: "2024-01-01T00:00:00Z"))
        let (datapoints, evidence) = Self.event().withUnsafeBytes { pipeline.process($0, time: time, source: source) }
        #expect(datapoints.count == 3)
        let plain = try #require(datapoints.first { $0.key.metricName == "TrailStopped" })
        #expect(plain.key == MetricKey(namespace: "Trail", metricName: "TrailStopped"))
        #expect(plain.unit == .count && plain.value == 1 && plain.timestamp == time && plain.source == source)
        let byUser = try #require(datapoints.first { $0.key.metricName == "ByUser" })
        #expect(byUser.key.dimensions == [Dimension(name: "Arn", value: "arn:aws:iam::1:user/a")])
        let quiet = try #require(datapoints.first { $0.key.metricName == "Quiet" })
        #expect(quiet.key == MetricKey(namespace: "Trail", metricName: "Quiet") && quiet.value == 0 && quiet.source == nil)
        let fields = try #require(evidence)
        #expect(fields.eventID == "id-1" && fields.eventName == "StopLogging" && fields.eventTime == "2024-01-01T00:00:00Z")
        #expect(fields.userIdentityArn == "arn:aws:iam::1:user/a" && fields.sourceIPAddress == "192.0.2.1")
        #expect(fields.raw == Self.event())
    }

    @Test func aFieldWithAnEscapeIsDecoded() throws {
        var pipeline = try Self.pipeline()
        let line = Array(
            #"{"eventTime":"2024-01-01T00:00:00Z","eventName":"Stop\u004cogging","eventID":"a\"b","userIdentity":{"arn":"x"}}"#.utf8)
        let time = try #require(Timestamp(iso8601: "2024-01-01T00:00:00Z"))
        let (_, evidence) = line.withUnsafeBytes {
            pipeline.process($0, time: time, source: EventReference(input: "-", line: 1, offset: 0))
        }
        let fields = try #require(evidence)
        #expect(fields.eventName == "StopLogging")
        #expect(fields.eventID == #"a"b"#)
        #expect(fields.userIdentityArn == "x")
        #expect(fields.sourceIPAddress == nil)
    }

    @Test func aLongRecordIsCutButItsFieldsAreKept() throws {
        var pipeline = try Self.pipeline()
        let padding = #","pad":""# + String(repeating: "x", count: EventEvidence.maxRawBytes) + #"""#
        // The fields come after the cut: they are copied before the record is cut.
        let line = Array(
            (#"{"eventTime":"2024-01-01T00:00:00Z""# + padding + #","eventName":"StopLogging","eventID":"late-id"}"#).utf8)
        let time = try #require(Timestamp(iso8601: "2024-01-01T00:00:00Z"))
        let (_, evidence) = line.withUnsafeBytes {
            pipeline.process($0, time: time, source: EventReference(input: "-", line: 1, offset: 0))
        }
        let fields = try #require(evidence)
        #expect(fields.raw.count == EventEvidence.maxRawBytes)
        #expect(fields.eventID == "late-id")
        #expect(fields.eventName == "StopLogging")
        #expect(fields.eventTime == "2024-01-01T00:00:00Z")
    }
}
