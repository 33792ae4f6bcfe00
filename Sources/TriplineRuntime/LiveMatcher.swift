public import Alarms
import MetricFilters
public import TriplineCore
import Foundation

/// The parallel half of a live run: matches a chunk of lines against the filters on a worker
/// thread, keeping only what the alarm engine needs, in order; ``LiveRun/consume(_:now:)`` then
/// feeds the chunks to the engine one after another.
///
/// Each worker owns one matcher (its scratch is not shared); a matcher follows reloads by
/// rebuilding its pipeline when the run's filter set changes.
public final class LiveMatcher {
    private var pipeline: EventPipeline
    private var generation: Int

    public init(_ run: LiveRun) {
        let (filterSet, generation) = run.currentFilterSet
        pipeline = EventPipeline(filterSet: filterSet)
        self.generation = generation
    }

    /// Starts a chunk of events read one at a time (``add(_:source:now:to:)``), with the filters
    /// in force now; ``complete(_:)`` ends it. Events of one chunk come from one input.
    public func begin(input: String, run: LiveRun) -> PreparedChunk {
        let (filterSet, current) = run.currentFilterSet
        if current != generation {
            pipeline = EventPipeline(filterSet: filterSet)
            generation = current
        }
        pipeline.resetCounts()
        return PreparedChunk(input: input, generation: generation)
    }

    /// Matches one event into `chunk`.
    /// - Parameter now: the wall clock, for the plausibility of event times.
    public func add(_ line: UnsafeRawBufferPointer, source: EventReference, now: Timestamp, to prepared: inout PreparedChunk) {
        prepared.events += 1
        var timed = true
        var implausible = false
        let (valid, processed) = pipeline.processValidating(line, source: source) { time in
            // Also on event time: one hostile far-future time would move the watermark for good.
            if let value = time, value > now.adding(seconds: 900) { implausible = true }
            if time == nil || implausible { timed = false }
            // A stand-in for events without a usable time: the run stamps them in order.
            return timed ? time : Timestamp(milliseconds: 0)
        }
        if !valid { prepared.malformed += 1 }
        guard let (time, datapoints, evidence) = processed else { return }
        if implausible { prepared.implausible += 1 }
        // Only records that can move the alarms are kept: those with datapoints, and those that raise
        // the greatest event time (the watermark follows it; a smaller time cannot move it).
        if !datapoints.isEmpty || (timed && time > (prepared.latest ?? Timestamp(milliseconds: .min))) {
            prepared.records.append(PreparedEvent(time: timed ? time : nil, datapoints: datapoints, evidence: evidence))
        }
        if timed { prepared.latest = max(prepared.latest ?? time, time) }
    }

    /// Ends a chunk: its matches per filter.
    public func complete(_ prepared: inout PreparedChunk) {
        let filters = pipeline.filterSet.filters
        for (index, count) in pipeline.matches.enumerated() where count > 0 {
            prepared.matches.append((filters[index].filterName, count))
        }
        pipeline.resetCounts()
    }

    /// Matches every line of `chunk` (whole lines, each ending in `\n` but perhaps the last).
    /// - Parameters:
    ///   - firstLine: the number of the chunk's first line in its input; `offset`: its byte offset.
    ///   - now: the wall clock, for the plausibility of event times.
    public func prepare(
        _ chunk: UnsafeRawBufferPointer, input: String, firstLine: Int, offset: Int, now: Timestamp, run: LiveRun,
        maxLineLength: Int
    ) -> PreparedChunk {
        var prepared = begin(input: input, run: run)
        var start = 0
        var number = firstLine
        guard let base = chunk.baseAddress else { return prepared }
        while start < chunk.count {
            let end = memchr(base + start, 0x0A, chunk.count - start).map { base.distance(to: UnsafeRawPointer($0)) } ?? chunk.count
            defer {
                start = end + 1
                number += 1
            }
            var length = end - start
            if length > 0, chunk[end - 1] == 0x0D { length -= 1 }  // CRLF, as in files
            if length > maxLineLength {
                prepared.oversized += 1
                continue
            }
            let line = UnsafeRawBufferPointer(rebasing: chunk[start..<start + length])
            if line.first != UInt8(ascii: "{"), line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }  // blank lines keep their number
            add(line, source: EventReference(input: input, line: number, offset: offset + start), now: now, to: &prepared)
        }
        complete(&prepared)
        return prepared
    }
}

/// One chunk's events, matched, for the engine.
public struct PreparedChunk: Sendable {
    public var input: String
    public var generation: Int
    public var events = 0
    public var malformed = 0
    public var oversized = 0
    public var implausible = 0
    public var records: [PreparedEvent] = []
    /// Matches per filter name (those with any).
    public var matches: [(filter: String, count: Int)] = []
    /// The greatest event time among the chunk's events so far.
    var latest: Timestamp?

    public init(input: String, generation: Int) {
        self.input = input
        self.generation = generation
    }
}

/// One event that can move the alarms: its time (nil: to be taken as read now, or as the latest time)
/// and its datapoints, stamped with that time (or a stand-in when it is nil).
public struct PreparedEvent: Sendable {
    public var time: Timestamp?
    public var datapoints: [Datapoint]
    public var evidence: EventEvidence?
}
