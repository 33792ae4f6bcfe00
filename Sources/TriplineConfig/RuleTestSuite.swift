import Foundation
import MetricFilters

/// A `tests.yaml` file: events with the filters that must and must not match each.
public struct RuleTestSuite: Sendable {
    public struct Case: Sendable {
        public var name: String
        /// The events of the case: one inline event, or every line of `EventsFile`.
        public var events: [[UInt8]]
        public var matches: [String]
        public var doesNotMatch: [String]
        public var location: SourceLocation
    }

    /// A timed sequence of events and the alarm transitions it must cause, in order.
    public struct AlarmCase: Sendable {
        public struct Expected: Sendable, Hashable {
            public var alarm: String
            public var state: String
            /// The transition's StateChangeTime, when the test pins it.
            public var at: String?
        }

        public var name: String
        /// Events in read order, each with its event time (`At` rewrites the record's `eventTime`).
        public var events: [[UInt8]]
        /// Every transition of the alarms named here, in order; other alarms are not checked.
        public var expected: [Expected]
        public var location: SourceLocation
    }

    public var file: String
    /// The configs the tests run against, resolved against the test file's folder.
    public var configPaths: [String]
    public var parameters: [String: String]
    public var cases: [Case]
    public var alarmCases: [AlarmCase] = []

    /// Reads a test file; problems are returned rather than thrown so all are reported.
    public static func read(_ path: String) -> (RuleTestSuite?, ProblemList) {
        var problems = ProblemList()
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            problems.error(at: start, "", "cannot read the test file '\(path)'", fix: "check the path and that it is UTF-8 text")
            return (nil, problems)
        }
        let root: ConfigNode?
        do {
            root = try YAMLReader.read(text, file: path)
        } catch {
            problems.error(at: error.location, "", error.message, fix: error.fix)
            return (nil, problems)
        }
        guard let root else {
            problems.error(at: start, "", "the test file is empty", fix: "add Tests:")
            return (nil, problems)
        }
        var reader = ObjectReader(root, path: "", problems: &problems)
        guard reader.isMapping else { return (nil, problems) }
        let folder = (path as NSString).deletingLastPathComponent
        let resolve = { (relative: String) -> String in
            relative.hasPrefix("/") ? relative : (folder.isEmpty ? relative : folder + "/" + relative)
        }
        var configs = reader.stringList("Config", problems: &problems).map { resolve($0.0) }
        if configs.isEmpty { configs = [folder.isEmpty ? "." : folder] }
        var parameters: [String: String] = [:]
        if let node = reader.value("Parameters") {
            for member in node.members ?? [] {
                if let value = member.value.text { parameters[member.key] = value } else {
                    problems.error(member.value, "Parameters.\(member.key)", "expected a text value", fix: "write Name: value")
                }
            }
        }
        var cases: [Case] = []
        if let list = reader.value("Tests"), case .sequence(let items, _, _) = list {
            for (index, item) in items.enumerated() {
                if let testCase = readCase(item, path: "Tests[\(index)]", resolve: resolve, problems: &problems) { cases.append(testCase) }
            }
        } else if reader.value("AlarmTests") == nil {
            problems.error(root, "Tests", "a test file needs a Tests or AlarmTests list", fix: "add Tests: with Name, Event and Matches / DoesNotMatch")
        }
        var alarmCases: [AlarmCase] = []
        if let list = reader.value("AlarmTests") {
            if case .sequence(let items, _, _) = list {
                for (index, item) in items.enumerated() {
                    if let alarmCase = readAlarmCase(item, path: "AlarmTests[\(index)]", problems: &problems) { alarmCases.append(alarmCase) }
                }
            } else {
                problems.error(list, "AlarmTests", "expected a list of alarm tests", fix: "write one '- ' entry with Name, Events and Transitions")
            }
        }
        reader.reportUnknownKeys(problems: &problems)
        var suite = RuleTestSuite(file: path, configPaths: configs, parameters: parameters, cases: cases)
        suite.alarmCases = alarmCases
        return (suite, problems)
    }

    private static func readCase(_ node: ConfigNode, path: String, resolve: (String) -> String, problems: inout ProblemList) -> Case? {
        var reader = ObjectReader(node, path: path, problems: &problems)
        guard reader.isMapping else { return nil }
        let name = reader.string("Name", required: true, problems: &problems) ?? path
        var events: [[UInt8]] = []
        if let event = reader.string("Event", problems: &problems) { events.append(Array(event.utf8)) }
        if let file = reader.string("EventsFile", problems: &problems) {
            if let data = FileManager.default.contents(atPath: resolve(file)) {
                events += data.split(separator: UInt8(ascii: "\n")).map { Array($0) }
            } else {
                problems.error(reader.value("EventsFile") ?? node, "\(path).EventsFile", "cannot read '\(file)'", fix: "give a path relative to the test file")
            }
        }
        if events.isEmpty {
            problems.error(node, path, "the test has no event", fix: "add Event: '<one CloudTrail record>' or EventsFile: path")
        }
        let matches = reader.stringList("Matches", problems: &problems).map(\.0)
        let doesNotMatch = reader.stringList("DoesNotMatch", problems: &problems).map(\.0)
        if matches.isEmpty, doesNotMatch.isEmpty {
            problems.error(node, path, "the test expects nothing", fix: "add Matches: [filter] or DoesNotMatch: [filter]")
        }
        reader.reportUnknownKeys(problems: &problems)
        return Case(name: name, events: events, matches: matches, doesNotMatch: doesNotMatch, location: node.location)
    }

    private static func readAlarmCase(_ node: ConfigNode, path: String, problems: inout ProblemList) -> AlarmCase? {
        var reader = ObjectReader(node, path: path, problems: &problems)
        guard reader.isMapping else { return nil }
        let name = reader.string("Name", required: true, problems: &problems) ?? path
        var events: [[UInt8]] = []
        if let list = reader.value("Events"), case .sequence(let items, _, _) = list {
            for (index, item) in items.enumerated() {
                var event = ObjectReader(item, path: "\(path).Events[\(index)]", problems: &problems)
                guard event.isMapping else { continue }
                guard let text = event.string("Event", required: true, problems: &problems) else { continue }
                var bytes = text
                if let at = event.string("At", problems: &problems) {
                    if let range = bytes.range(of: #""eventTime":"[^"]*""#, options: .regularExpression) {
                        bytes.replaceSubrange(range, with: "\"eventTime\":\"\(at)\"")
                    } else {
                        problems.error(item, "\(path).Events[\(index)].At", "the event has no eventTime to set", fix: "add \"eventTime\" to the event")
                    }
                }
                event.reportUnknownKeys(problems: &problems)
                events.append(Array(bytes.utf8))
            }
        } else {
            problems.error(node, "\(path).Events", "an alarm test needs a list of Events", fix: "add Events: [{At: 2024-01-01T00:01:00Z, Event: '{...}'}]")
        }
        var expected: [AlarmCase.Expected] = []
        if let list = reader.value("Transitions"), case .sequence(let items, _, _) = list {
            for (index, item) in items.enumerated() {
                var transition = ObjectReader(item, path: "\(path).Transitions[\(index)]", problems: &problems)
                guard transition.isMapping else { continue }
                let alarm = transition.string("Alarm", required: true, problems: &problems)
                let state = transition.string("State", required: true, problems: &problems)
                let at = transition.string("At", problems: &problems)
                transition.reportUnknownKeys(problems: &problems)
                if let alarm, let state { expected.append(AlarmCase.Expected(alarm: alarm, state: state, at: at)) }
            }
        } else {
            problems.error(node, "\(path).Transitions", "an alarm test needs the Transitions it expects", fix: "add Transitions: [{Alarm: name, State: ALARM, At: time}]")
        }
        reader.reportUnknownKeys(problems: &problems)
        return AlarmCase(name: name, events: events, expected: expected, location: node.location)
    }

    /// Every test file under `paths` (directories recursively, in name order).
    public static func discover(_ paths: [String]) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                files.append(path)
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let prefix = path.hasSuffix("/") ? String(path.dropLast()) : path
            let found = (FileManager.default.enumerator(atPath: (path as NSString).resolvingSymlinksInPath)?.allObjects as? [String] ?? [])
                .filter { ConfigLoader.isTestFile(($0 as NSString).lastPathComponent) }
                .map { prefix + "/" + $0 }
            files += found.sorted()
        }
        return files
    }
}
