import EventScan
import PropertyBased
import Testing

/// The validation pass that also records the root's members (what `count` uses to read each line
/// once) agrees with plain validation, and on valid lines with the lenient member walk.
struct RecordingValidationTests {
    struct Collect: TopLevelMemberRecorder {
        var members: [(name: JSONNode, value: JSONNode)] = []
        mutating func record(name: JSONNode, value: JSONNode) { members.append((name, value)) }
    }

    /// Validates `document` both ways and, when valid, compares the recorded members with the walk.
    static func check(_ document: [UInt8], label: String) {
        withView(document) { view in
            var recorder = Collect()
            let valid = view.isValidObjectDocument(recordingTopLevelInto: &recorder)
            #expect(valid == view.isValidObjectDocument(), "\(label): validity differs")
            guard valid, let root = view.root() else { return }
            var walked: [(name: JSONNode, value: JSONNode)] = []
            let complete = view.forEachMember(of: root) { name, value in
                walked.append((name, value))
                return true
            }
            #expect(complete, "\(label): the walk stopped on a valid line")
            #expect(walked.count == recorder.members.count, "\(label): member counts differ")
            for (a, b) in zip(walked, recorder.members) {
                #expect(a.name == b.name && a.value == b.value, "\(label): \(a) vs \(b)")
            }
        }
    }

    @Test func randomDocuments() async {
        await propertyCheck(count: 3_000, input: Gen.uint64()) { seed in
            Self.check(RandomJSON.document(seed: seed), label: "seed \(seed)")
        }
    }

    @Test func cloudTrailSampleLines() throws {
        for (index, line) in try SampleData.lines().enumerated() { Self.check(line, label: "sample line \(index)") }
    }

    @Test(arguments: [
        #"{}"#, #" { } "#, #"{"a":1}"#, #"{"a":"x\"y","b\u0041":[1,{"c":2}],"d":{},"e":[],"f":true,"g":false,"h":null}"#,
        #"{"a":-0.5e+3 , "a" : "dup" }"#, #"{"nested":{"a":{"b":{"c":[[[]]]}}},"z":"\u00e9"}"#,
    ])
    func handPickedDocuments(_ json: String) {
        Self.check(Array(json.utf8), label: json)
    }

    @Test func invalidLineRecordsAtMostWhatItRead() {
        withView(#"{"a":1,"b":[1,}"#) { view in
            var recorder = Collect()
            #expect(!view.isValidObjectDocument(recordingTopLevelInto: &recorder))
            #expect(recorder.members.count == 1)
        }
    }
}
