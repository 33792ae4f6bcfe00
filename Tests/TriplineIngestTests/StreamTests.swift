import Foundation
import Synchronization
import Testing
import TriplineCore
@testable import TriplineIngest

/// `IngestRunner.stream` delivers every unit once, in plan order, with the line bases of `run`,
/// whatever the threads, the window and however slow the delivery is (it runs outside the lock
/// while other threads keep reading).
struct StreamTests {
    @Test(arguments: [(1, 1), (2, 1), (2, 3), (3, 2), (4, 8)])
    func deliversInPlanOrder(threads: Int, window: Int) throws {
        let dir = IngestTestSupport.temporaryDirectory()
        let bytes = FramingTests.text((0..<3_000).map { $0 % 97 })
        let path = try IngestTestSupport.write(bytes, "stream.ndjson", in: dir)
        let input = Input(name: path, source: .file(path: path, size: bytes.count))
        let ranges = WorkPlan.lineAlignedRanges(path: path, size: bytes.count, count: 24)
        let plan = WorkPlan(units: ranges.map { WorkUnit(inputIndex: 0, input: input, range: $0) })
        let expected = IngestRunner.run(plan, threads: 1) { CollectingWorker() }

        let delivered = Mutex<[(index: Int, lineBase: Int, events: [Event])]>([])
        let calls = Atomic<Int>(0)
        let concurrent = Atomic<Int>(0)
        IngestRunner.stream(plan, threads: threads, window: window) { CollectingWorker() } deliver: { result in
            // Deliveries never overlap, even though they run outside the lock.
            #expect(concurrent.add(1, ordering: .sequentiallyConsistent).newValue == 1)
            if calls.add(1, ordering: .relaxed).newValue % 3 == 0 {
                // A slow merge now and then (work, not sleep), so other threads finish units meanwhile.
                var sum = 0
                for _ in 0..<200 { for event in result.output { sum &+= event.bytes.count } }
                #expect(sum >= 0)
            }
            let index = ranges.firstIndex { $0 == result.unit.range } ?? -1
            delivered.withLock { $0.append((index, result.lineBase, result.output)) }
            concurrent.subtract(1, ordering: .sequentiallyConsistent)
        }
        let got = delivered.withLock { $0 }
        #expect(got.map(\.index) == Array(ranges.indices))
        #expect(got.map(\.lineBase) == expected.map(\.lineBase))
        #expect(got.map(\.events) == expected.map(\.output))
    }
}
