import Testing
@testable import Alarms

/// Values read from hostile events (`1e999` parses to infinity) must not trap the percentile sketch.
@Suite struct PercentileSketchExtremesTests {
    @Test(arguments: [Double.infinity, -Double.infinity, Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude])
    func extremeValuesAreCountedNotFatal(_ extreme: Double) {
        var sketch = PercentileSketch()
        for value in [1.0, 2.0, 3.0] { sketch.add(value) }
        sketch.add(extreme)
        #expect(sketch.count == 4)
        // The extreme value sits at its end of the distribution. (The small values are then merged by
        // the sketch's bounded collapsing, as documented: more than 17 orders of magnitude in a period.)
        let top = sketch.quantile(1)
        let bottom = sketch.quantile(0)
        #expect(extreme > 0 ? top == extreme : bottom == extreme)
    }

    @Test func nanIsIgnored() {
        var sketch = PercentileSketch()
        sketch.add(.nan)
        #expect(sketch.count == 0)
        #expect(sketch.quantile(0.5) == nil)
    }
}
