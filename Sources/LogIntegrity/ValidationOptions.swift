/// The inputs of one `tripline validate-logs` run (section 9.1).
public struct ValidationOptions: Sendable {
    /// The folder that mirrors `s3://bucket/prefix/` (it holds `AWSLogs/`).
    public var directory: String
    /// `list-public-keys` output files, or folders of `*.json` files.
    public var publicKeyPaths: [String]
    /// The `signatures.json` sidecar.
    public var signaturesPath: String?
    /// Restricts the walk to one trail: `arn:aws:cloudtrail:HOME:ACCOUNT:trail/NAME`.
    public var trailARN: String?
    /// Restricts member accounts.
    public var accountIDs: [String] = []
    /// Restricts source regions.
    public var regions: [String] = []
    /// The mirrored bucket; inferred when nil.
    public var bucket: String?
    /// The mirrored prefix; inferred when nil.
    public var prefix: String?
    /// Mirrors of other buckets, by bucket name.
    public var bucketDirectories: [String: String] = [:]
    /// The start of the checked span.
    public var start: UTCTime?
    /// The end of the checked span; enables the tail check.
    public var end: UTCTime?
    /// When not empty, only keys with these fingerprints are trusted.
    public var trustedFingerprints: [String] = []
    /// Use an unsigned newest digest only as a signature source for its predecessor.
    public var allowUnsignedNewest = false
    /// Fail on unreferenced logs and on warnings too.
    public var strict = false
    /// How late the newest digest may be before the tail counts as uncovered, in seconds.
    public var digestDelay: Int64 = 3600
    /// Hashing workers.
    public var threads = 1
    /// The largest digest file read, compressed.
    public var maxDigestSize = 64 << 20
    /// The largest digest accepted, uncompressed.
    public var maxDigestUncompressedSize = 256 << 20
    /// The largest log file accepted, uncompressed; `Int.max` (the default) for no cap.
    public var maxLogUncompressedSize = Int.max

    /// Creates options with the defaults of section 9.1.
    public init(directory: String, publicKeyPaths: [String]) {
        self.directory = directory
        self.publicKeyPaths = publicKeyPaths
    }
}
