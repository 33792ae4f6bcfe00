import TriplineCore

/// A matching event as a notification shows it (spec §12.9): the fields a responder looks at first
/// and the raw record.
///
/// The caller fills the fields from its event view (the `Alarms` target does not parse JSON); any
/// may be nil. The raw record is copied into the notification as a JSON string.
public struct EventEvidence: Sendable, Hashable {
    /// CloudTrail `eventID`.
    public var eventID: String? {
        get { eventIDText.string(in: raw) }
        set { eventIDText = FieldText(newValue) }
    }
    /// CloudTrail `eventTime`, as written in the record.
    public var eventTime: String? {
        get { eventTimeText.string(in: raw) }
        set { eventTimeText = FieldText(newValue) }
    }
    /// CloudTrail `eventName`.
    public var eventName: String? {
        get { eventNameText.string(in: raw) }
        set { eventNameText = FieldText(newValue) }
    }
    /// CloudTrail `userIdentity.arn`.
    public var userIdentityArn: String? {
        get { userIdentityArnText.string(in: raw) }
        set { userIdentityArnText = FieldText(newValue) }
    }
    /// CloudTrail `sourceIPAddress`.
    public var sourceIPAddress: String? {
        get { sourceIPAddressText.string(in: raw) }
        set { sourceIPAddressText = FieldText(newValue) }
    }
    /// The raw record (one line), at most ``maxRawBytes`` kept.
    public private(set) var raw: [UInt8]

    // Most evidence is never shown (a period keeps only its first few events), so a field is
    // kept as where its text lies in `raw` and becomes a String only when read.
    private var eventIDText: FieldText
    private var eventTimeText: FieldText
    private var eventNameText: FieldText
    private var userIdentityArnText: FieldText
    private var sourceIPAddressText: FieldText

    /// The most bytes of a raw record a notification carries; longer records are cut there.
    public static let maxRawBytes = 16_384

    /// Creates evidence; `raw` is cut to ``maxRawBytes``.
    public init(
        eventID: String? = nil, eventTime: String? = nil, eventName: String? = nil, userIdentityArn: String? = nil,
        sourceIPAddress: String? = nil, raw: [UInt8] = []
    ) {
        self.eventIDText = FieldText(eventID)
        self.eventTimeText = FieldText(eventTime)
        self.eventNameText = FieldText(eventName)
        self.userIdentityArnText = FieldText(userIdentityArn)
        self.sourceIPAddressText = FieldText(sourceIPAddress)
        self.raw = raw.count > Self.maxRawBytes ? Array(raw.prefix(Self.maxRawBytes)) : raw
    }

    /// Creates evidence whose fields are byte ranges of `raw`, each the text of a JSON string
    /// without escapes (so the bytes are the value); `raw` is cut to ``maxRawBytes``, and a field
    /// beyond the cut is copied first.
    public init(
        raw: [UInt8], eventID: Range<Int>?, eventTime: Range<Int>?, eventName: Range<Int>?,
        userIdentityArn: Range<Int>?, sourceIPAddress: Range<Int>?
    ) {
        self.eventIDText = FieldText(eventID, in: raw)
        self.eventTimeText = FieldText(eventTime, in: raw)
        self.eventNameText = FieldText(eventName, in: raw)
        self.userIdentityArnText = FieldText(userIdentityArn, in: raw)
        self.sourceIPAddressText = FieldText(sourceIPAddress, in: raw)
        self.raw = raw.count > Self.maxRawBytes ? Array(raw.prefix(Self.maxRawBytes)) : raw
    }

    // Equal when the fields read the same, however they are kept.
    public static func == (left: EventEvidence, right: EventEvidence) -> Bool {
        left.raw == right.raw && left.eventID == right.eventID && left.eventTime == right.eventTime
            && left.eventName == right.eventName && left.userIdentityArn == right.userIdentityArn
            && left.sourceIPAddress == right.sourceIPAddress
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(raw)
        hasher.combine(eventID)
        hasher.combine(eventTime)
        hasher.combine(eventName)
        hasher.combine(userIdentityArn)
        hasher.combine(sourceIPAddress)
    }
}

/// Where an evidence field's text is.
private enum FieldText: Sendable {
    case absent
    /// Bytes of the raw record, already the value.
    case span(start: Int32, end: Int32)
    case text(String)

    init(_ string: String?) {
        self = string.map { .text($0) } ?? .absent
    }

    init(_ range: Range<Int>?, in raw: [UInt8]) {
        guard let range, range.lowerBound >= 0, range.upperBound <= raw.count else {
            self = .absent
            return
        }
        if range.upperBound <= EventEvidence.maxRawBytes {
            self = .span(start: Int32(range.lowerBound), end: Int32(range.upperBound))
        } else {
            self = .text(String(decoding: raw[range], as: UTF8.self))
        }
    }

    func string(in raw: [UInt8]) -> String? {
        switch self {
        case .absent: nil
        case .span(let start, let end): String(decoding: raw[Int(start)..<Int(end)], as: UTF8.self)
        case .text(let text): text
        }
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
