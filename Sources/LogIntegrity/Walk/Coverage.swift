/// Turns visited positions into time (section 9.5): each position stands for the interval from the next
/// older position's stamp to its own; a position that is not valid makes its interval `uncovered`.
enum Coverage {
    static func notices(
        positions: [ChainWalker.Position], gaps: [(UTCTime, UTCTime)], start: UTCTime, end: UTCTime,
        explicitEnd: Bool, digestDelay: Int64
    ) -> [Notice] {
        var notices: [Notice] = []
        let sorted = positions.sorted { $0.stamp < $1.stamp }
        var lower = start
        for p in sorted {
            defer { lower = max(lower, p.stamp) }
            let from = max(lower, start)
            let to = min(p.stamp, end)
            guard to > from, !p.skipped else { continue }
            let cause: String
            switch p.verdict {
            case .valid: continue
            case .notFound: cause = "digest-missing"
            case .invalid: cause = "digest-invalid"
            case .unverified: cause = "digest-unverified"
            }
            if let last = notices.last, last.cause == cause, last.end == from {
                notices[notices.count - 1].end = to
            } else {
                notices.append(Notice(kind: "uncovered", start: from, end: to, cause: cause))
            }
        }
        if explicitEnd {
            let newest = sorted.last?.stamp
            if newest == nil || newest.map({ $0 < end - digestDelay }) == true {
                let from = max(newest ?? start, start)
                if end > from { notices.append(Notice(kind: "uncovered", start: from, end: end, cause: "no-digest")) }
            }
        }
        for (a, b) in gaps { notices.append(Notice(kind: "gap", start: a, end: b, cause: "chain-restarted")) }
        return notices.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
    }

    /// found is the CLI's "Results found" range over valid digests, clipped to the span.
    static func found(_ digests: [DigestResult], start: UTCTime?, end: UTCTime?) -> (start: UTCTime, end: UTCTime)? {
        var result: (start: UTCTime, end: UTCTime)? = nil
        for d in digests where d.verdict == .valid {
            guard var s = d.start, var e = d.end else { continue }
            if let start { s = max(s, start) }
            if let end { e = min(e, end) }
            result = result.map { (min($0.start, s), max($0.end, e)) } ?? (s, e)
        }
        return result
    }
}
