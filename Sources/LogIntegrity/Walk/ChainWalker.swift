/// Walks one chain from its newest listed digest back through the `previousDigest*` pointers, jumping
/// to the next older listed digest after any failure, exactly as the AWS CLI does (section 8.3).
struct ChainWalker {
    /// A log file of a valid digest, waiting to be hashed.
    struct LogJob: Sendable {
        var logIndex: Int
        var path: String?
        var root: Mirror.Root?
        var expected: [UInt8]?
        var failure: (verdict: Verdict, reason: String, message: String)?
    }

    /// One visited position on the time line.
    struct Position {
        var stamp: UTCTime
        var verdict: Verdict
        var skipped: Bool
    }

    let chain: ChainID
    let context: RunContext
    /// The chain's digests in the listing window, oldest first.
    let listed: [DigestName]
    let start: UTCTime?

    private(set) var report: ChainReport
    private(set) var jobs: [LogJob] = []
    private(set) var positions: [Position] = []
    private(set) var visited: Set<String> = []

    init(chain: ChainID, context: RunContext, listed: [DigestName], start: UTCTime?, report: ChainReport) {
        self.chain = chain
        self.context = context
        self.listed = listed
        self.start = start
        self.report = report
    }

    mutating func walk() {
        let mirror = context.mirror
        let examiner = DigestExaminer(context: context, homeRegion: chain.homeRegion)
        var pending = listed
        func popBefore(_ stamp: UTCTime) -> DigestName? {
            while let next = pending.popLast() {
                if next.stamp < stamp { return next }
            }
            return nil
        }
        guard let newest = pending.popLast() else { return }
        var cursor: (bucket: String, key: String, stamp: UTCTime)? = (
            mirror.bucket, mirror.key(relative: newest.relativeKey), newest.stamp
        )
        var lastStart = newest.stamp
        var first = true
        while let c = cursor, start.map({ $0 <= lastStart }) ?? true {
            let uri = "s3://\(c.bucket)/\(c.key)"
            if !visited.insert(uri).inserted {
                report.warnings.append(ValidationWarning(kind: "loop", message: "\(uri): the chain points back to a digest already checked"))
                break
            }
            let outcome = examiner.examine(bucket: c.bucket, key: c.key, stamp: c.stamp, isNewest: first)
            first = false
            report.warnings.append(contentsOf: outcome.warnings)
            positions.append(Position(stamp: c.stamp, verdict: outcome.result.verdict, skipped: outcome.skipped))
            if outcome.skipped {
                report.warnings.append(ValidationWarning(kind: "unsigned-newest", message: "\(uri): \(outcome.result.message ?? "")"))
            } else {
                report.digests.append(outcome.result)
                report.events.append(.digest(report.digests.count - 1))
            }
            guard outcome.result.verdict == .valid, !outcome.skipped, let document = outcome.document else {
                cursor = popBefore(c.stamp).map { (mirror.bucket, mirror.key(relative: $0.relativeKey), $0.stamp) }
                continue
            }
            lastStart = document.startTime
            queueLogs(of: document, digest: uri)
            if let pb = document.previousBucket, let po = document.previousObject {
                context.successorLinks["s3://\(pb)/\(po)"] = RunContext.SuccessorLink(
                    successor: uri, previousHash: document.previousHashValue, successorStart: document.startTime)
                cursor = (pb, po, stamp(of: po, bucket: pb) ?? document.startTime)
            } else if let older = popBefore(c.stamp) {
                report.events.append(.gap(older.stamp, document.startTime))
                cursor = (mirror.bucket, mirror.key(relative: older.relativeKey), older.stamp)
            } else {
                cursor = nil
            }
        }
    }

    /// stamp reads the end time a pointer's key states, from the 16 characters before `.json.gz`.
    private func stamp(of key: String, bucket: String) -> UTCTime? {
        var name = Substring(key)
        guard name.hasSuffix(".json.gz") else { return nil }
        name = name.dropLast(8)
        if name.hasSuffix("_backfill") { name = name.dropLast(9) }
        return UTCTime(stamp: name.suffix(16))
    }

    private mutating func queueLogs(of document: DigestDocument, digest: String) {
        for entry in document.logFiles {
            let uri = "s3://\(entry.bucket)/\(entry.object)"
            var log = LogResult(s3: uri, path: nil, digest: digest, verdict: .invalid, reason: nil, message: nil)
            var job = LogJob(logIndex: report.logs.count)
            switch context.mirror.locate(bucket: entry.bucket, key: entry.object) {
            case .file(let p, let r):
                job.path = p
                job.root = r
                log.path = String(p.dropFirst(r.path.count + 1))
            case .notMirrored(let b):
                job.failure = (.notFound, "log-missing", "not found (bucket not mirrored: pass --bucket-dir \(b)=DIR)")
            case .outsidePrefix:
                job.failure = (.notFound, "log-missing", "not found (outside the mirrored prefix)")
            case .unsafeKey:
                job.failure = (.invalid, "invalid-format", "the key is not a safe path")
            }
            if job.failure == nil {
                if let a = entry.hashAlgorithm, a != "SHA-256" {
                    job.failure = (.invalid, "unsupported-algorithm", "unsupported hash algorithm \(a)")
                } else if let h = Hex.decode(entry.hashValue), h.count == 32 {
                    job.expected = h
                } else {
                    job.failure = (.invalid, "invalid-format", "the digest's hashValue is not 64 hex digits")
                }
            }
            report.logs.append(log)
            report.events.append(.log(report.logs.count - 1))
            jobs.append(job)
        }
    }
}
