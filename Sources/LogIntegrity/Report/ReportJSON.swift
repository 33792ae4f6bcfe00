/// Renders a report as the JSON of section 9.6 (`format: tripline.validate-logs-report/v1`).
public enum ReportJSON {
    /// The format string of the report.
    public static let format = "tripline.validate-logs-report/v1"

    /// Renders the report; one file and notice per line, so that diffs stay readable.
    public static func render(_ report: ValidationReport) -> String {
        typealias W = JSONWriter
        let chains = report.chains.map { chain -> String in
            let digests = chain.digests.map { d in
                W.compact([
                    ("s3", W.quote(d.s3)), ("path", W.value(d.path)), ("verdict", W.quote(d.verdict.rawValue)),
                    ("reason", W.value(d.reason)), ("message", W.value(d.message)),
                    ("signatureSource", W.value(d.signatureSource)), ("start", W.value(d.start)),
                    ("end", W.value(d.end)), ("fingerprint", W.value(d.fingerprint)),
                    ("notes", "[" + d.notes.map(W.quote).joined(separator: ", ") + "]"),
                ])
            }
            let logs = chain.logs.map { l in
                W.compact([
                    ("s3", W.quote(l.s3)), ("path", W.value(l.path)), ("digest", W.value(l.digest)),
                    ("verdict", W.quote(l.verdict.rawValue)), ("reason", W.value(l.reason)),
                    ("message", W.value(l.message)),
                    ("notes", "[" + l.notes.map(W.quote).joined(separator: ", ") + "]"),
                ])
            }
            let notices = chain.notices.map { n in
                W.compact([("kind", W.quote(n.kind)), ("start", W.value(n.start)), ("end", W.value(n.end)),
                           ("cause", W.quote(n.cause))])
            }
            let found = chain.found.map { W.compact([("start", W.value($0.start)), ("end", W.value($0.end))]) } ?? "null"
            return W.object([
                ("account", W.quote(chain.account)), ("organization", W.value(chain.organization)),
                ("region", W.quote(chain.region)), ("homeRegion", W.quote(chain.homeRegion)),
                ("trail", W.quote(chain.trail)), ("kind", W.quote(chain.kind)),
                ("checked", W.compact([("start", W.value(chain.start)), ("end", W.value(chain.end))])),
                ("found", found),
                ("digests", W.array(digests, indent: 2)), ("logs", W.array(logs, indent: 2)),
                ("notices", W.array(notices, indent: 2)), ("warnings", W.array(warnings(chain.warnings), indent: 2)),
            ], indent: 1)
        }
        return W.object([
            ("format", W.quote(format)),
            ("requested", W.compact([("start", W.value(report.requestedStart)), ("end", W.value(report.requestedEnd))])),
            ("inferred", W.compact([
                ("bucket", report.bucketInferred ? W.quote(report.bucket) : "null"),
                ("prefix", report.prefixInferred ? W.quote(report.prefix) : "null"),
            ])),
            ("bucket", W.quote(report.bucket)), ("prefix", W.quote(report.prefix)),
            ("trustedFingerprints", "[" + report.trustedFingerprints.map(W.quote).joined(separator: ", ") + "]"),
            ("chains", W.array(chains)),
            ("warnings", W.array(warnings(report.warnings), indent: 1)),
            ("exitCode", "\(report.exitCode)"),
        ]) + "\n"
    }

    private static func warnings(_ list: [ValidationWarning]) -> [String] {
        list.map { JSONWriter.compact([("kind", JSONWriter.quote($0.kind)), ("message", JSONWriter.quote($0.message))]) }
    }
}
