import EventScan
import PropertyBased
import Testing
import TriplineTestSupport

func parse(_ text: String) -> Double? {
    Array(text.utf8).withUnsafeBytes { parseDecimal($0) }
}

struct DecimalTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var expected: Double?
        var testDescription: String { text.isEmpty ? "(empty)" : text }
    }

    static let cases: [Case] = [
        Case(text: "0", expected: 0),
        Case(text: "-0", expected: -0.0),
        Case(text: "+0", expected: 0),
        Case(text: "1e+3", expected: 1000),
        Case(text: "10e-3", expected: 0.01),
        Case(text: "+1000", expected: 1000),
        Case(text: "55.5", expected: 55.5),
        Case(text: "-1.5E3", expected: -1500),
        Case(text: "0.1", expected: 0.1),
        Case(text: "0.000001", expected: 0.000001),
        Case(text: "007", expected: 7),
        Case(text: "12345678901234567", expected: 12_345_678_901_234_568),
        Case(text: "1.2345678901234567", expected: 1.2345678901234567),
        Case(text: "9007199254740993", expected: 9_007_199_254_740_992),
        Case(text: "18446744073709551615", expected: 1.8446744073709552e19),
        Case(text: "0.30000000000000004441", expected: 0.30000000000000004),
        Case(text: "123e30", expected: 123e30),
        Case(text: "1.7976931348623157e308", expected: .greatestFiniteMagnitude),
        Case(text: "4.9e-324", expected: .leastNonzeroMagnitude),
        // Out of range follows Double(String): overflow is infinity, underflow is zero.
        Case(text: "1e400", expected: .infinity),
        Case(text: "-1e400", expected: -.infinity),
        Case(text: "1e-400", expected: 0),
        Case(text: "0e99999999999", expected: 0),
        // Not numbers.
        Case(text: "", expected: nil),
        Case(text: "+", expected: nil),
        Case(text: "-", expected: nil),
        Case(text: "1.", expected: nil),
        Case(text: ".5", expected: nil),
        Case(text: "1e", expected: nil),
        Case(text: "1e+", expected: nil),
        Case(text: "--1", expected: nil),
        Case(text: "1..2", expected: nil),
        Case(text: " 1", expected: nil),
        Case(text: "1 ", expected: nil),
        Case(text: "0x10", expected: nil),
        Case(text: "inf", expected: nil),
        Case(text: "nan", expected: nil),
        Case(text: "NaN", expected: nil),
        Case(text: "1_000", expected: nil),
    ]

    @Test(arguments: cases)
    func parsesDecimal(_ testCase: Case) {
        let value = parse(testCase.text)
        #expect(value?.bitPattern == testCase.expected?.bitPattern, "got \(String(describing: value))")
    }

    @Test func doubleValueOnlyForNumbers() {
        withView(#"{"n":-2.5e1,"s":"12","t":true}"#) { view in
            #expect(view.lookup([.key("n")]).flatMap(view.doubleValue) == -25)
            #expect(view.lookup([.key("s")]).flatMap(view.doubleValue) == nil)
            #expect(view.lookup([.key("t")]).flatMap(view.doubleValue) == nil)
        }
    }

    /// Random decimal text, built from a seed: sign, 1–25 digits, fraction, exponent within ±350.
    static func randomDecimal(seed: UInt64) -> String {
        var random = SplitMix64(state: seed)
        var text = random.pick(["", "", "-", "+"])
        text += RandomJSON.digits(1...25, &random)
        if random.chance(50) { text += "." + RandomJSON.digits(1...25, &random) }
        if random.chance(50) {
            let exponent =
                random.chance(70)
                ? Int.random(in: -30...30, using: &random) : Int.random(in: -350...350, using: &random)
            text += random.pick(["e", "E"]) + (exponent >= 0 ? random.pick(["", "+"]) : "") + String(exponent)
        }
        return text
    }

    @Test func agreesWithDoubleFromString() async {
        await propertyCheck(count: 5_000, input: Gen.uint64()) { seed in
            let text = Self.randomDecimal(seed: seed)
            let ours = parse(text)
            let reference = Double(text)
            #expect(ours != nil, "\(text) should parse")
            #expect(
                ours?.bitPattern == reference?.bitPattern,
                "\(text): \(String(describing: ours)) vs \(String(describing: reference))")
        }
    }

    @Test func agreesOnShortFastPathNumbers() async {
        await propertyCheck(count: 5_000, input: Gen.int64(in: -9_999_999...9_999_999), Gen.int(in: -40...40)) {
            mantissa, exponent in
            let text = "\(mantissa)e\(exponent)"
            #expect(parse(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
        }
    }
}
