/// Everything one digest chain's walk found.
public struct ChainReport: Sendable {
    /// One line of the walk, in the order the AWS CLI prints it.
    public enum Event: Sendable {
        case digest(Int)
        case log(Int)
        /// CloudTrail started a new chain: `No log files were delivered by CloudTrail between A and B`.
        case gap(UTCTime, UTCTime)
    }

    /// The account.
    public var account: String
    /// The organization ID, for organization trails.
    public var organization: String?
    /// The source region.
    public var region: String
    /// The trail's home region.
    public var homeRegion: String
    /// The trail name.
    public var trail: String
    /// `standard` or `backfill`.
    public var kind: String
    /// The checked span's start: `--start-time`, or the oldest digest present.
    public var start: UTCTime
    /// The checked span's end: `--end-time`, or the newest digest present.
    public var end: UTCTime
    /// The range the valid digests cover, clipped to the span (the CLI's "Results found").
    public var found: (start: UTCTime, end: UTCTime)?
    /// Digest verdicts in walk order.
    public var digests: [DigestResult] = []
    /// Log verdicts: first those of valid digests in walk order, then files no valid digest lists.
    public var logs: [LogResult] = []
    /// Uncovered intervals and gaps, oldest first.
    public var notices: [Notice] = []
    /// Warnings.
    public var warnings: [ValidationWarning] = []
    /// The walk in print order.
    public var events: [Event] = []

    /// The trail ARN as the CLI prints it.
    public var trailARN: String { "arn:aws:cloudtrail:\(homeRegion):\(account):trail/\(trail)" }
}

/// The result of `tripline validate-logs`.
public struct ValidationReport: Sendable {
    /// `--start-time`, if given.
    public var requestedStart: UTCTime?
    /// `--end-time`, if given.
    public var requestedEnd: UTCTime?
    /// The mirrored bucket.
    public var bucket: String
    /// The mirrored prefix.
    public var prefix: String
    /// True when the bucket was not given but inferred.
    public var bucketInferred: Bool
    /// True when the prefix was not given but inferred.
    public var prefixInferred: Bool
    /// Fingerprints of the keys trusted for this run.
    public var trustedFingerprints: [String]
    /// One report per chain.
    public var chains: [ChainReport]
    /// Warnings that belong to no chain (names that are not digests of any trail, sidecar entries for absent files).
    public var warnings: [ValidationWarning]
    /// Whether `--strict` was given.
    public var strict: Bool

    /// The exit status of section 9.7: 0 when everything in the checked span verified, else 1.
    public var exitCode: Int32 {
        for chain in chains {
            if chain.digests.contains(where: { $0.verdict != .valid }) { return 1 }
            if chain.logs.contains(where: { $0.verdict == .invalid || $0.verdict == .notFound }) { return 1 }
            if strict && chain.logs.contains(where: { $0.verdict == .unverified }) { return 1 }
            if chain.notices.contains(where: { $0.kind == "uncovered" }) { return 1 }
            if strict && chain.warnings.contains(where: { ValidationWarning.strictKinds.contains($0.kind) }) { return 1 }
        }
        if strict && warnings.contains(where: { ValidationWarning.strictKinds.contains($0.kind) }) { return 1 }
        return 0
    }
}
