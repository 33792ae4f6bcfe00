/// What identifies one digest chain: account × source region × trail × home region × kind.
struct ChainID: Hashable, Comparable, Sendable {
    var organization: String?
    var account: String
    var region: String
    var trail: String
    var homeRegion: String
    var backfill: Bool

    init(_ name: DigestName) {
        organization = name.organizationID
        account = name.account
        region = name.region
        trail = name.trail
        homeRegion = name.homeRegion
        backfill = name.isBackfill
    }

    static func < (a: ChainID, b: ChainID) -> Bool {
        (a.organization ?? "", a.account, a.region, a.trail, a.homeRegion, a.backfill ? 1 : 0)
            < (b.organization ?? "", b.account, b.region, b.trail, b.homeRegion, b.backfill ? 1 : 0)
    }
}
