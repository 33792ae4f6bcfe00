/// Validates a downloaded CloudTrail trail offline: `tripline validate-logs` without the printing.
///
/// ```swift
/// var options = ValidationOptions(directory: "trail-copy", publicKeyPaths: ["public-keys"])
/// options.signaturesPath = "signatures.json"
/// options.start = UTCTime(iso8601: "2026-02-28T22:00:00Z")
/// let report = try LogValidator.validate(options)
/// print(ReportJSON.render(report))
/// exit(report.exitCode)
/// ```
public enum LogValidator {
    /// Runs the whole validation: load keys and sidecar, find the chains, walk each, hash the logs on
    /// `options.threads` workers, compute coverage.
    ///
    /// - Returns: the report; a bad file is a verdict in it, never an error.
    /// - Throws: ``SetupError`` for inputs that stop the run (exit 64, 65 or 66).
    public static func validate(_ options: ValidationOptions) throws(SetupError) -> ValidationReport {
        guard FileSystem.kind(options.directory) == .directory || isDirectoryLink(options.directory),
            let realRoot = FileSystem.realPath(options.directory)
        else {
            throw .noInput("\(options.directory): no such folder. Pass the folder `aws s3 sync s3://BUCKET/PREFIX/ DIR` wrote.")
        }
        let root = Mirror.Root(path: options.directory, realPath: realRoot)
        let keys = try InputFiles.loadKeys(options)
        let sidecar = try InputFiles.loadSidecar(options.signaturesPath)
        let filter = try ChainFilter(options)

        let discovery = Discovery(root: root)
        let found = discovery.digests()
        var topWarnings = found.strayNames.map {
            ValidationWarning(kind: "orphan-digest", message: "\($0): not a CloudTrail digest name (section 2.2); not checked")
        }
        let names = found.digests.filter { filter.accepts($0) }
        let (bucket, prefix, bucketInferred, prefixInferred) = Inference.bucketAndPrefix(
            options: options, sidecar: sidecar, newest: names.max { $0.stamp < $1.stamp }, root: root)

        var others: [String: Mirror.Root] = [:]
        for (name, dir) in options.bucketDirectories {
            guard let real = FileSystem.realPath(dir) else {
                throw .noInput("--bucket-dir \(name)=\(dir): no such folder")
            }
            others[name] = Mirror.Root(path: dir, realPath: real)
        }
        let mirror = Mirror(main: root, bucket: bucket, prefix: prefix, others: others)
        let context = RunContext(mirror: mirror, keys: keys, sidecar: sidecar, options: options)

        var chains: [ChainReport] = []
        var spans: [(chain: Int, id: ChainID, from: UTCTime, to: UTCTime)] = []
        let grouped = Dictionary(grouping: names, by: ChainID.init)
        for id in grouped.keys.sorted() {
            let all = grouped[id, default: []].sorted { $0.stamp < $1.stamp }
            // Safe because groups are never empty.
            let start = options.start ?? all[0].stamp
            let end = options.end ?? all[all.count - 1].stamp
            let listed = all.filter { $0.stamp >= start && (options.end == nil || $0.stamp <= end + 3600) }
            var report = ChainReport(
                account: id.account, organization: id.organization, region: id.region, homeRegion: id.homeRegion,
                trail: id.trail, kind: id.backfill ? "backfill" : "standard", start: start, end: end)
            var walker = ChainWalker(chain: id, context: context, listed: listed, start: start, report: report)
            walker.walk()
            report = walker.report
            hashLogs(walker.jobs, into: &report, options: options)
            for name in listed where !walker.visited.contains(mirror.uri(relative: name.relativeKey)) {
                report.warnings.append(ValidationWarning(
                    kind: "orphan-digest",
                    message: "\(mirror.uri(relative: name.relativeKey)): in the checked range but not reached by the chain"))
            }
            var gaps: [(UTCTime, UTCTime)] = []
            for case .gap(let a, let b) in report.events { gaps.append((a, b)) }
            report.notices = Coverage.notices(
                positions: walker.positions, gaps: gaps, start: start, end: end, explicitEnd: options.end != nil,
                digestDelay: options.digestDelay)
            report.found = Coverage.found(report.digests, start: options.start, end: options.end)
            let spanStart = options.start ?? report.digests.compactMap { $0.verdict == .valid ? $0.start : nil }.min() ?? start
            if let newest = walker.positions.map(\.stamp).max() {
                spans.append((chains.count, id, spanStart, newest))
            }
            chains.append(report)
        }
        if chains.isEmpty, let arn = filter.arn, let s = options.start, let e = options.end {
            var report = ChainReport(
                account: arn.account, organization: nil, region: options.regions.first ?? arn.homeRegion,
                homeRegion: arn.homeRegion, trail: arn.trail, kind: "standard", start: s, end: e)
            report.notices = [Notice(kind: "uncovered", start: s, end: e, cause: "no-digest")]
            chains.append(report)
        }
        Unreferenced.add(to: &chains, spans: spans, discovery: discovery, mirror: mirror)
        for uri in sidecar.objects.keys.sorted() {
            if case .file(let path, _) = mirror.locate(from: uri), FileSystem.kind(path) == .missing {
                topWarnings.append(ValidationWarning(kind: "sidecar-entry", message: "\(uri): named in signatures.json but not in the folder"))
            }
        }
        if !keys.ignored.isEmpty {
            topWarnings.append(ValidationWarning(
                kind: "untrusted-key",
                message: "ignored keys not named by --trusted-fingerprint: \(keys.ignored.joined(separator: ", "))"))
        }
        return ValidationReport(
            requestedStart: options.start, requestedEnd: options.end, bucket: bucket, prefix: prefix,
            bucketInferred: bucketInferred, prefixInferred: prefixInferred, trustedFingerprints: keys.fingerprints,
            chains: chains, warnings: topWarnings, strict: options.strict)
    }

    private static func isDirectoryLink(_ path: String) -> Bool {
        guard FileSystem.kind(path) == .symlink, let real = FileSystem.realPath(path) else { return false }
        return FileSystem.kind(real) == .directory
    }

    /// hashLogs checks the queued log files on the worker pool and writes the verdicts in walk order.
    private static func hashLogs(_ jobs: [ChainWalker.LogJob], into report: inout ChainReport, options: ValidationOptions) {
        let maxOutput = options.maxLogUncompressedSize
        let outcomes = ParallelWork.map(count: jobs.count, threads: options.threads) { i -> FileHasher.LogOutcome? in
            let job = jobs[i]
            guard job.failure == nil, let path = job.path, let root = job.root else { return nil }
            return FileHasher.hashLog(path: path, root: root, maxOutput: maxOutput)
        }
        for (job, outcome) in zip(jobs, outcomes) {
            var log = report.logs[job.logIndex]
            if let f = job.failure {
                (log.verdict, log.reason, log.message) = (f.verdict, f.reason, f.message)
            } else if let outcome {
                switch outcome {
                case .missing(let why): (log.verdict, log.reason, log.message) = (.notFound, "log-missing", why)
                case .trailingData(let n):
                    (log.verdict, log.reason, log.message) = (.invalid, "trailing-data", "unexpected data after end of compressed stream")
                    log.notes.append("\(n) bytes after the first gzip member")
                case .invalidFormat(let why): (log.verdict, log.reason, log.message) = (.invalid, "invalid-format", "invalid format: \(why)")
                case .hashed(let sha, let uncompressed):
                    if sha == job.expected {
                        (log.verdict, log.reason, log.message) = (.valid, nil, "valid")
                        if uncompressed { log.notes.append("stored uncompressed") }
                    } else {
                        (log.verdict, log.reason, log.message) = (.invalid, "hash-mismatch", "hash value doesn't match")
                    }
                }
            }
            report.logs[job.logIndex] = log
        }
    }
}

extension Mirror {
    /// locate maps an `s3://bucket/key` URI.
    func locate(from uri: String) -> Location {
        let rest = uri.dropFirst(5)
        guard uri.hasPrefix("s3://"), let slash = rest.firstIndex(of: "/") else { return .unsafeKey }
        return locate(bucket: String(rest[..<slash]), key: String(rest[rest.index(after: slash)...]))
    }
}
