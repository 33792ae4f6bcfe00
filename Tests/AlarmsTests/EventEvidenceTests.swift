import Alarms
import Testing

/// Evidence whose fields are ranges of the raw record reads, compares and hashes like evidence
/// built from Strings.
struct EventEvidenceTests {
    static let line = Array(#"{"eventID":"e-1","eventTime":"2024-01-01T00:00:00Z","eventName":"StopLogging"}"#.utf8)

    static func range(of text: String) -> Range<Int>? {
        let needle = Array(text.utf8)
        guard let start = (0...(line.count - needle.count)).first(where: { Array(line[$0..<$0 + needle.count]) == needle })
        else { return nil }
        return start..<start + needle.count
    }

    @Test func rangesReadAsTheirText() {
        let spans = EventEvidence(
            raw: Self.line, eventID: Self.range(of: "e-1"), eventTime: Self.range(of: "2024-01-01T00:00:00Z"),
            eventName: Self.range(of: "StopLogging"), userIdentityArn: nil, sourceIPAddress: nil)
        let strings = EventEvidence(
            eventID: "e-1", eventTime: "2024-01-01T00:00:00Z", eventName: "StopLogging", raw: Self.line)
        #expect(spans.eventID == "e-1")
        #expect(spans.eventName == "StopLogging")
        #expect(spans.userIdentityArn == nil)
        #expect(spans == strings)
        #expect(spans.hashValue == strings.hashValue)
        var changed = spans
        changed.eventName = "StartLogging"
        #expect(changed.eventName == "StartLogging")
        #expect(changed != strings)
    }

    @Test func aFieldBeyondTheKeptBytesIsCopiedBeforeTheCut() {
        let padding = Array(repeating: UInt8(ascii: " "), count: EventEvidence.maxRawBytes)
        let raw = padding + Array(#""late""#.utf8)
        let start = padding.count + 1
        let evidence = EventEvidence(
            raw: raw, eventID: start..<start + 4, eventTime: nil, eventName: 0..<3, userIdentityArn: nil,
            sourceIPAddress: nil)
        #expect(evidence.raw.count == EventEvidence.maxRawBytes)
        #expect(evidence.eventID == "late")
        #expect(evidence.eventName == "   ")
    }

    @Test func aRangeOutsideTheRecordIsNoField() {
        let evidence = EventEvidence(
            raw: Self.line, eventID: 0..<(Self.line.count + 1), eventTime: nil, eventName: nil, userIdentityArn: nil,
            sourceIPAddress: nil)
        #expect(evidence.eventID == nil)
    }

    /// At the cut: a range ending exactly there stays a range of the kept bytes; one crossing it
    /// is copied whole.
    @Test func rangesAtTheCut() {
        let cut = EventEvidence.maxRawBytes
        let raw = Array(repeating: UInt8(ascii: "a"), count: cut - 2) + Array("bcde".utf8)
        let evidence = EventEvidence(
            raw: raw, eventID: (cut - 2)..<cut, eventTime: (cut - 1)..<(cut + 2), eventName: nil, userIdentityArn: nil,
            sourceIPAddress: nil)
        #expect(evidence.raw.count == cut)
        #expect(evidence.eventID == "bc")
        #expect(evidence.eventTime == "cde")
    }
}
