import MetricFilters
import TriplineCore

/// Reads Tripline files, which are also `describe-metric-filters` and `describe-alarms` output.
struct TriplineFileDecoder {
    var problems = ProblemList()
    var configuration = Configuration()

    static let topLevelKeys: Set<String> = ["metricFilters", "MetricAlarms", "CompositeAlarms", "Destinations", "Parameters"]
    /// Pagination tokens `describe-*` prints.
    static let ignoredTopLevelKeys: Set<String> = ["nextToken", "NextToken"]

    mutating func decode(_ root: ConfigNode) {
        var reader = ObjectReader(root, path: "", problems: &problems)
        reader.ignored = Self.ignoredTopLevelKeys
        _ = reader.value("Parameters")  // applied before decoding, see ParameterSubstitution
        if let filters = reader.value("metricFilters") {
            for (node, path) in items(filters, "metricFilters") { decodeMetricFilter(node, path: path) }
        }
        if let alarms = reader.value("MetricAlarms") {
            for (node, path) in items(alarms, "MetricAlarms") { decodeMetricAlarm(node, path: path) }
        }
        if let composites = reader.value("CompositeAlarms") {
            for (node, path) in items(composites, "CompositeAlarms") { decodeCompositeAlarm(node, path: path) }
        }
        if let destinations = reader.value("Destinations") {
            decodeDestinations(destinations)
        }
        reader.reportUnknownKeys(problems: &problems)
    }

    /// The entries of a list section with their logical paths.
    private mutating func items(_ node: ConfigNode, _ path: String) -> [(ConfigNode, String)] {
        guard case .sequence(let items, _, _) = node else {
            problems.error(node, path, "expected a list, found \(node.kindName)", fix: "write one '- ' entry per item")
            return []
        }
        return items.enumerated().map { ($1, "\(path)[\($0)]") }
    }

    mutating func decodeMetricFilter(_ node: ConfigNode, path: String) {
        var reader = ObjectReader(node, path: path, problems: &problems)
        guard reader.isMapping else { return }
        reader.ignored = ["creationTime", "applyOnTransformedLogs", "fieldSelectionCriteria", "emitSystemFieldDimensions"]
        let name = reader.string("filterName", required: true, problems: &problems)
        let patternNode = reader.value("filterPattern")
        let pattern = reader.string("filterPattern", problems: &problems) ?? ""
        let logGroup = reader.string("logGroupName", problems: &problems)
        var transformations: [MetricTransformation] = []
        if let list = reader.value("metricTransformations") {
            if case .sequence(let items, _, _) = list {
                for (index, item) in items.enumerated() {
                    if let transformation = decodeTransformation(item, path: "\(path).metricTransformations[\(index)]") {
                        transformations.append(transformation)
                    }
                }
            } else {
                problems.error(list, "\(path).metricTransformations", "expected a list, found \(list.kindName)", fix: "write one '- ' entry with metricName, metricNamespace and metricValue")
            }
        } else {
            problems.error(node, "\(path).metricTransformations", "the required field 'metricTransformations' is missing", fix: "add one transformation with metricName, metricNamespace and metricValue")
        }
        reader.reportUnknownKeys(problems: &problems)
        if let name {
            Validation.checkFilterName(name, at: node.location, path: "\(path).filterName", problems: &problems)
            configuration.metricFilters.append(
                MetricFilterDefinition(
                    filterName: name, filterPattern: pattern, logGroupName: logGroup, transformations: transformations,
                    location: node.location, patternLocation: patternNode?.location ?? node.location, path: path))
        }
    }

    private mutating func decodeTransformation(_ node: ConfigNode, path: String) -> MetricTransformation? {
        var reader = ObjectReader(node, path: path, problems: &problems)
        guard reader.isMapping else { return nil }
        let name = reader.string("metricName", required: true, problems: &problems)
        let namespace = reader.string("metricNamespace", required: true, problems: &problems)
        let value = reader.string("metricValue", required: true, problems: &problems)
        let defaultValue = reader.double("defaultValue", problems: &problems)
        var dimensions: [(name: String, value: String)] = []
        if let map = reader.value("dimensions") {
            if let members = map.members {
                for member in members {
                    guard let text = member.value.text else {
                        problems.error(member.value, "\(path).dimensions.\(member.key)", "expected a field reference such as $.eventSource", fix: "write the dimension's value as text")
                        continue
                    }
                    dimensions.append((member.key, text))
                }
            } else {
                problems.error(map, "\(path).dimensions", "expected a mapping from dimension name to field, found \(map.kindName)", fix: "write dimensions: {EventSource: $.eventSource}")
            }
        }
        let unit = reader.string("unit", problems: &problems).flatMap { text -> StandardUnit? in
            guard let unit = StandardUnit(rawValue: text) else {
                problems.error(node, "\(path).unit", "'\(text)' is not a CloudWatch unit", fix: Validation.suggestion(text, StandardUnit.allCases.map(\.rawValue)))
                return nil
            }
            return unit
        }
        reader.reportUnknownKeys(problems: &problems)
        guard let name, let namespace, let value else { return nil }
        return MetricTransformation(
            metricName: name, metricNamespace: namespace, metricValue: value, defaultValue: defaultValue,
            dimensions: dimensions, unit: unit)
    }

    private mutating func decodeDestinations(_ node: ConfigNode) {
        guard let members = node.members else {
            problems.error(node, "Destinations", "expected a mapping from destination name to destination, found \(node.kindName)", fix: "write Destinations: {security-team: {Type: stdout}}")
            return
        }
        for member in members {
            let path = "Destinations.\(member.key)"
            var reader = ObjectReader(member.value, path: path, problems: &problems)
            guard reader.isMapping else { continue }
            let typeNode = reader.value("Type")
            let type = reader.string("Type", required: true, problems: &problems)
            let arns = reader.stringList("Arns", problems: &problems).map(\.0)
            reader.reportUnknownKeys(problems: &problems)
            guard let type else { continue }
            guard let kind = DestinationDefinition.Kind(rawValue: type) else {
                problems.error(
                    typeNode ?? member.value, "\(path).Type", "'\(type)' is not a destination type Tripline supports",
                    fix: "use Type: stdout (webhook destinations are not supported yet)")
                continue
            }
            configuration.destinations.append(
                DestinationDefinition(name: member.key, kind: kind, arns: arns, location: member.keyLocation, path: path))
        }
    }
}

extension TriplineFileDecoder {
    mutating func decodeMetricAlarm(_ node: ConfigNode, path: String) {
        if let alarm = AlarmDecoder.metricAlarm(node, path: path, problems: &problems) {
            configuration.metricAlarms.append(alarm)
        }
    }

    mutating func decodeCompositeAlarm(_ node: ConfigNode, path: String) {
        if let alarm = AlarmDecoder.compositeAlarm(node, path: path, problems: &problems) {
            configuration.compositeAlarms.append(alarm)
        }
    }
}
