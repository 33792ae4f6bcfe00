/// The parts of a digest file's key, parsed from both ends as section 2.2 of the spec requires.
///
/// ```
/// AWSLogs/[O-ID/]ACCOUNT/CloudTrail-Digest/REGION/YYYY/MM/DD/
///     ACCOUNT_CloudTrail-Digest_REGION_TRAIL_HOMEREGION_YYYYMMDDTHHMMSSZ[_backfill].json.gz
/// ```
///
/// Trail names may contain `_`; region names may not, so the home region is the last `_` field before
/// the stamp and the trail is whatever lies between the two regions.
public struct DigestName: Hashable, Sendable {
    /// The organization ID (`o-…`) of an organization trail, else nil.
    public var organizationID: String?
    /// The 12-digit account the digest was delivered for.
    public var account: String
    /// The source region: the region whose activity the digest covers.
    public var region: String
    /// The trail name.
    public var trail: String
    /// The region where the trail was created.
    public var homeRegion: String
    /// The digest's end time, from the name.
    public var stamp: UTCTime
    /// True for `_backfill` digests.
    public var isBackfill: Bool
    /// The key from `AWSLogs/` on.
    public var relativeKey: String

    /// Parses a key that starts at `AWSLogs/`; returns nil when it breaks any rule of the grammar.
    public init?(relativeKey: String) {
        let parts = relativeKey.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 8 || parts.count == 9, parts[0] == "AWSLogs" else { return nil }
        var i = 1
        if parts.count == 9 {
            guard NameRules.isOrganizationID(parts[1]) else { return nil }
            organizationID = String(parts[1])
            i = 2
        }
        let account = parts[i]
        let region = parts[i + 2]
        guard NameRules.isAccount(account), parts[i + 1] == "CloudTrail-Digest", NameRules.isRegion(region) else {
            return nil
        }
        let (yyyy, mm, dd) = (parts[i + 3], parts[i + 4], parts[i + 5])
        var file = parts[i + 6]
        let head = "\(account)_CloudTrail-Digest_\(region)_"
        guard file.hasPrefix(head), file.hasSuffix(".json.gz") else { return nil }
        file = file.dropFirst(head.count).dropLast(".json.gz".count)
        isBackfill = file.hasSuffix("_backfill")
        if isBackfill { file = file.dropLast("_backfill".count) }
        guard file.count > 17, let stamp = UTCTime(stamp: file.suffix(16)) else { return nil }
        file = file.dropLast(16)
        guard file.last == "_" else { return nil }
        file = file.dropLast()
        guard let underscore = file.lastIndex(of: "_") else { return nil }
        let home = file[file.index(after: underscore)...]
        let trail = file[..<underscore]
        guard NameRules.isRegion(home), NameRules.isTrailName(trail) else { return nil }
        let c = stamp.components
        guard Int(yyyy) == c.year, yyyy.count == 4, Int(mm) == c.month, mm.count == 2, Int(dd) == c.day,
            dd.count == 2
        else { return nil }
        self.account = String(account)
        self.region = String(region)
        self.trail = String(trail)
        self.homeRegion = String(home)
        self.stamp = stamp
        self.relativeKey = relativeKey
    }
}

/// The character rules of account IDs, organization IDs, regions and trail names.
enum NameRules {
    static func isAccount(_ s: Substring) -> Bool { s.utf8.count == 12 && s.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }

    static func isOrganizationID(_ s: Substring) -> Bool {
        guard s.hasPrefix("o-") else { return false }
        let rest = s.utf8.dropFirst(2)
        return (10...32).contains(rest.count) && rest.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    static func isRegion(_ s: Substring) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    static func isTrailName(_ s: Substring) -> Bool {
        (3...128).contains(s.utf8.count)
            && s.utf8.allSatisfy {
                ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39)
                    || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D
            }
    }
}
