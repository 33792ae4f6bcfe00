import Foundation
import TriplineCore
import TriplineRuntime

/// Events that readers deliver one at a time (stdin, files, followed files), matched into one chunk
/// and handed to the run together: one lock and one count update per batch instead of per event.
///
/// The reader flushes whenever it has delivered what one read gave (before a read that may wait on
/// a pipe) and at the end of each poll, so a quiet input's event reaches the engine at once; a busy
/// one is flushed every ``limit`` events. Owned by one reader thread.
final class EventBatch {
    /// The most events held before they go to the engine.
    let limit = 1_024
    private let live: LiveRun
    private let matcher: LiveMatcher
    /// The batch; meaningful only while `holding` (kept, not optional, so it is mutated in place).
    private var pending = PreparedChunk(input: "", generation: 0)
    private var holding = false
    /// The wall clock when the batch began, for the plausibility of its event times.
    private var started = Timestamp(milliseconds: 0)

    init(live: LiveRun) {
        self.live = live
        self.matcher = LiveMatcher(live)
    }

    /// Matches one event into the batch (a chunk holds one input's events).
    func add(_ line: UnsafeRawBufferPointer, _ source: EventReference) {
        if holding, pending.input != source.input { flush() }
        if !holding {
            started = Clocks.now()
            pending = matcher.begin(input: source.input, run: live)
            holding = true
        }
        matcher.add(line, source: source, now: started, to: &pending)
        if pending.events >= limit { flush() }
    }

    /// Hands the batch to the run's engine.
    func flush() {
        guard holding else { return }
        holding = false
        matcher.complete(&pending)
        live.consume([pending], now: Clocks.now())
        pending = PreparedChunk(input: "", generation: 0)
    }
}
