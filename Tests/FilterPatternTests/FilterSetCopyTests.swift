import FilterPattern
import MetricFilters
import Testing
import TriplineCore
import TriplineTestSupport

/// Each worker thread matches with its own copy of the filter set: the copy holds the same
/// filters in the same order and matches exactly as the original does.
struct FilterSetCopyTests {
    @Test func aCopyMatchesAsTheOriginal() {
        let original = FilterSetDispatchTests.filterSet(FilterSetDispatchTests.packPatterns)
        let copy = original.compiledAgain()
        #expect(copy.filters.map(\.filterName) == original.filters.map(\.filterName))
        #expect(copy.filters.map(\.pattern.text) == original.filters.map(\.pattern.text))
        #expect(copy.filters.map(\.transformation) == original.filters.map(\.transformation))
        var scratch = FilterSetScratch()
        var copyScratch = FilterSetScratch()
        let events = PrefilterPropertyTests.events
        #expect(events.count > 1000)
        var matched = 0
        for line in events {
            Array(line.utf8).withUnsafeBytes { raw in
                var event = LogEvent(raw, rootIndex: scratch.rootIndex)
                var want: [Int] = []
                original.forEachMatch(&event, scratch: &scratch) { want.append($0) }
                var copied = LogEvent(raw, rootIndex: copyScratch.rootIndex)
                var got: [Int] = []
                copy.forEachMatch(&copied, scratch: &copyScratch) { got.append($0) }
                #expect(got == want)
                matched += want.count
            }
        }
        #expect(matched > 100)
    }

    @Test func transformationsWithDimensionsAndDefaultsAreCopied() throws {
        let byUser = try MetricFilter(
            filterName: "by-user", filterPattern: #"{ $.eventName = "ConsoleLogin" }"#,
            transformations: [
                MetricTransformation(
                    metricName: "Logins", metricNamespace: "Test", metricValue: "$.count",
                    dimensions: [(name: "User", value: "$.userIdentity.arn")], unit: .count)
            ])
        let quiet = try MetricFilter(
            filterName: "quiet", filterPattern: #"{ $.eventName = "StopLogging" }"#,
            transformations: [MetricTransformation(metricName: "Stops", metricNamespace: "Test", metricValue: "1", defaultValue: 0)])
        let copy = FilterSet([byUser, quiet]).compiledAgain()
        #expect(copy.filters.map(\.transformation) == [byUser.transformation, quiet.transformation])
        #expect(copy.filters.map { $0.dimensions.map(\.name) } == [["User"], []])
        #expect(copy.filters.map(\.value) == [byUser.value, quiet.value])
    }
}
