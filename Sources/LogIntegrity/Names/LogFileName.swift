/// The parts of a log file's key:
/// `AWSLogs/[O-ID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_UNIQUE.json.gz`.
public struct LogFileName: Hashable, Sendable {
    /// The organization ID of an organization trail, else nil.
    public var organizationID: String?
    /// The account.
    public var account: String
    /// The region.
    public var region: String
    /// The delivery time, to the minute.
    public var delivered: UTCTime
    /// The key from `AWSLogs/` on.
    public var relativeKey: String

    /// Parses a key that starts at `AWSLogs/`; nil when it is not a CloudTrail log file name.
    /// Files stored uncompressed (`.json`) are accepted too.
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
        guard NameRules.isAccount(account), parts[i + 1] == "CloudTrail", NameRules.isRegion(region) else { return nil }
        var file = parts[i + 6]
        let head = "\(account)_CloudTrail_\(region)_"
        guard file.hasPrefix(head) else { return nil }
        file = file.dropFirst(head.count)
        if file.hasSuffix(".json.gz") {
            file = file.dropLast(8)
        } else if file.hasSuffix(".json") {
            file = file.dropLast(5)
        } else {
            return nil
        }
        // YYYYMMDDTHHmmZ is 14 characters; the unique part follows after "_".
        guard file.count > 15 else { return nil }
        let time = file.prefix(14)
        guard file.dropFirst(14).first == "_",
            let delivered = UTCTime(stamp: Substring(time.prefix(13) + "00Z"))
        else { return nil }
        guard time.last == "Z" else { return nil }
        self.account = String(account)
        self.region = String(region)
        self.delivered = delivered
        self.relativeKey = relativeKey
    }
}
