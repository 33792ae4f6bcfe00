import FilterPattern

/// Many metric filters evaluated in one pass over each event.
///
/// Most CloudTrail filters require a field to equal one of a few values (`$.eventName =
/// ConsoleLogin`). The set reads each such field once per event and looks its value up in a
/// hash table to find the candidate filters; the other filters are screened by their literal
/// prefilter. Only candidates run their full matcher, so most events are rejected after one or
/// two field lookups, whatever the number of filters.
public struct FilterSet: Sendable {
    public let filters: [MetricFilter]
    /// For each indexed selector: which filters require which of its values.
    private let indexes: [(selector: Selector, index: ValueIndex)]
    /// Filters with no required equality: screened by their prefilter.
    private let screened: [Int]

    public init(_ filters: [MetricFilter]) {
        self.filters = filters
        var bySelector: [Selector: [([UInt8], Int)]] = [:]
        var order: [Selector] = []
        var screened: [Int] = []
        // Pick one required equality per filter, preferring the selectors most filters share
        // (one lookup serves them all), then the fewest values.
        var popularity: [Selector: Int] = [:]
        for filter in filters {
            for requirement in filter.pattern.requiredEqualities { popularity[requirement.selector, default: 0] += 1 }
        }
        for (position, filter) in filters.enumerated() {
            // A filter with a default value emits for every event, so it must see every event.
            let choice = filter.pattern.requiredEqualities.max { a, b in
                let (pa, pb) = (popularity[a.selector] ?? 0, popularity[b.selector] ?? 0)
                return pa != pb ? pa < pb : a.values.count > b.values.count
            }
            guard filter.transformation.defaultValue == nil, let requirement = choice else {
                screened.append(position)
                continue
            }
            if bySelector[requirement.selector] == nil { order.append(requirement.selector) }
            bySelector[requirement.selector, default: []] += requirement.values.map { ($0, position) }
        }
        self.indexes = order.map { ($0, ValueIndex(bySelector[$0] ?? [])) }
        self.screened = screened
    }

    /// Calls `body` with the index of every filter whose pattern matches `event`, in filter order.
    /// - Complexity: one field lookup per indexed selector, one prefilter scan per screened filter,
    ///   and a full match only for candidates.
    public func forEachMatch(_ event: inout LogEvent, scratch: inout FilterSetScratch, _ body: (Int) -> Void) {
        // (The caller creates `event` with `scratch.rootIndex` so top-level lookups are shared.)
        scratch.reset(filterCount: filters.count)
        for (selector, index) in indexes {
            let candidates = CompiledPattern.withScalarText(at: selector, in: event, scratch: &scratch.match) { text in
                text.map { index.filters(for: $0) } ?? []
            }
            for candidate in candidates { scratch.candidate[candidate] = true }
        }
        let line = event.rawLine
        for position in screened where filters[position].pattern.prefilter.mayMatch(line) {
            scratch.candidate[position] = true
        }
        for position in 0..<filters.count where scratch.candidate[position] {
            if filters[position].pattern.matches(&event, scratch: &scratch.match) { body(position) }
        }
    }

    /// How the set dispatches, for `--debug` output and tests.
    public var summary: String {
        let indexed = indexes.map { "\($0.selector.text)" }.joined(separator: ", ")
        return "\(filters.count) filters: \(filters.count - screened.count) dispatched on \(indexed.isEmpty ? "nothing" : indexed), \(screened.count) screened by literals"
    }
}

/// Per-worker scratch for ``FilterSet``.
public struct FilterSetScratch {
    var match = MatchScratch()
    var candidate: [Bool] = []
    /// Pass to `LogEvent(_:rootIndex:)` for events given to ``FilterSet/forEachMatch(_:scratch:_:)``.
    public let rootIndex = RootIndex()

    public init() {}

    mutating func reset(filterCount: Int) {
        if candidate.count != filterCount {
            candidate = Array(repeating: false, count: filterCount)
        } else {
            for position in candidate.indices { candidate[position] = false }
        }
    }
}
