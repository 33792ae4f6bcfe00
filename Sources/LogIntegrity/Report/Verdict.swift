/// A file's verdict (section 9.4).
public enum Verdict: String, Sendable, Hashable {
    case valid
    case invalid
    case notFound = "not-found"
    case unverified
}

/// The verdict of one digest position the walk visited.
public struct DigestResult: Sendable {
    /// `s3://bucket/key` of the position.
    public var s3: String
    /// The path inside the mirror (`AWSLogs/…`), when the key maps to one.
    public var path: String?
    /// The verdict.
    public var verdict: Verdict
    /// The reason word of section 9.4, nil when valid.
    public var reason: String?
    /// A sentence for people; for failures, the AWS CLI's wording where it has one.
    public var message: String?
    /// `sidecar` or `successor` for a valid digest.
    public var signatureSource: String?
    /// `digestStartTime`, when the digest was parsed.
    public var start: UTCTime?
    /// `digestEndTime`, when the digest was parsed.
    public var end: UTCTime?
    /// `digestPublicKeyFingerprint`, when the digest was parsed.
    public var fingerprint: String?
    /// The end time the key name states: the position on the time line.
    public var stamp: UTCTime
    /// Notes such as "stored uncompressed".
    public var notes: [String] = []
}

/// The verdict of one log file.
public struct LogResult: Sendable {
    /// `s3://bucket/key`.
    public var s3: String
    /// The path inside the mirror, when the key maps to one.
    public var path: String?
    /// The digest that lists the file (`s3://…`), nil for a file no valid digest lists.
    public var digest: String?
    /// The verdict.
    public var verdict: Verdict
    /// The reason word, nil when valid.
    public var reason: String?
    /// A sentence for people.
    public var message: String?
    /// Notes such as "stored uncompressed".
    public var notes: [String] = []
}

/// An interval on the time line: `uncovered` (fails the run) or `gap` (CloudTrail restarted the chain).
public struct Notice: Sendable, Hashable {
    /// `uncovered` or `gap`.
    public var kind: String
    /// Interval start.
    public var start: UTCTime
    /// Interval end.
    public var end: UTCTime
    /// `digest-missing`, `digest-invalid`, `digest-unverified`, `no-digest` or `chain-restarted`.
    public var cause: String
}

/// A finding that does not fail the run unless `--strict` is given.
public struct ValidationWarning: Sendable, Hashable {
    /// `discontinuity`, `orphan-digest`, `key-window`, `sidecar-mismatch`, `unsigned-newest`, `sidecar-entry`, …
    public var kind: String
    /// What was seen.
    public var message: String

    /// The kinds that `--strict` turns into failures.
    public static let strictKinds: Set<String> = ["discontinuity", "orphan-digest", "key-window", "sidecar-mismatch"]
}
