import Foundation

/// Loads configs from files and directories into one checked ``Configuration``.
///
/// Every file is read and every problem collected before anything is used, so a bad config
/// never half-loads: either `problems` has no errors and `configuration` is complete, or the
/// caller refuses it.
public struct ConfigLoader {
    public var parameters: [String: String]

    public init(parameters: [String: String] = [:]) {
        self.parameters = parameters
    }

    /// The outcome of loading: the configuration and every problem found, errors and warnings.
    public struct Result: Sendable {
        public var configuration: Configuration
        public var problems: ProblemList
    }

    /// Reads `paths` (files, or directories read recursively in name order) and checks the result.
    public func load(_ paths: [String]) -> Result {
        var problems = ProblemList()
        var merged = Configuration()
        for file in Self.expand(paths, problems: &problems) {
            guard let (configuration, fileProblems) = loadFile(file.path, explicit: file.explicit) else { continue }
            problems.append(contentsOf: fileProblems)
            merged.files.append(file.path)
            merged.metricFilters += configuration.metricFilters
            merged.metricAlarms += configuration.metricAlarms
            merged.compositeAlarms += configuration.compositeAlarms
            merged.destinations += configuration.destinations
            merged.ignoredResources += configuration.ignoredResources
        }
        if merged.files.isEmpty, !problems.hasErrors {
            problems.error(
                at: SourceLocation(file: paths.first ?? ".", line: 1, column: 1), "", "no config files were found",
                fix: "pass a .yaml, .yml or .json file, or a folder holding some")
        }
        var validator = ConfigValidator(configuration: merged)
        validator.validate()
        problems.append(contentsOf: validator.problems)
        return Result(configuration: validator.configuration, problems: problems)
    }

    /// Lists the files behind `paths`: directories recursively, config extensions only, test files skipped.
    static func expand(_ paths: [String], problems: inout ProblemList) -> [(path: String, explicit: Bool)] {
        var files: [(path: String, explicit: Bool)] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.error(at: SourceLocation(file: path, line: 1, column: 1), "", "the config '\(path)' does not exist", fix: "check the path given to --config")
                continue
            }
            guard isDirectory.boolValue else {
                files.append((path, true))
                continue
            }
            let prefix = path.hasSuffix("/") ? String(path.dropLast()) : path
            var found: [String] = []
            if let enumerator = manager.enumerator(atPath: (path as NSString).resolvingSymlinksInPath) {
                for case let relative as String in enumerator {
                    let name = (relative as NSString).lastPathComponent
                    if name.hasPrefix(".") {
                        enumerator.skipDescendants()
                        continue
                    }
                    let full = prefix + "/" + relative
                    var childIsDirectory: ObjCBool = false
                    guard ["yaml", "yml", "json"].contains((name as NSString).pathExtension.lowercased()), !isTestFile(name),
                        manager.fileExists(atPath: full, isDirectory: &childIsDirectory), !childIsDirectory.boolValue
                    else { continue }
                    found.append(full)
                }
            }
            files += found.sorted().map { ($0, false) }
        }
        return files
    }

    static func isTestFile(_ name: String) -> Bool {
        name == "tests.yaml" || name == "tests.yml" || name.hasSuffix(".tests.yaml") || name.hasSuffix(".tests.yml")
    }

    /// Reads one file; nil when it is a test file met while walking a directory.
    func loadFile(_ path: String, explicit: Bool) -> (Configuration, ProblemList)? {
        var problems = ProblemList()
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.error(at: start, "", "cannot read the config '\(path)'", fix: "check its permissions")
            return (Configuration(), problems)
        }
        guard data.count <= YAMLReader.maxFileSize else {
            problems.error(at: start, "", "the config is \(data.count) bytes, over the limit of \(YAMLReader.maxFileSize)", fix: "split it into several files")
            return (Configuration(), problems)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            problems.error(at: start, "", "the config is not UTF-8 text", fix: "save it as UTF-8")
            return (Configuration(), problems)
        }
        let root: ConfigNode?
        do {
            root = try YAMLReader.read(text, file: path)
        } catch {
            problems.error(at: error.location, "", error.message, fix: error.fix)
            return (Configuration(), problems)
        }
        guard let root else {
            problems.warning(at: start, "", "the config is empty")
            return (Configuration(), problems)
        }
        guard let members = root.members else {
            problems.error(root, "", "expected a mapping at the top of the file, found \(root.kindName)", fix: "a Tripline file starts with metricFilters:, MetricAlarms:, CompositeAlarms: or Destinations:")
            return (Configuration(), problems)
        }
        let keys = Set(members.map(\.key))
        if keys.contains("Resources") || keys.contains("AWSTemplateFormatVersion") {
            var decoder = CloudFormationDecoder(overrides: parameters)
            decoder.decode(root)
            problems.append(contentsOf: decoder.problems)
            return (decoder.configuration, problems)
        }
        if keys.contains("Tests") {
            guard explicit else { return nil }
            problems.error(root, "", "this is a test file, not a config", fix: "run it with: tripline test \(path)")
            return (Configuration(), problems)
        }
        guard !keys.isDisjoint(with: TriplineFileDecoder.topLevelKeys) else {
            problems.error(
                root, "", "this file is not a Tripline config, a describe-* output or a CloudFormation template",
                fix: "expected one of metricFilters, MetricAlarms, CompositeAlarms, Destinations or Resources at the top")
            return (Configuration(), problems)
        }
        let substitution = ParameterSubstitution(root: root, overrides: parameters, problems: &problems)
        let substituted = substitution.apply(root, path: "", problems: &problems)
        var decoder = TriplineFileDecoder()
        decoder.decode(substituted)
        problems.append(contentsOf: decoder.problems)
        return (decoder.configuration, problems)
    }
}
