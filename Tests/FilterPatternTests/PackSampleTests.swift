import FilterPattern
import Foundation
import Testing

/// The sample events of the shipped packs' sources match and fail to match exactly as listed.
struct PackSampleTests {
    struct Sample: CustomTestStringConvertible, Sendable {
        var filter: String
        var pattern: String
        var event: String
        var expected: Bool
        var index: Int
        var testDescription: String { "\(filter) \(expected ? "match" : "non-match") #\(index)" }
    }

    static func load() -> [Sample] {
        var samples: [Sample] = []
        for pack in ["cis.json", "cloudtrail-protection.json"] {
            let url = Paths.shared.appendingPathComponent("specs/packs/\(pack)")
            guard let data = try? Data(contentsOf: url),
                let filters = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
            else { continue }
            for filter in filters {
                let id = filter["id"] as? String ?? "?"
                var patterns = [(id, filter["pattern"] as? String ?? "", nil as [String: [Bool]]?)]
                for (number, variant) in (filter["variants"] as? [[String: Any]] ?? []).enumerated() {
                    patterns.append(
                        ("\(id) variant \(number + 1)", variant["pattern"] as? String ?? "",
                         variant["computedResults"] as? [String: [Bool]]))
                }
                for (name, pattern, computed) in patterns {
                    for key in ["matchEvents", "nonMatchEvents"] {
                        for (index, event) in (filter[key] as? [String] ?? []).enumerated() {
                            let expected = computed?[key]?[index] ?? (key == "matchEvents")
                            samples.append(Sample(filter: name, pattern: pattern, event: event, expected: expected, index: index))
                        }
                    }
                }
            }
        }
        return samples
    }

    static let samples = load()

    @Test func packsAreFound() {
        #expect(Self.samples.count > 100, "expected the pack samples under \(Paths.shared.path)/specs/packs")
    }

    @Test(arguments: samples)
    func sample(_ sample: Sample) throws {
        let pattern = try CompiledPattern(sample.pattern)
        #expect(matches(pattern, sample.event) == sample.expected)
        if sample.expected {
            #expect(passesPrefilter(pattern, sample.event), "the prefilter rejected a matching event")
        }
    }
}
