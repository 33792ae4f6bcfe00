public import Alarms
public import MetricFilters
public import TriplineCore
import EventScan
import FilterPattern

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One event's way through the pipeline: its time, the filters it matches, the datapoints they
/// emit, and the evidence an alarm may quote.
///
/// Owned by one worker; everything per event reuses the scratch it holds.
public struct EventPipeline {
    public let filterSet: FilterSet
    /// Filters that emit a default value for events they do not match.
    private let defaultFilters: [Int]
    private var scratch = FilterSetScratch()
    /// Per-event working memory, kept across events so matching events allocate only their datapoints.
    private var matchScratch = MatchScratch()
    private var hits: [Int] = []
    private var matched: [Bool]
    /// Counts per filter, for summaries.
    public private(set) var matches: [Int]
    public private(set) var datapointsEmitted = 0
    /// Matches dropped because a dimension's field was missing (spec §7.4).
    public private(set) var datapointsWithoutDimension = 0
    /// Matches whose metric value could not be read as a number (spec §7.3).
    public private(set) var valuesUnparseable = 0
    /// Per filter, the key of its datapoints when it has no dimensions, built once. (Workers on
    /// different threads each get their own ``FilterSet/compiledAgain()``, so the names in these
    /// keys share no reference counts across threads.)
    private let plainKeys: [MetricKey?]
    /// The last time text parsed, and its value: consecutive events mostly share their second.
    private var lastTimeText: [UInt8] = []
    private var lastTime: Timestamp?

    public init(filterSet: FilterSet) {
        self.filterSet = filterSet
        self.defaultFilters = filterSet.filters.indices.filter { filterSet.filters[$0].transformation.defaultValue != nil }
        self.matched = Array(repeating: false, count: filterSet.filters.count)
        self.matches = Array(repeating: 0, count: filterSet.filters.count)
        self.plainKeys = filterSet.filters.map { filter in
            guard filter.dimensions.isEmpty else { return nil }
            return MetricKey(namespace: filter.transformation.metricNamespace, metricName: filter.transformation.metricName)
        }
    }

    /// Zeroes the counts (at the end of a work unit).
    public mutating func resetCounts() {
        for index in matches.indices { matches[index] = 0 }
        datapointsEmitted = 0
        datapointsWithoutDimension = 0
        valuesUnparseable = 0
    }

    /// The event's time: `eventTime`, else `@timestamp` (collector output), or nil.
    public mutating func eventTime(of line: UnsafeRawBufferPointer) -> Timestamp? {
        eventTime(of: LogEvent(line, rootIndex: scratch.rootIndex), line: line)
    }

    private mutating func eventTime(of event: LogEvent, line: UnsafeRawBufferPointer) -> Timestamp? {
        guard let root = event.jsonRoot() else { return nil }
        // The first of the two that is an unescaped string decides, even when it does not parse.
        if let text = Self.timeText(at: "eventTime", of: event, root: root, line: line) { return timestamp(text) }
        if let text = Self.timeText(at: "@timestamp", of: event, root: root, line: line) { return timestamp(text) }
        return nil
    }

    /// Parses a time, or reuses the last one when the text is the same.
    private mutating func timestamp(_ text: UnsafeRawBufferPointer) -> Timestamp? {
        let same = text.count == lastTimeText.count && lastTimeText.withUnsafeBytes { last in
            // Safe: both buffers hold `text.count` bytes; an empty text compares equal without reading.
            text.count == 0 || memcmp(last.baseAddress!, text.baseAddress!, text.count) == 0
        }
        if same { return lastTime }
        lastTime = Timestamp(iso8601: text)
        lastTimeText.removeAll(keepingCapacity: true)
        lastTimeText.append(contentsOf: text)
        return lastTime
    }

    /// The raw text of top-level member `key` when it is a string without escapes (static keys:
    /// nothing is allocated per event).
    @inline(__always)
    private static func timeText(
        at key: StaticString, of event: LogEvent, root: JSONNode, line: UnsafeRawBufferPointer
    ) -> UnsafeRawBufferPointer? {
        let bytes = UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        guard let node = event.member(bytes, of: root), node.kind == .string, !node.hasEscapes else { return nil }
        return UnsafeRawBufferPointer(rebasing: line[node.start..<node.end])
    }

    /// Matches `line` against every filter and returns the datapoints it emits, stamped `time`.
    /// - Parameter wantsEvidence: set false to skip building evidence (counting only).
    public mutating func process(
        _ line: UnsafeRawBufferPointer, time: Timestamp, source: EventReference, wantsEvidence: Bool = true
    ) -> (datapoints: [Datapoint], evidence: EventEvidence?) {
        var event = LogEvent(line, rootIndex: scratch.rootIndex)
        return process(&event, line: line, time: time, source: source, wantsEvidence: wantsEvidence)
    }

    /// Indexes the top level of the first line of `bytes` (which go on past it) and returns its
    /// length, or nil when the walk cannot finish inside the line: see
    /// ``RootIndex/indexFirstLineLeniently(of:)``. Pass the line to
    /// ``process(measuredLine:source:decide:)`` next.
    public mutating func measureLine(_ bytes: UnsafeRawBufferPointer) -> Int? {
        scratch.rootIndex.indexFirstLineLeniently(of: bytes)
    }

    /// As ``process(_:source:decide:)`` for the line ``measureLine(_:)`` just indexed.
    public mutating func process(
        measuredLine line: UnsafeRawBufferPointer, source: EventReference, decide: (Timestamp?) -> Timestamp?
    ) -> (time: Timestamp, datapoints: [Datapoint], evidence: EventEvidence?)? {
        var event = LogEvent(indexedLine: line, rootIndex: scratch.rootIndex, validated: false)
        return process(&event, line: line, source: source, decide: decide)
    }

    /// Reads the event's time and matches it in one pass over its top level: `decide` turns the
    /// time found (nil when there is none) into the time to stamp, or nil to skip the event.
    public mutating func process(
        _ line: UnsafeRawBufferPointer, source: EventReference, decide: (Timestamp?) -> Timestamp?
    ) -> (time: Timestamp, datapoints: [Datapoint], evidence: EventEvidence?)? {
        var event = LogEvent(line, rootIndex: scratch.rootIndex)
        return process(&event, line: line, source: source, decide: decide)
    }

    /// The time of `event`, decided, and what it matches.
    private mutating func process(
        _ event: inout LogEvent, line: UnsafeRawBufferPointer, source: EventReference, decide: (Timestamp?) -> Timestamp?
    ) -> (time: Timestamp, datapoints: [Datapoint], evidence: EventEvidence?)? {
        guard let time = decide(eventTime(of: event, line: line)) else { return nil }
        let (datapoints, evidence) = process(&event, line: line, time: time, source: source, wantsEvidence: true)
        return (time, datapoints, evidence)
    }

    /// As ``process(_:source:decide:)``, and also whether the line is a JSON object: the validation
    /// indexes the event's top level in the same pass, so matching does not walk it again.
    public mutating func processValidating(
        _ line: UnsafeRawBufferPointer, source: EventReference, decide: (Timestamp?) -> Timestamp?
    ) -> (valid: Bool, processed: (time: Timestamp, datapoints: [Datapoint], evidence: EventEvidence?)?) {
        var event = LogEvent(line, rootIndex: scratch.rootIndex)
        let valid = event.isValidJSONObject()
        guard let time = decide(eventTime(of: event, line: line)) else { return (valid, nil) }
        let (datapoints, evidence) = process(&event, line: line, time: time, source: source, wantsEvidence: true)
        return (valid, (time, datapoints, evidence))
    }

    private mutating func process(
        _ event: inout LogEvent, line: UnsafeRawBufferPointer, time: Timestamp, source: EventReference, wantsEvidence: Bool
    ) -> (datapoints: [Datapoint], evidence: EventEvidence?) {
        for index in defaultFilters { matched[index] = false }
        hits.removeAll(keepingCapacity: true)
        filterSet.forEachMatch(&event, scratch: &scratch) { index in hits.append(index) }
        guard !hits.isEmpty || !defaultFilters.isEmpty else { return ([], nil) }
        var datapoints: [Datapoint] = []
        let filters = filterSet.filters
        for index in hits {
            matches[index] += 1
            matched[index] = true
            guard let value = filters[index].datapointValue(for: &event, matched: true, scratch: &matchScratch) else {
                valuesUnparseable += 1
                continue
            }
            if let key = plainKeys[index] {
                datapoints.append(
                    Datapoint(key: key, value: value, timestamp: time, unit: filters[index].transformation.unit, source: source))
                continue
            }
            let filter = filters[index]
            var dimensions: [Dimension] = []
            var complete = true
            for dimension in filter.dimensions {
                guard let text = filter.pattern.text(at: dimension.reference, in: &event, scratch: &matchScratch) else {
                    complete = false
                    break
                }
                dimensions.append(Dimension(name: dimension.name, value: String(decoding: text, as: UTF8.self)))
            }
            guard complete else {
                datapointsWithoutDimension += 1
                continue
            }
            datapoints.append(Self.datapoint(filter, value, dimensions, time, source))
        }
        for index in defaultFilters where !matched[index] {
            if let value = filters[index].transformation.defaultValue {
                datapoints.append(
                    plainKeys[index].map {
                        Datapoint(key: $0, value: value, timestamp: time, unit: filters[index].transformation.unit)
                    } ?? Self.datapoint(filters[index], value, [], time, nil))
            }
        }
        datapointsEmitted += datapoints.count
        let evidence = wantsEvidence && !hits.isEmpty ? Self.evidence(of: event, line: line) : nil
        return (datapoints, evidence)
    }

    private static func datapoint(
        _ filter: MetricFilter, _ value: Double, _ dimensions: [Dimension], _ time: Timestamp, _ source: EventReference?
    ) -> Datapoint {
        let key = MetricKey(
            namespace: filter.transformation.metricNamespace, metricName: filter.transformation.metricName,
            dimensions: dimensions)
        return Datapoint(key: key, value: value, timestamp: time, unit: filter.transformation.unit, source: source)
    }

    /// The fields a notification quotes about a matching event: where their texts lie in the
    /// copied line, so that nothing but the copy is allocated. When any of them holds an escape,
    /// all five are decoded into Strings instead (rare in CloudTrail).
    private static func evidence(of event: LogEvent, line: UnsafeRawBufferPointer) -> EventEvidence {
        // Static keys, looked up without building arrays.
        func node(_ key: StaticString, of parent: JSONNode?) -> JSONNode? {
            guard let parent else { return nil }
            return event.member(UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount), of: parent)
        }
        func string(_ node: JSONNode?) -> JSONNode? { node?.kind == .string ? node : nil }
        let root = event.jsonRoot()
        let eventID = string(node("eventID", of: root))
        let eventTime = string(node("eventTime", of: root))
        let eventName = string(node("eventName", of: root))
        let arn = string(node("arn", of: node("userIdentity", of: root)))
        let address = string(node("sourceIPAddress", of: root))
        func escaped(_ node: JSONNode?) -> Bool { node?.hasEscapes == true }
        guard !(escaped(eventID) || escaped(eventTime) || escaped(eventName) || escaped(arn) || escaped(address)) else {
            var scratch: [UInt8] = []
            func text(_ node: JSONNode?) -> String? {
                node.map { event.view.withStringBytes($0, scratch: &scratch) { String(decoding: $0, as: UTF8.self) } }
            }
            return EventEvidence(
                eventID: text(eventID), eventTime: text(eventTime), eventName: text(eventName),
                userIdentityArn: text(arn), sourceIPAddress: text(address), raw: Array(line))
        }
        func range(_ node: JSONNode?) -> Range<Int>? { node.map { $0.start..<$0.end } }
        return EventEvidence(
            raw: Array(line), eventID: range(eventID), eventTime: range(eventTime), eventName: range(eventName),
            userIdentityArn: range(arn), sourceIPAddress: range(address))
    }
}
