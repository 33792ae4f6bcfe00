/// Renders a report as text: the AWS CLI's lines and summary in its own words (section 8.5), so the two
/// outputs can be diffed, followed by Tripline's additions (section 9.6).
public enum ReportText {
    /// Where a line goes.
    public enum Stream: String, Sendable {
        case stdout, stderr
    }

    /// One output line.
    public struct Line: Sendable, Equatable {
        /// The stream.
        public var stream: Stream
        /// The text, without the newline.
        public var text: String
        /// True for lines the AWS CLI would not print.
        public var isAddition: Bool
    }

    /// Renders the report.
    /// - Parameter verbose: also print valid files, as the CLI's `--verbose` does.
    public static func lines(_ report: ValidationReport, verbose: Bool) -> [Line] {
        var out: [Line] = []
        func emit(_ stream: Stream, _ text: String, addition: Bool = false) {
            out.append(Line(stream: stream, text: text, isAddition: addition))
        }
        func failure(_ text: String, addition: Bool = false) {
            emit(.stderr, text, addition: addition)
            emit(.stderr, "", addition: true)
        }
        if report.chains.isEmpty {
            emit(.stdout, "No digests found")
        }
        for chain in report.chains {
            let tag = chain.kind == "backfill" ? "(backfill) " : ""
            let start = report.requestedStart ?? chain.start
            let end = report.requestedEnd ?? chain.end
            emit(.stdout, "Validating log files for trail \(chain.trailARN) between \(start) and \(end)")
            emit(.stdout, "")
            for event in chain.events {
                switch event {
                case .digest(let i):
                    let d = chain.digests[i]
                    let addition = d.verdict == .unverified || d.reason == "hash-link" || d.reason == "unsupported-algorithm"
                    if d.verdict == .valid {
                        if verbose { emit(.stdout, "\(tag)Digest file\t\(d.s3)\tvalid") }
                    } else {
                        failure("\(tag)Digest file\t\(d.s3)\t\(word(d.verdict)): \(d.message ?? "")", addition: addition)
                    }
                case .log(let i):
                    let l = chain.logs[i]
                    if l.verdict == .valid {
                        if verbose { emit(.stdout, "Log file\t\(l.s3)\tvalid") }
                    } else {
                        failure("Log file\t\(l.s3)\t\(word(l.verdict)): \(l.message ?? "")")
                    }
                case .gap(let a, let b):
                    failure("No log files were delivered by CloudTrail between \(a) and \(b)")
                }
            }
            for l in chain.logs where l.digest == nil {
                failure("Log file\t\(l.s3)\tUNVERIFIED: \(l.message ?? "not listed by any valid digest")", addition: true)
            }
            for n in chain.notices {
                let text = n.kind == "gap" ? "GAP: CloudTrail started a new chain" : "NOT COVERED: \(n.cause)"
                failure("Time\t\(n.start)/\(n.end)\t\(text)", addition: true)
            }
            for w in chain.warnings { failure("Warning\t\(w.kind)\t\(w.message)", addition: true) }

            emit(.stdout, "Results requested for \(start) to \(end)")
            let digestCount = chain.digests.count
            if digestCount == 0 {
                emit(.stdout, "No digests found")
            } else {
                if let found = chain.found {
                    emit(.stdout, "Results found for \(found.start) to \(found.end):")
                } else {
                    emit(.stdout, "No valid digests found in range")
                }
                emit(.stdout, "")
                let valid = chain.digests.filter { $0.verdict == .valid }.count
                emit(.stdout, summary(valid, digestCount, chain.kind == "backfill" ? "backfill digest" : "digest"))
                let checked = chain.logs.filter { $0.digest != nil }
                if !checked.isEmpty {
                    emit(.stdout, summary(checked.filter { $0.verdict == .valid }.count, checked.count, "log"))
                }
            }
            let total = max(0, end.secondsSinceEpoch - start.secondsSinceEpoch)
            let uncovered = chain.notices.filter { $0.kind == "uncovered" }
                .reduce(Int64(0)) { $0 + ($1.end.secondsSinceEpoch - $1.start.secondsSinceEpoch) }
            let unreferenced = chain.logs.filter { $0.digest == nil }.count
            if unreferenced > 0 { emit(.stdout, "\(unreferenced) log files not listed by any valid digest", addition: true) }
            emit(.stdout, "\(hours(total - uncovered))/\(hours(total)) hours covered", addition: true)
            emit(.stdout, "", addition: true)
        }
        for w in report.warnings { failure("Warning\t\(w.kind)\t\(w.message)", addition: true) }
        emit(.stdout, "Trusted public key fingerprints: \(report.trustedFingerprints.joined(separator: ", "))", addition: true)
        if report.bucketInferred || report.prefixInferred {
            emit(.stdout, "Mirror: s3://\(report.bucket)/\(report.prefix)\(report.prefix.isEmpty ? "" : "/") (inferred; "
                + "pass --s3-bucket and --s3-prefix to state it)", addition: true)
        }
        return out
    }

    private static func word(_ verdict: Verdict) -> String {
        verdict == .unverified ? "UNVERIFIED" : "INVALID"
    }

    private static func summary(_ valid: Int, _ total: Int, _ name: String) -> String {
        var line = "\(valid)/\(total) \(name) files valid"
        if valid < total { line += ", \(total - valid)/\(total) \(name) files INVALID" }
        return line
    }

    private static func hours(_ seconds: Int64) -> String {
        let tenths = (seconds * 10 + 1800) / 3600
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }
}
