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
        #"{ $.errorCode EXISTS }"#, #"{ $.readOnly IS FALSE }"#, #"{ $.eventName = "Get*" }"#,
        #"AccessDenied"#, #"?ConsoleLogin ?AssumeRole"#, "",
    ]

    static func filterSet(_ patterns: [String]) -> FilterSet {
        let filters = patterns.enumerated().compactMap { position, pattern in
            try? MetricFilter(
                filterName: "f\(position)", filterPattern: pattern,
                transformations: [MetricTransformation(metricName: "m\(position)", metricNamespace: "Test", metricValue: "1")])
        }
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
            Self.check(Self.filterSet(patterns), sample, scratch: &scratch)
        }
    }

    @Test func moreThanSixtyFourFilters() {
        let patterns = (0..<70).map { #"{ $.eventName = "E\#($0)" || $.errorCode EXISTS }"# } + [#"{ $.eventName = "E69" }"#]
        let events = (60..<72).map { #"{"eventName":"E\#($0)"}"# } + [#"{"eventName":"X","errorCode":"AccessDenied"}"#]
        var scratch = FilterSetScratch()
        Self.check(Self.filterSet(patterns), events, scratch: &scratch)
    }
}
