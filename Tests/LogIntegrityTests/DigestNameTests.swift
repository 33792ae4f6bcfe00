import Testing
@testable import LogIntegrity

/// Digest and log file names, parsed from both ends (section 2).
@Suite("Names")
struct DigestNameTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var id: String
        var key: String
        var trail: String?
        var home: String? = nil
        var organization: String? = nil
        var backfill = false
        var testDescription: String { id }
    }

    static let base = "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2026/03/01/"

    static let cases: [Case] = [
        Case(id: "underscore in trail", key: base + "111122223333_CloudTrail-Digest_us-east-2_tripline_test-trail_us-east-2_20260301T014107Z.json.gz",
             trail: "tripline_test-trail", home: "us-east-2"),
        Case(id: "many underscores", key: base + "111122223333_CloudTrail-Digest_us-east-2_a_b_c_eu-west-1_20260301T014107Z.json.gz",
             trail: "a_b_c", home: "eu-west-1"),
        Case(id: "backfill", key: base + "111122223333_CloudTrail-Digest_us-east-2_t.x-1_us-east-2_20260301T014107Z_backfill.json.gz",
             trail: "t.x-1", home: "us-east-2", backfill: true),
        Case(id: "organization", key: "AWSLogs/o-aa111bb222/111122223333/CloudTrail-Digest/us-east-2/2026/03/01/111122223333_CloudTrail-Digest_us-east-2_org_us-east-1_20260301T014107Z.json.gz",
             trail: "org", home: "us-east-1", organization: "o-aa111bb222"),
        Case(id: "accounts disagree", key: base + "999922223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20260301T014107Z.json.gz", trail: nil),
        Case(id: "folder region differs", key: base + "111122223333_CloudTrail-Digest_eu-west-1_trail_us-east-2_20260301T014107Z.json.gz", trail: nil),
        Case(id: "date folder differs", key: base + "111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20260302T014107Z.json.gz", trail: nil),
        Case(id: "trail too short", key: base + "111122223333_CloudTrail-Digest_us-east-2_ab_us-east-2_20260301T014107Z.json.gz", trail: nil),
        Case(id: "bad stamp", key: base + "111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20260301T014199Z.json.gz", trail: nil),
        Case(id: "not gz", key: base + "111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20260301T014107Z.json", trail: nil),
        Case(id: "dot-dot segment", key: "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2026/../01/111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20260301T014107Z.json.gz", trail: nil),
        Case(id: "bad organization id", key: "AWSLogs/o-X/111122223333/CloudTrail-Digest/us-east-2/2026/03/01/111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20260301T014107Z.json.gz", trail: nil),
    ]

    @Test("digest names", arguments: cases)
    func digestName(_ c: Case) {
        let name = DigestName(relativeKey: c.key)
        #expect(name?.trail == c.trail)
        if let name {
            #expect(name.homeRegion == c.home)
            #expect(name.organizationID == c.organization)
            #expect(name.isBackfill == c.backfill)
            #expect(name.stamp.description == "2026-03-01T01:41:07Z")
            #expect(name.account == "111122223333")
            #expect(name.region == "us-east-2")
        }
    }

    @Test("log file names")
    func logFileName() {
        let name = LogFileName(relativeKey: "AWSLogs/111122223333/CloudTrail/us-east-2/2026/02/28/111122223333_CloudTrail_us-east-2_20260228T2350Z_gb4h3vAztfEpGdOw.json.gz")
        #expect(name?.delivered.description == "2026-02-28T23:50:00Z")
        #expect(LogFileName(relativeKey: "AWSLogs/111122223333/CloudTrail/us-east-2/2026/02/28/junk.json.gz") == nil)
    }

    @Test("times")
    func times() {
        #expect(UTCTime(iso8601: "2026-03-01T01:41:07Z")?.secondsSinceEpoch == 1_772_329_267)
        #expect(UTCTime(iso8601: "2026-03-01T03:41:07+02:00") == UTCTime(iso8601: "2026-03-01T01:41:07Z"))
        #expect(UTCTime(iso8601: "2026-03-01T01:41:07.250Z") == UTCTime(iso8601: "2026-03-01T01:41:07Z"))
        #expect(UTCTime(iso8601: "2026-03-01")?.description == "2026-03-01T00:00:00Z")
        #expect(UTCTime(iso8601: "2026-02-30T00:00:00Z") == nil)
        #expect(UTCTime(iso8601: "2026-03-01T01:41:07") == nil)
        #expect(UTCTime(cloudTrail: "2026-03-01T01:41:07+00:00") == nil)
        #expect(UTCTime(secondsSinceEpoch: -1).description == "1969-12-31T23:59:59Z")
    }
}
