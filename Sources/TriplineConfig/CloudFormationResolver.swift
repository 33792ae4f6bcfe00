import Foundation
/// Resolves CloudFormation intrinsic functions (`Ref`, `Fn::Sub`, `Fn::GetAtt`, `Fn::Join`,
/// `Fn::Select`, `Fn::If`, `Fn::Split`, `Fn::FindInMap` and the condition functions), in the
/// short-tag form (`!Ref`) and the long form (`{"Ref": ...}`), to plain values.
struct CloudFormationResolver {
    struct Resource {
        var type: String
        var properties: ConfigNode?
    }

    /// Raised for something Tripline cannot resolve offline; names the function.
    struct Unresolvable: Error {
        var location: SourceLocation
        var message: String
        var fix: String
    }

    var parameters: [String: ConfigNode] = [:]
    var resources: [String: Resource] = [:]
    var mappings: ConfigNode?
    var conditionNodes: [String: ConfigNode] = [:]
    var pseudo: [String: String]

    static let functionNames: Set<String> = [
        "Ref", "Fn::Sub", "Fn::GetAtt", "Fn::Join", "Fn::Select", "Fn::If", "Fn::Split", "Fn::FindInMap",
        "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition", "Fn::Base64", "Fn::GetAZs", "Fn::ImportValue",
        "Fn::Cidr", "Fn::Length", "Fn::ToJsonString", "Fn::Transform",
    ]

    /// Resolves every intrinsic inside `node`. `AWS::NoValue` removes list items and members.
    func resolve(_ node: ConfigNode, depth: Int = 0) throws(Unresolvable) -> ConfigNode? {
        guard depth < 64 else {
            throw Unresolvable(location: node.location, message: "intrinsic functions nest too deeply", fix: "simplify the expression")
        }
        if let (function, argument) = intrinsic(node) {
            return try call(function, argument, at: node, depth: depth + 1)
        }
        switch node {
        case .scalar:
            return node
        case .sequence(let items, _, let location):
            var resolved: [ConfigNode] = []
            for item in items { if let value = try resolve(item, depth: depth + 1) { resolved.append(value) } }
            return .sequence(resolved, tag: nil, location)
        case .mapping(let members, _, let location):
            var resolved: [(key: String, keyLocation: SourceLocation, value: ConfigNode)] = []
            for member in members {
                if let value = try resolve(member.value, depth: depth + 1) { resolved.append((member.key, member.keyLocation, value)) }
            }
            return .mapping(resolved, tag: nil, location)
        }
    }

    /// The function and argument of a short tag (`!Sub x`) or a one-key long form (`Fn::Sub: x`).
    private func intrinsic(_ node: ConfigNode) -> (String, ConfigNode)? {
        if let tag = node.tag {
            let name = tag == "Ref" || tag == "Condition" ? tag : "Fn::\(tag)"
            return (name, untagged(node))
        }
        if let members = node.members, members.count == 1, Self.functionNames.contains(members[0].key) {
            return (members[0].key, members[0].value)
        }
        return nil
    }

    private func untagged(_ node: ConfigNode) -> ConfigNode {
        switch node {
        case .scalar(let text, let quoted, _, let location): .scalar(text, quoted: quoted, tag: nil, location)
        case .sequence(let items, _, let location): .sequence(items, tag: nil, location)
        case .mapping(let members, _, let location): .mapping(members, tag: nil, location)
        }
    }

    private func call(_ function: String, _ argument: ConfigNode, at node: ConfigNode, depth: Int) throws(Unresolvable) -> ConfigNode? {
        let location = node.location
        func text(_ value: String) -> ConfigNode { .scalar(value, quoted: true, tag: nil, location) }
        func fail(_ message: String, _ fix: String = "replace it with a literal value, or pass the value with --parameter") -> Unresolvable {
            Unresolvable(location: location, message: message, fix: fix)
        }
        func arguments(_ count: ClosedRange<Int>) throws(Unresolvable) -> [ConfigNode] {
            guard case .sequence(let items, _, _) = argument, count.contains(items.count) else {
                throw fail("\(function) takes a list of \(count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound) to \(count.upperBound)") arguments", "see the CloudFormation reference for \(function)")
            }
            return items
        }
        switch function {
        case "Ref":
            guard let name = argument.text else { throw fail("Ref takes a name") }
            return try reference(name, at: location, depth: depth)
        case "Fn::Sub":
            var template = argument
            var variables: [String: ConfigNode] = [:]
            if case .sequence = argument {
                let items = try arguments(2...2)
                template = items[0]
                for member in items[1].members ?? [] {
                    if let value = try resolve(member.value, depth: depth) { variables[member.key] = value }
                }
            }
            guard let format = template.text else { throw fail("Fn::Sub takes a string") }
            return text(try substitute(format, variables, at: location, depth: depth))
        case "Fn::GetAtt":
            var parts: [String]
            if let dotted = argument.text {
                parts = dotted.split(separator: ".", maxSplits: 1).map(String.init)
            } else {
                parts = try arguments(2...2).compactMap { (try? resolve($0, depth: depth))??.text }
            }
            guard parts.count == 2 else { throw fail("Fn::GetAtt takes Resource.Attribute") }
            return text(try attribute(parts[0], parts[1], at: location, depth: depth))
        case "Fn::Join":
            let items = try arguments(2...2)
            guard let delimiter = items[0].text, let list = try resolve(items[1], depth: depth), case .sequence(let values, _, _) = list else {
                throw fail("Fn::Join takes a delimiter and a list")
            }
            let strings = values.compactMap(\.text)
            guard strings.count == values.count else { throw fail("Fn::Join can only join strings") }
            return text(strings.joined(separator: delimiter))
        case "Fn::Select":
            let items = try arguments(2...2)
            guard let indexText = try resolve(items[0], depth: depth)?.text, let index = Int(indexText),
                let list = try resolve(items[1], depth: depth), case .sequence(let values, _, _) = list
            else { throw fail("Fn::Select takes an index and a list") }
            guard values.indices.contains(index) else { throw fail("Fn::Select index \(index) is out of range") }
            return values[index]
        case "Fn::Split":
            let items = try arguments(2...2)
            guard let delimiter = items[0].text, let source = try resolve(items[1], depth: depth)?.text, !delimiter.isEmpty else {
                throw fail("Fn::Split takes a delimiter and a string")
            }
            return .sequence(source.components(separatedBy: delimiter).map(text), tag: nil, location)
        case "Fn::If":
            let items = try arguments(3...3)
            guard let condition = items[0].text else { throw fail("Fn::If takes a condition name first") }
            return try resolve(try evaluate(condition: condition, at: location, depth: depth) ? items[1] : items[2], depth: depth)
        case "Fn::FindInMap":
            let items = try arguments(3...4)
            let keys = try items.prefix(3).map { item throws(Unresolvable) -> String in
                guard let key = try resolve(item, depth: depth)?.text else { throw fail("Fn::FindInMap keys must be strings") }
                return key
            }
            guard let value = mappings?[keys[0]]?[keys[1]]?[keys[2]] else {
                if items.count == 4, let fallback = items[3]["DefaultValue"] { return try resolve(fallback, depth: depth) }
                throw fail("Fn::FindInMap found nothing at \(keys.joined(separator: "."))", "add the entry under Mappings")
            }
            return try resolve(value, depth: depth)
        case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Condition":
            return text(try evaluateCondition(function, argument, at: location, depth: depth) ? "true" : "false")
        default:
            throw fail("\(function) cannot be resolved offline")
        }
    }
}
