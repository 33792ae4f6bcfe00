import FilterPattern
public import MetricFilters

/// Runs a ``RuleTestSuite`` against its configs.
public struct RuleTestRunner {
    public struct Failure: Sendable {
        public var eventIndex: Int
        /// Filters expected to match that did not.
        public var missed: [String]
        /// Filters expected not to match that did.
        public var unexpected: [String]
        /// Filters named in the test that the config does not define.
        public var unknown: [String]
    }

    public struct CaseResult: Sendable {
        public var testCase: RuleTestSuite.Case
        public var failures: [Failure]
        public var passed: Bool { failures.isEmpty }
    }

    public init() {}

    /// Runs every case; filters are looked up by name in `filters`.
    public func run(_ suite: RuleTestSuite, filters: [MetricFilter]) -> [CaseResult] {
        var byName: [String: MetricFilter] = [:]
        for filter in filters { byName[filter.filterName] = filter }
        var scratch = MatchScratch()
        return suite.cases.map { testCase in
            var failures: [Failure] = []
            let named = testCase.matches + testCase.doesNotMatch
            let unknown = named.filter { byName[$0] == nil }
            for (index, event) in testCase.events.enumerated() {
                let matched = event.withUnsafeBytes { raw -> Set<String> in
                    var result: Set<String> = []
                    for name in named {
                        guard let filter = byName[name] else { continue }
                        var logEvent = LogEvent(raw)
                        if filter.pattern.matches(&logEvent, scratch: &scratch) { result.insert(name) }
                    }
                    return result
                }
                let missed = testCase.matches.filter { byName[$0] != nil && !matched.contains($0) }
                let unexpected = testCase.doesNotMatch.filter { matched.contains($0) }
                if !missed.isEmpty || !unexpected.isEmpty || (!unknown.isEmpty && index == 0) {
                    failures.append(Failure(eventIndex: index, missed: missed, unexpected: unexpected, unknown: index == 0 ? unknown : []))
                }
            }
            return CaseResult(testCase: testCase, failures: failures)
        }
    }
}
