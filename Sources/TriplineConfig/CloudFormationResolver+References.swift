import Foundation
extension CloudFormationResolver {
    /// `Ref`: a parameter's value, a pseudo parameter, or a resource's physical id.
    func reference(_ name: String, at location: SourceLocation, depth: Int = 0) throws(Unresolvable) -> ConfigNode? {
        if name == "AWS::NoValue" { return nil }
        if let value = pseudo[name] { return .scalar(value, quoted: true, tag: nil, location) }
        if let parameter = parameters[name] { return parameter }
        if let resource = resources[name] {
            switch resource.type {
            case "AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm":
                return .scalar(try stringProperty(resource, "AlarmName", depth: depth) ?? name, quoted: true, tag: nil, location)
            case "AWS::Logs::MetricFilter":
                return .scalar(try stringProperty(resource, "FilterName", depth: depth) ?? name, quoted: true, tag: nil, location)
            case "AWS::SNS::Topic":
                return .scalar(try topicArn(name, resource, depth: depth), quoted: true, tag: nil, location)
            case "AWS::Logs::LogGroup":
                return .scalar(try stringProperty(resource, "LogGroupName", depth: depth) ?? name, quoted: true, tag: nil, location)
            default:
                throw Unresolvable(
                    location: location, message: "Ref to \(name) (\(resource.type)) has no value offline",
                    fix: "write the physical id as a literal instead of Ref")
            }
        }
        throw Unresolvable(
            location: location, message: "Ref to '\(name)', which is neither a parameter nor a resource of this template",
            fix: "add the parameter with a Default, or pass --parameter \(name)=VALUE")
    }

    /// `Fn::GetAtt`: the attributes Tripline can know offline.
    func attribute(_ name: String, _ attribute: String, at location: SourceLocation, depth: Int = 0) throws(Unresolvable) -> String {
        guard let resource = resources[name] else {
            throw Unresolvable(location: location, message: "Fn::GetAtt names '\(name)', which is not a resource of this template", fix: "check the logical id")
        }
        let region = pseudo["AWS::Region"] ?? "us-east-1", account = pseudo["AWS::AccountId"] ?? "123456789012"
        switch (resource.type, attribute) {
        case ("AWS::CloudWatch::Alarm", "Arn"), ("AWS::CloudWatch::CompositeAlarm", "Arn"):
            return "arn:aws:cloudwatch:\(region):\(account):alarm:\(try stringProperty(resource, "AlarmName", depth: depth) ?? name)"
        case ("AWS::SNS::Topic", "TopicArn"):
            return try topicArn(name, resource, depth: depth)
        case ("AWS::SNS::Topic", "TopicName"):
            return try stringProperty(resource, "TopicName", depth: depth) ?? name
        case ("AWS::Logs::LogGroup", "Arn"):
            return "arn:aws:logs:\(region):\(account):log-group:\(try stringProperty(resource, "LogGroupName", depth: depth) ?? name):*"
        default:
            throw Unresolvable(
                location: location, message: "Fn::GetAtt \(name).\(attribute) (\(resource.type)) has no value offline",
                fix: "write the value as a literal instead")
        }
    }

    /// `Fn::Sub`: `${Param}`, `${Resource}`, `${Resource.Attr}`, `${AWS::Region}`; `${!x}` is literal.
    func substitute(_ format: String, _ variables: [String: ConfigNode], at location: SourceLocation, depth: Int = 0) throws(Unresolvable) -> String {
        var result = ""
        var rest = Substring(format)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                result += rest[start.lowerBound...]
                return result
            }
            let name = String(rest[start.upperBound..<end])
            rest = rest[rest.index(after: end)...]
            if name.hasPrefix("!") {
                result += "${\(name.dropFirst())}"
                continue
            }
            if let value = variables[name] {
                guard let text = value.text else {
                    throw Unresolvable(location: location, message: "Fn::Sub variable '\(name)' is not a string", fix: "give it a string value")
                }
                result += text
            } else if let dot = name.firstIndex(of: "."), resources[String(name[..<dot])] != nil {
                result += try attribute(String(name[..<dot]), String(name[name.index(after: dot)...]), at: location, depth: depth)
            } else {
                guard let value = try reference(name, at: location, depth: depth)?.text else {
                    throw Unresolvable(location: location, message: "Fn::Sub cannot put the list '\(name)' into a string", fix: "use Fn::Join")
                }
                result += value
            }
        }
        return result + rest
    }

    private func topicArn(_ name: String, _ resource: Resource, depth: Int) throws(Unresolvable) -> String {
        let region = pseudo["AWS::Region"] ?? "us-east-1", account = pseudo["AWS::AccountId"] ?? "123456789012"
        return "arn:aws:sns:\(region):\(account):\(try stringProperty(resource, "TopicName", depth: depth) ?? name)"
    }

    private func stringProperty(_ resource: Resource, _ key: String, depth: Int) throws(Unresolvable) -> String? {
        guard let node = resource.properties?[key] else { return nil }
        return try resolve(node, depth: depth + 1)?.text
    }
}

extension CloudFormationResolver {
    func evaluate(condition name: String, at location: SourceLocation, depth: Int) throws(Unresolvable) -> Bool {
        guard let node = conditionNodes[name] else {
            throw Unresolvable(location: location, message: "the condition '\(name)' is not defined under Conditions", fix: "define it, or remove Fn::If")
        }
        guard depth < 64 else { throw Unresolvable(location: location, message: "conditions refer to each other in a cycle", fix: "break the cycle") }
        guard let value = try resolve(node, depth: depth + 1)?.text else {
            throw Unresolvable(location: location, message: "the condition '\(name)' is not a Boolean", fix: "use Fn::Equals, Fn::Not, Fn::And or Fn::Or")
        }
        return value == "true"
    }

    func evaluateCondition(_ function: String, _ argument: ConfigNode, at location: SourceLocation, depth: Int) throws(Unresolvable) -> Bool {
        if function == "Condition" {
            guard let name = argument.text else { throw Unresolvable(location: location, message: "Condition takes a name", fix: "write Condition: Name") }
            return try evaluate(condition: name, at: location, depth: depth)
        }
        guard case .sequence(let items, _, _) = argument else {
            throw Unresolvable(location: location, message: "\(function) takes a list", fix: "see the CloudFormation reference for \(function)")
        }
        let values = try items.map { item throws(Unresolvable) -> ConfigNode? in try resolve(item, depth: depth) }
        switch function {
        case "Fn::Equals":
            guard values.count == 2 else { throw Unresolvable(location: location, message: "Fn::Equals takes two values", fix: "write [a, b]") }
            return values[0]?.text == values[1]?.text
        case "Fn::Not":
            return values.first??.text != "true"
        case "Fn::And":
            return values.allSatisfy { $0?.text == "true" }
        default:
            return values.contains { $0?.text == "true" }
        }
    }
}
