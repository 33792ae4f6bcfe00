import Foundation
import FilterPattern
import MetricFilters
import TriplineCore

/// Checks what only the whole configuration can tell: compiled patterns and transformations,
/// duplicate names, actions without a destination, composite rules, unused definitions.
struct ConfigValidator {
    var configuration: Configuration
    var problems = ProblemList()

    mutating func validate() {
        compileFilters()
        checkDuplicates()
        checkActions()
        checkComposites()
        checkAlarmMetrics()
    }

    private mutating func compileFilters() {
        var filters: [MetricFilter] = []
        for definition in configuration.metricFilters {
            let compiled: CompiledPattern
            do {
                compiled = try CompiledPattern(definition.filterPattern)
            } catch {
                let diagnostic = error.diagnostic
                let column = definition.patternLocation.column + 1 + Self.characterOffset(diagnostic.span.lowerBound, in: definition.filterPattern)
                let at = SourceLocation(file: definition.patternLocation.file, line: definition.patternLocation.line, column: column)
                let caret = DiagnosticRenderer().render(diagnostic, in: definition.filterPattern, location: "\(at), filter \"\(definition.filterName)\"")
                problems.error(at: at, "\(definition.path).filterPattern", diagnostic.message, fix: diagnostic.fixIt, detail: caret)
                continue
            }
            guard definition.transformations.count == 1, let transformation = definition.transformations.first else {
                problems.error(
                    at: definition.location, "\(definition.path).metricTransformations",
                    "a metric filter has exactly one metric transformation, not \(definition.transformations.count)",
                    fix: "keep one; define another metric filter for another metric")
                continue
            }
            do {
                filters.append(try MetricFilter(filterName: definition.filterName, pattern: compiled, transformation: transformation))
            } catch {
                for problem in error.problems {
                    problems.error(at: definition.location, "\(definition.path).metricTransformations[0].\(problem.field)", problem.message, fix: problem.fix)
                }
            }
        }
        configuration.filters = filters
    }

    private mutating func checkDuplicates() {
        var filterNames: [String: MetricFilterDefinition] = [:]
        for filter in configuration.metricFilters {
            if let first = filterNames[filter.filterName] {
                problems.error(at: filter.location, "\(filter.path).filterName", "the filter name '\(filter.filterName)' is already defined at \(first.location)", fix: "give each metric filter its own name")
            } else {
                filterNames[filter.filterName] = filter
            }
        }
        var alarmNames: [String: SourceLocation] = [:]
        let alarms = configuration.metricAlarms.map { ($0.alarmName, $0.location, $0.path) }
            + configuration.compositeAlarms.map { ($0.alarmName, $0.location, $0.path) }
        for (name, location, path) in alarms {
            if let first = alarmNames[name] {
                problems.error(at: location, "\(path).AlarmName", "the alarm name '\(name)' is already defined at \(first)", fix: "give each alarm its own name")
            } else {
                alarmNames[name] = location
            }
        }
        var destinations: [String: DestinationDefinition] = [:]
        var unique: [DestinationDefinition] = []
        for destination in configuration.destinations {
            if let first = destinations[destination.name] {
                // The same destination declared by two packs is one destination.
                if first.kind != destination.kind || Set(first.arns) != Set(destination.arns) || first.webhook != destination.webhook {
                    problems.error(at: destination.location, destination.path, "the destination '\(destination.name)' is already defined differently at \(first.location)", fix: "rename one of them, or make them identical")
                }
            } else {
                destinations[destination.name] = destination
                unique.append(destination)
            }
        }
        configuration.destinations = unique
    }

    /// Every action must name a destination or one of its ARNs; every destination should be used.
    private mutating func checkActions() {
        var used: Set<String> = []
        func check(_ actions: [ActionReference], _ path: String, _ key: String, into problems: inout ProblemList) {
            for (index, action) in actions.enumerated() {
                if let destination = configuration.destinations.first(where: { $0.name == action.name || $0.arns.contains(action.name) }) {
                    used.insert(destination.name)
                } else {
                    problems.error(
                        at: action.location, "\(path).\(key)[\(index)]", "the action '\(action.name)' maps to no destination",
                        fix: configuration.destinations.isEmpty
                            ? "add a Destinations section, e.g. Destinations: {alerts: {Type: stdout, Arns: [\"\(action.name)\"]}}"
                            : "add it to the Arns of a destination, or use one of: \(configuration.destinations.map(\.name).joined(separator: ", "))")
                }
            }
        }
        for alarm in configuration.metricAlarms {
            check(alarm.alarmActions, alarm.path, "AlarmActions", into: &problems)
            check(alarm.okActions, alarm.path, "OKActions", into: &problems)
            check(alarm.insufficientDataActions, alarm.path, "InsufficientDataActions", into: &problems)
        }
        for alarm in configuration.compositeAlarms {
            check(alarm.alarmActions, alarm.path, "AlarmActions", into: &problems)
            check(alarm.okActions, alarm.path, "OKActions", into: &problems)
            check(alarm.insufficientDataActions, alarm.path, "InsufficientDataActions", into: &problems)
        }
        for destination in configuration.destinations where !used.contains(destination.name) {
            problems.warning(at: destination.location, destination.path, "no alarm sends to the destination '\(destination.name)'", fix: "name it in an alarm's AlarmActions, or remove it")
        }
    }

    /// The name an alarm reference points at: a name, or the name inside an alarm ARN.
    static func alarmName(_ reference: String) -> String {
        if reference.hasPrefix("arn:"), let range = reference.range(of: ":alarm:") {
            return String(reference[range.upperBound...])
        }
        return reference
    }

    private mutating func checkComposites() {
        let names = Set(configuration.metricAlarms.map(\.alarmName) + configuration.compositeAlarms.map(\.alarmName))
        var graph: [String: [String]] = [:]
        for alarm in configuration.compositeAlarms {
            for child in alarm.alarmRule.children where !names.contains(Self.alarmName(child)) {
                problems.error(
                    at: alarm.ruleLocation, "\(alarm.path).AlarmRule", "the rule names the alarm '\(child)', which is not defined",
                    fix: ObjectReader.closest(to: Self.alarmName(child), in: names).map { "did you mean '\($0)'?" } ?? "define it, or remove it from the rule")
            }
            if let suppressor = alarm.actionsSuppressor, !names.contains(Self.alarmName(suppressor)) {
                problems.error(at: alarm.location, "\(alarm.path).ActionsSuppressor", "the suppressor '\(suppressor)' is not a defined alarm", fix: "name an alarm defined in the config")
            }
            graph[alarm.alarmName] = alarm.alarmRule.children.map(Self.alarmName)
        }
        // A cycle would keep the alarms from ever evaluating: report each composite on one.
        for alarm in configuration.compositeAlarms {
            var stack = graph[alarm.alarmName] ?? []
            var seen: Set<String> = []
            while let next = stack.popLast() {
                if next == alarm.alarmName {
                    problems.error(at: alarm.ruleLocation, "\(alarm.path).AlarmRule", "the composite alarm '\(alarm.alarmName)' depends on itself through its rule", fix: "break the cycle, e.g. by setting one rule to FALSE")
                    break
                }
                if seen.insert(next).inserted { stack += graph[next] ?? [] }
            }
        }
    }

    /// Warns about alarms on metrics that no metric filter produces.
    private mutating func checkAlarmMetrics() {
        for alarm in configuration.metricAlarms {
            let produced = configuration.metricFilters.contains { filter in
                filter.transformations.contains { transformation in
                    transformation.metricName == alarm.metricName && transformation.metricNamespace == alarm.namespace
                        && Set(transformation.dimensions.map(\.name)) == Set(alarm.dimensions.map(\.name))
                }
            }
            if !produced {
                problems.warning(
                    at: alarm.location, "\(alarm.path).MetricName",
                    "no metric filter produces \(alarm.namespace)/\(alarm.metricName)\(alarm.dimensions.isEmpty ? "" : " with dimensions \(alarm.dimensions.map(\.name).joined(separator: ", "))")",
                    fix: "load the config that defines its metric filter, or check MetricName and Namespace")
            }
        }
    }

    /// The character column of a UTF-8 byte offset in a single-line pattern.
    static func characterOffset(_ byteOffset: Int, in text: String) -> Int {
        String(decoding: Array(text.utf8).prefix(byteOffset), as: UTF8.self).count
    }
}
