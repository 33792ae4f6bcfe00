import EventScan
import FilterPattern
import MetricFilters
import Testing
import TriplineTestSupport

/// `FilterSet.forEachMatch` (value index, top-level matchers, prefilters, shared root index)
/// reports exactly the filters whose pattern matches on its own, whichever way the event's top
/// level was indexed: by the validation pass (`count`) or by the lenient walk (`backtest`).
struct FilterSetDispatchTests {
    static let packPatterns = [
        #"{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}"#,
        #"{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }"#,
        #"{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }"#,
        #"{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }"#,
        #"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }"#,
        #"{ $.eventSource = "logs.amazonaws.com" || $.eventSource = "monitoring.amazonaws.com" }"#,
        #"{ $.errorCode = "*" }"#, #"{ $.readOnly IS FALSE }"#, #"{ $.eventName = "Get*" }"#,
        #"AccessDenied"#, #"?ConsoleLogin ?AssumeRole"#, "",
    ]

    /// A set of the patterns that compile (random ones may not); `requireAll` fails the test when
    /// a fixed list loses one, so no case is dropped silently.
    static func filterSet(_ patterns: [String], requireAll: Bool = true, defaultValue: Double? = nil) -> FilterSet {
        let filters = patterns.enumerated().compactMap { position, pattern in
            try? MetricFilter(
                filterName: "f\(position)", filterPattern: pattern,
                transformations: [
                    MetricTransformation(
                        metricName: "m\(position)", metricNamespace: "Test", metricValue: "1", defaultValue: defaultValue)
                ])
        }
        if requireAll { #expect(filters.count == patterns.count, "a fixed pattern failed to compile") }
        return FilterSet(filters)
    }

    /// The filters whose pattern matches `raw` on its own (no index, no prefilter).
    static func expected(_ set: FilterSet, _ raw: UnsafeRawBufferPointer) -> [Int] {
        var scratch = MatchScratch()
        return set.filters.indices.filter { position in
            var event = LogEvent(raw)
            return set.filters[position].pattern.matches(&event, scratch: &scratch)
        }
    }

    static func check(_ set: FilterSet, _ events: [String], scratch: inout FilterSetScratch) {
        for line in events {
            Array(line.utf8).withUnsafeBytes { raw in
                let want = expected(set, raw)
                for validateFirst in [true, false] {
                    var event = LogEvent(raw, rootIndex: scratch.rootIndex)
                    if validateFirst { _ = event.isValidJSONObject() }
                    var got: [Int] = []
                    set.forEachMatch(&event, scratch: &scratch) { got.append($0) }
                    #expect(got == want, "validateFirst \(validateFirst): \(got) vs \(want) on \(line.prefix(160))")
                }
            }
        }
    }

    @Test func packPatternsOnRealAndDisguisedEvents() {
        let events = PrefilterPropertyTests.events
        #expect(events.count > 1000)
        var scratch = FilterSetScratch()
        Self.check(Self.filterSet(Self.packPatterns), events, scratch: &scratch)
    }

    @Test func randomPatternSets() {
        let events = PrefilterPropertyTests.events
        var scratch = FilterSetScratch()
        for seed in 0..<40 {
            var rng = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15)
            let patterns = (0..<(3 + rng.next(12))).map { _ in PrefilterPropertyTests.randomPattern(&rng) }
            let sample = (0..<150).map { _ in events[rng.next(events.count)] }
            Self.check(Self.filterSet(patterns, requireAll: false), sample, scratch: &scratch)
        }
    }

    /// Top-level lookups through the index (with its one-word filter of names) answer exactly as a
    /// walk of the root does: absent names, names of every length up to twenty bytes, names that
    /// differ only past their eighth byte, repeated names (the last wins), escaped names, and
    /// events wider than the index's first allocation.
    @Test func indexedLookupsAgreeWithWalks() {
        let names = (0...20).map { String(repeating: "k", count: $0) } + [
            "eventName", "eventNamf", "eventSource", "eventSourceX", "errorCode", #"a\u0062c"#, "abc", "",
            "kkkkkkkkX", "kkkkkkkkY",
        ]
        var rng = SplitMix64(seed: 7)
        let keys = names.filter { !$0.contains("\\") } + ["absent", "eventNam", "errorCod", "kkkkkkkkX"]
        let scratch = FilterSetScratch()
        for _ in 0..<300 {
            // Now and then more members than the index first has room for (it grows).
            let width = rng.next(10) == 0 ? 100 + rng.next(100) : 1 + rng.next(12)
            let members = (0..<width).map { position in
                "\"\(names[rng.next(names.count)])\":\(position)"
            }
            let line = "{" + members.joined(separator: ",") + "}"
            Array(line.utf8).withUnsafeBytes { raw in
                let view = EventView(bytes: raw)
                guard let root = view.root() else {
                    Issue.record("no root: \(line)")
                    return
                }
                for validateFirst in [true, false] {
                    var event = LogEvent(raw, rootIndex: scratch.rootIndex)
                    if validateFirst {
                        let valid = event.isValidJSONObject()
                        #expect(valid, "\(line)")
                    }
                    for key in keys {
                        let bytes = Array(key.utf8)
                        let indexed = bytes.withUnsafeBytes { event.member($0, of: root) }
                        let walked = bytes.withUnsafeBytes { view.member($0, of: root) }
                        #expect(indexed == walked, "\(key) in \(line), validateFirst \(validateFirst)")
                    }
                }
            }
        }
    }

    /// Candidate bits beyond the first word, set by each way of dispatching: by value, on every
    /// event, and on events with a required member.
    @Test func moreThanSixtyFourFilters() {
        let patterns =
            (0..<70).map { #"{ $.eventName = "E\#($0)" || $.errorCode = "*" }"# }
            + (0..<70).map { #"{ $.errorCode = "*\#($0)" }"# } + [#"{ $.eventName = "E69" }"#]
        let events =
            (60..<72).map { #"{"eventName":"E\#($0)"}"# }
            + [#"{"eventName":"X","errorCode":"AccessDenied"}"#, #"{"eventName":"E3","errorCode":"Code65"}"#]
        let set = Self.filterSet(patterns)
        #expect(set.summary.contains("70 matched on events with a member they need"), "\(set.summary)")
        var scratch = FilterSetScratch()
        Self.check(set, events, scratch: &scratch)
    }

    /// A filter with a default value emits for every event, so it is never screened out.
    @Test func filtersWithDefaultValuesSeeEveryEvent() {
        let set = Self.filterSet(Self.packPatterns.filter { $0.hasPrefix("{") }, defaultValue: 0)
        #expect(set.summary.contains("0 matched on events with a member they need"), "\(set.summary)")
        var scratch = FilterSetScratch()
        Self.check(set, Array(PrefilterPropertyTests.events.prefix(300)), scratch: &scratch)
    }

    /// A nested selector with few values is read only when its top-level parent's bytes hold one
    /// of the values, or an escape that could spell one: a value written with `\u` or `\/`, a
    /// value outside the parent, a parent that is missing, not an object, or repeated, and a
    /// number for a quoted text all give what matching each filter alone gives.
    @Test func nestedSelectorsBehindALiteralPrefilter() {
        let patterns = [
            #"{ $.userIdentity.type = "Root" }"#,
            #"{ $.userIdentity.arn = "a/b" || $.userIdentity.arn = "c" }"#,
            #"{ $.requestParameters.limit = "12" }"#,
        ]
        let events = [
            #"{"userIdentity":{"type":"Root"}}"#,
            #"{"userIdentity":{"type":"R\u006fot"}}"#,
            #"{"userIdentity":{"type":"IAMUser"},"note":"Root"}"#,
            #"{"userIdentity":{"type":"IAMUser","sessionContext":{"type":"Root"}}}"#,
            #"{"userIdentity":"Root"}"#,
            #"{"eventName":"Root"}"#,
            #"{"userIdentity":{"type":"Root"},"userIdentity":{"type":"IAMUser"}}"#,
            #"{"userIdentity":{"type":"IAMUser"},"userIdentity":{"type":"Root"}}"#,
            #"{"userIdentity":{"type":"Root","type":"IAMUser"}}"#,
            #"{"user\u0049dentity":{"type":"Root"}}"#,
            #"{"userIdentity":{"arn":"a\/b"}}"#,
            #"{"userIdentity":{"arn":"a/b"}}"#,
            #"{"userIdentity":{"arn":"c"},"x":"a/b"}"#,
            #"{"requestParameters":{"limit":12}}"#,
            #"{"requestParameters":{"limit":"12"}}"#,
            #"{"requestParameters":{"limit":1.2e1}}"#,
            #"{"userIdentity":{"type":"Root"}"#,
            #"{"userIdentity":{"type":"Ro"#,
        ]
        let set = Self.filterSet(patterns)
        #expect(set.summary.contains("$.userIdentity.type (after a literal prefilter)"), "\(set.summary)")
        #expect(set.summary.contains("$.userIdentity.arn (after a literal prefilter)"), "\(set.summary)")
        var scratch = FilterSetScratch()
        Self.check(set, events, scratch: &scratch)
    }

    /// Top-level selectors, and nested ones with more values than are worth one scan each, are
    /// read directly.
    @Test func onlyNestedSelectorsWithFewValuesAreScreened() {
        let manyValues = (0..<(FilterSet.maximumScreenedValues + 1)).map { #"$.userIdentity.type = "T\#($0)""# }
        let set = Self.filterSet([#"{ $.eventName = "Root" }"#, "{ " + manyValues.joined(separator: " || ") + " }"])
        #expect(!set.summary.contains("prefilter"), "\(set.summary)")
        var scratch = FilterSetScratch()
        Self.check(set, [#"{"eventName":"Root","userIdentity":{"type":"T3"}}"#, #"{"userIdentity":{"type":"T\u0030"}}"#], scratch: &scratch)
    }
}
