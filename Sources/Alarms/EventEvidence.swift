import TriplineCore

/// A matching event as a notification shows it (spec §12.9): the fields a responder looks at first
/// and the raw record.
///
/// The caller fills the fields from its event view (the `Alarms` target does not parse JSON); any
/// may be nil. The raw record is copied into the notification as a JSON string.
public struct EventEvidence: Sendable, Hashable {
    /// CloudTrail `eventID`.
    public var eventID: String?
    /// CloudTrail `eventTime`, as written in the record.
    public var eventTime: String?
    /// CloudTrail `eventName`.
    public var eventName: String?
    /// CloudTrail `userIdentity.arn`.
    public var userIdentityArn: String?
    /// CloudTrail `sourceIPAddress`.
    public var sourceIPAddress: String?
    /// The raw record (one line), at most ``maxRawBytes`` kept.
    public var raw: [UInt8]

    /// The most bytes of a raw record a notification carries; longer records are cut there.
    public static let maxRawBytes = 16_384

    /// Creates evidence; `raw` is cut to ``maxRawBytes``.
    public init(
        eventID: String? = nil, eventTime: String? = nil, eventName: String? = nil, userIdentityArn: String? = nil,
        sourceIPAddress: String? = nil, raw: [UInt8] = []
    ) {
        self.eventID = eventID
        self.eventTime = eventTime
        self.eventName = eventName
        self.userIdentityArn = userIdentityArn
        self.sourceIPAddress = sourceIPAddress
        self.raw = raw.count > Self.maxRawBytes ? Array(raw.prefix(Self.maxRawBytes)) : raw
    }
}

/// Evidence kept in a period bucket: the event, its time and where it was read.
struct EvidenceItem: Sendable, Hashable {
    var time: Timestamp
    var evidence: EventEvidence
    var source: EventReference?
}

extension EvidenceItem {
    /// Orders evidence by event time, then input, line and offset.
    func precedes(_ other: EvidenceItem) -> Bool {
        if time != other.time { return time < other.time }
        let mine = (source?.input ?? "", source?.line ?? 0, source?.offset ?? 0)
        let theirs = (other.source?.input ?? "", other.source?.line ?? 0, other.source?.offset ?? 0)
        return mine < theirs
    }
}
