import Foundation
import MetricFilters
import TriplineCore

/// Reads the `AWS::Logs::MetricFilter`, `AWS::CloudWatch::Alarm` and
/// `AWS::CloudWatch::CompositeAlarm` resources of a CloudFormation template.
struct CloudFormationDecoder {
    var problems = ProblemList()
    var configuration = Configuration()
    let overrides: [String: String]

    static let templateKeys: Set<String> = [
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions",
        "Transform", "Resources", "Outputs",
    ]

    mutating func decode(_ root: ConfigNode) {
        var reader = ObjectReader(root, path: "", problems: &problems)
        for key in Self.templateKeys where key != "Resources" && key != "Parameters" { _ = reader.value(key) }
        let parametersNode = reader.value("Parameters")
        let resourcesNode = reader.value("Resources")
        reader.reportUnknownKeys(problems: &problems)
        var resolver = CloudFormationResolver(pseudo: [
            "AWS::Region": overrides["AWS::Region"] ?? "us-east-1",
            "AWS::AccountId": overrides["AWS::AccountId"] ?? "123456789012",
            "AWS::StackName": overrides["AWS::StackName"] ?? "tripline",
            "AWS::StackId": overrides["AWS::StackId"] ?? "tripline",
            "AWS::Partition": overrides["AWS::Partition"] ?? "aws",
            "AWS::URLSuffix": overrides["AWS::URLSuffix"] ?? "amazonaws.com",
        ])
        for member in parametersNode?.members ?? [] {
            let type = member.value["Type"]?.text ?? "String"
            let value = overrides[member.key] ?? member.value["Default"]?.text
            guard let value else { continue }
            if type == "CommaDelimitedList" || type.hasPrefix("List<") {
                let items = value.split(separator: ",").map { ConfigNode.scalar(String($0).trimmingSpaces(), quoted: true, tag: nil, member.value.location) }
                resolver.parameters[member.key] = .sequence(items, tag: nil, member.value.location)
            } else {
                resolver.parameters[member.key] = .scalar(value, quoted: true, tag: nil, member.value.location)
            }
        }
        resolver.mappings = root["Mappings"]
        for member in root["Conditions"]?.members ?? [] { resolver.conditionNodes[member.key] = member.value }
        guard let resources = resourcesNode?.members else {
            problems.error(resourcesNode ?? root, "Resources", "a CloudFormation template needs a Resources section", fix: "add Resources with AWS::Logs::MetricFilter and AWS::CloudWatch::Alarm resources")
            return
        }
        for member in resources {
            resolver.resources[member.key] = .init(type: member.value["Type"]?.text ?? "", properties: member.value["Properties"])
        }
        for member in resources { decodeResource(member.key, member.value, resolver: resolver) }
    }

    private mutating func decodeResource(_ logicalID: String, _ node: ConfigNode, resolver: CloudFormationResolver) {
        let path = "Resources.\(logicalID)"
        guard let type = node["Type"]?.text else {
            problems.error(node, "\(path).Type", "the resource has no Type", fix: "add Type: AWS::CloudWatch::Alarm or the like")
            return
        }
        guard ["AWS::Logs::MetricFilter", "AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"].contains(type) else {
            configuration.ignoredResources.append("\(logicalID) (\(type))")
            return
        }
        do {
            if let condition = node["Condition"]?.text, try !resolver.evaluate(condition: condition, at: node.location, depth: 0) {
                configuration.ignoredResources.append("\(logicalID) (\(type), condition \(condition) is false)")
                return
            }
            guard let propertiesNode = node["Properties"] else {
                problems.error(node, "\(path).Properties", "the resource has no Properties", fix: "add the \(type) properties")
                return
            }
            guard let properties = try resolver.resolve(propertiesNode) else { return }
            let propertiesPath = "\(path).Properties"
            switch type {
            case "AWS::Logs::MetricFilter": decodeMetricFilter(logicalID, properties, path: propertiesPath)
            case "AWS::CloudWatch::Alarm":
                if let alarm = AlarmDecoder.metricAlarm(properties, path: propertiesPath, generatedName: logicalID, problems: &problems) {
                    configuration.metricAlarms.append(alarm)
                }
            default:
                if let alarm = AlarmDecoder.compositeAlarm(properties, path: propertiesPath, generatedName: logicalID, problems: &problems) {
                    configuration.compositeAlarms.append(alarm)
                }
            }
        } catch {
            problems.error(at: error.location, path, "resource \(logicalID): \(error.message)", fix: error.fix)
        }
    }

    private mutating func decodeMetricFilter(_ logicalID: String, _ node: ConfigNode, path: String) {
        var reader = ObjectReader(node, path: path, problems: &problems)
        guard reader.isMapping else { return }
        reader.ignored = ["ApplyOnTransformedLogs", "FieldSelectionCriteria", "EmitSystemFieldDimensions"]
        let name = reader.string("FilterName", problems: &problems) ?? logicalID
        let patternNode = reader.value("FilterPattern")
        let pattern = reader.string("FilterPattern", required: true, problems: &problems)
        let logGroup = reader.string("LogGroupName", problems: &problems)
        var transformations: [MetricTransformation] = []
        if let list = reader.value("MetricTransformations"), case .sequence(let items, _, _) = list {
            for (index, item) in items.enumerated() {
                let itemPath = "\(path).MetricTransformations[\(index)]"
                var transformation = ObjectReader(item, path: itemPath, problems: &problems)
                guard transformation.isMapping else { continue }
                let metricName = transformation.string("MetricName", required: true, problems: &problems)
                let namespace = transformation.string("MetricNamespace", required: true, problems: &problems)
                let value = transformation.string("MetricValue", required: true, problems: &problems)
                let defaultValue = transformation.double("DefaultValue", problems: &problems)
                let unitText = transformation.string("Unit", problems: &problems)
                let unit = unitText.flatMap(StandardUnit.init(rawValue:))
                if let unitText, unit == nil {
                    problems.error(item, "\(itemPath).Unit", "'\(unitText)' is not a CloudWatch unit", fix: Validation.suggestion(unitText, StandardUnit.allCases.map(\.rawValue)))
                }
                var dimensions: [(name: String, value: String)] = []
                if let list = transformation.value("Dimensions"), case .sequence(let entries, _, _) = list {
                    for (number, entry) in entries.enumerated() {
                        var dimension = ObjectReader(entry, path: "\(itemPath).Dimensions[\(number)]", problems: &problems)
                        if let key = dimension.string("Key", required: true, problems: &problems),
                            let value = dimension.string("Value", required: true, problems: &problems)
                        {
                            dimensions.append((key, value))
                        }
                        dimension.reportUnknownKeys(problems: &problems)
                    }
                }
                transformation.reportUnknownKeys(problems: &problems)
                if let metricName, let namespace, let value {
                    transformations.append(
                        MetricTransformation(
                            metricName: metricName, metricNamespace: namespace, metricValue: value, defaultValue: defaultValue,
                            dimensions: dimensions, unit: unit))
                }
            }
        } else {
            problems.error(node, "\(path).MetricTransformations", "expected a list with one metric transformation", fix: "add MetricTransformations: [{MetricName, MetricNamespace, MetricValue}]")
        }
        reader.reportUnknownKeys(problems: &problems)
        guard let pattern else { return }
        Validation.checkFilterName(name, at: node.location, path: "\(path).FilterName", problems: &problems)
        configuration.metricFilters.append(
            MetricFilterDefinition(
                filterName: name, filterPattern: pattern, logGroupName: logGroup, transformations: transformations,
                location: node.location, patternLocation: patternNode?.location ?? node.location, path: path))
    }
}
