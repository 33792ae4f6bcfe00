/// Finds log files in the checked span that no valid digest lists (section 9.5): `unverified / no-valid-digest`.
enum Unreferenced {
    static func add(
        to chains: inout [ChainReport], spans: [(chain: Int, id: ChainID, from: UTCTime, to: UTCTime)],
        discovery: Discovery, mirror: Mirror
    ) {
        var listed: Set<String> = []
        for chain in chains {
            for log in chain.logs where log.digest != nil {
                if let p = log.path { listed.insert(p) }
            }
        }
        var reported: Set<String> = []
        for span in spans {
            let files = discovery.logFiles(
                organization: span.id.organization, account: span.id.account, region: span.id.region,
                from: span.from, to: span.to)
            for file in files where !listed.contains(file.relativeKey) {
                guard reported.insert(file.relativeKey).inserted else { continue }
                var log = LogResult(
                    s3: "", path: file.relativeKey, digest: nil, verdict: .unverified, reason: "no-valid-digest",
                    message: "not listed by any valid digest")
                log.s3 = mirror.uri(relative: file.relativeKey)
                chains[span.chain].logs.append(log)
            }
        }
    }
}
