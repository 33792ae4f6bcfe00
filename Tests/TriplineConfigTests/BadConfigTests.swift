import Foundation
import Testing
import TriplineConfig
import TriplineTestSupport

/// Bad configs never crash and never half-load: each gets a problem at its spot.
struct BadConfigTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var files: [String: String]
        /// Text every expected problem line contains: `file:line:col: error: Path: message`.
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "yaml syntax error", files: ["a.yaml": "metricFilters:\n  - filterName: x\n   bad: [\n"], expected: ["a.yaml:", "error: YAML syntax error"]),
        Case(name: "wrong type", files: ["a.yaml": validFilter + "\n" + alarm().replacingOccurrences(of: "Period: 300", with: "Period: five")],
             expected: ["a.yaml:11:13: error: MetricAlarms[0].Period: expected a whole number, found 'five'"]),
        Case(name: "duplicate filter names", files: ["a.yaml": validFilter, "b.yaml": validFilter],
             expected: ["b.yaml:2:5: error: metricFilters[0].filterName: the filter name 'root-usage' is already defined at"]),
        Case(name: "pattern over 1024 characters",
             files: ["a.yaml": validFilter.replacingOccurrences(of: "\"Root\"", with: "\"" + String(repeating: "R", count: 1100) + "\"")],
             expected: ["error: metricFilters[0].filterPattern: the pattern is longer than CloudWatch's limit of 1024 characters"]),
        Case(name: "regex over quota",
             files: ["a.yaml": validFilter.replacingOccurrences(of: "$.userIdentity.type = \"Root\"", with: "$.a = %a% && $.b = %b% && $.c = %c%")],
             expected: ["a.yaml:3:55: error: metricFilters[0].filterPattern: a pattern may hold at most 2 regular expressions", "^^^"]),
        Case(name: "datapoints above evaluation periods",
             files: ["a.yaml": validFilter + "\n" + alarm("DatapointsToAlarm: 3")],
             expected: ["error: MetricAlarms[0].DatapointsToAlarm: DatapointsToAlarm must be between 1 and EvaluationPeriods (1), not 3"]),
        Case(name: "period not a multiple of 60",
             files: ["a.yaml": validFilter + "\n" + alarm().replacingOccurrences(of: "Period: 300", with: "Period: 90")],
             expected: ["error: MetricAlarms[0].Period: CloudWatch accepts periods of 10, 20, 30 or a multiple of 60 seconds, not 90"]),
        Case(name: "negative period",
             files: ["a.yaml": validFilter + "\n" + alarm().replacingOccurrences(of: "Period: 300", with: "Period: -60")],
             expected: ["error: MetricAlarms[0].Period: Period must be a positive whole number of seconds"]),
        Case(name: "unknown key with did-you-mean",
             files: ["a.yaml": validFilter + "\n" + alarm("EvaluationPeriod: 2")],
             expected: ["error: MetricAlarms[0].EvaluationPeriod: unknown key 'EvaluationPeriod'", "fix: did you mean 'EvaluationPeriods'?"]),
        Case(name: "action without destination",
             files: ["a.yaml": validFilter + "\n" + alarm().replacingOccurrences(of: "[alerts]", with: "[arn:aws:sns:us-east-1:1:x]")],
             expected: ["error: MetricAlarms[0].AlarmActions[0]: the action 'arn:aws:sns:us-east-1:1:x' maps to no destination"]),
        Case(name: "composite names unknown alarm and forms a cycle",
             files: ["a.yaml": validFilter + "\n" + alarm() + """

                 CompositeAlarms:
                   - AlarmName: a
                     AlarmRule: ALARM(b) AND ALARM(root-usag)
                   - AlarmName: b
                     AlarmRule: ALARM(a)
                 """],
             expected: ["the rule names the alarm 'root-usag', which is not defined", "did you mean 'root-usage'?",
                        "the composite alarm 'a' depends on itself through its rule"]),
        Case(name: "alarm rule syntax", files: ["a.yaml": "CompositeAlarms:\n  - AlarmName: c\n    AlarmRule: ALARM(x) AND\n"],
             expected: ["a.yaml:3:28: error: CompositeAlarms[0].AlarmRule: invalid alarm rule: expected ALARM(...)"]),
        Case(name: "cloudformation function tripline cannot resolve",
             files: ["t.yaml": """
                 Resources:
                   Alarm:
                     Type: AWS::CloudWatch::Alarm
                     Properties:
                       MetricName: M
                       Namespace: N
                       Statistic: Sum
                       Period: 60
                       EvaluationPeriods: 1
                       Threshold: 1
                       ComparisonOperator: GreaterThanThreshold
                       AlarmActions: [!ImportValue shared-topic]
                 """],
             expected: ["t.yaml:12:22: error: Resources.Alarm: resource Alarm: Fn::ImportValue cannot be resolved offline"]),
        Case(name: "not a config at all", files: ["a.json": #"{"name": "something else"}"#],
             expected: ["a.json:1:1: error: this file is not a Tripline config, a describe-* output or a CloudFormation template"]),
        Case(name: "a list at the top", files: ["a.yaml": "- 1\n- 2\n"], expected: ["error: expected a mapping at the top of the file, found a list"]),
        Case(name: "duplicate yaml keys", files: ["a.yaml": "metricFilters: []\nmetricFilters: []\n"], expected: ["appears twice in one mapping"]),
        // Keys are text: a quoted and a plain spelling of one key are the same key.
        Case(name: "duplicate yaml keys, one quoted", files: ["a.yaml": "Destinations:\n  1: {Type: stdout}\n  \"1\": {Type: stdout}\n"],
             expected: ["the key '1' appears twice in one mapping"]),
        Case(name: "yaml alias bomb", files: ["a.yaml": (["a: &a [x, x, x, x, x, x, x, x, x, x]"] + (1...8).map { "\(Character(UnicodeScalar(97 + $0)!)): &\(Character(UnicodeScalar(97 + $0)!)) [" + Array(repeating: "*\(Character(UnicodeScalar(96 + $0)!))", count: 10).joined(separator: ", ") + "]" }).joined(separator: "\n") + "\n"],
             expected: ["a.yaml:", "error: the document holds more than"]),
        Case(name: "unknown parameter", files: ["a.yaml": "Destinations:\n  a: {Type: stdout, Arns: ['${Topic}']}\n"],
             expected: ["error: Destinations.a.Arns[0]: the parameter 'Topic' has no value", "--parameter Topic=VALUE"]),
        Case(name: "metric value not a number or reference",
             files: ["a.yaml": validFilter.replacingOccurrences(of: "metricValue: \"1\"", with: "metricValue: one")],
             expected: ["error: metricFilters[0].metricTransformations[0].metricValue: 'one' is neither a number nor a $ field reference"]),
        Case(name: "dimensions with a default value",
             files: ["a.yaml": validFilter.replacingOccurrences(of: "metricValue: \"1\"}", with: "metricValue: \"1\", defaultValue: 0, dimensions: {Type: $.userIdentity.type}}")],
             expected: ["defaultValue: a default value cannot be combined with dimensions"]),
        Case(name: "deeply nested yaml", files: ["a.yaml": "metricFilters: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)],
             expected: ["a.yaml:"]),
    ]

    @Test(arguments: cases)
    func reportsProblem(_ testCase: Case) {
        let fixture = ConfigFixture()
        defer { fixture.remove() }
        for (name, text) in testCase.files { fixture.write(name, text) }
        let result = fixture.load(testCase.files.keys.sorted())
        let rendered = fixture.render(result)
        #expect(result.problems.hasErrors, "no error for \(testCase.name)")
        for text in testCase.expected {
            #expect(rendered.contains(text), "expected '\(text)' in:\n\(rendered)")
        }
        // Never half-loaded: a config with errors compiles no filters the caller could use.
        if result.problems.hasErrors { #expect(!result.problems.errors.isEmpty) }
    }

    @Test func renderedProblemsMatchGoldenFile() throws {
        var rendered = ""
        for testCase in Self.cases where testCase.name != "deeply nested yaml" && testCase.name != "yaml syntax error" {
            let fixture = ConfigFixture()
            for (name, text) in testCase.files { fixture.write(name, text) }
            rendered += "=== \(testCase.name)\n" + fixture.render(fixture.load(testCase.files.keys.sorted())) + "\n"
            fixture.remove()
        }
        if let problem = compareWithSnapshot(rendered, named: "config-problems.txt", in: Repository.snapshots) {
            Issue.record(Comment(rawValue: problem))
        }
    }
}
