import Foundation
/// Replaces `${Name}` in a Tripline file's strings with parameter values.
///
/// Values come from `--parameter Name=Value`, else from the file's `Parameters.Name.Default`.
/// A reference to a parameter that has neither is an error naming it.
struct ParameterSubstitution {
    var values: [String: String]

    /// Reads `Parameters` of `root` and layers `overrides` on top.
    init(root: ConfigNode, overrides: [String: String], problems: inout ProblemList) {
        values = [:]
        if let parameters = root["Parameters"] {
            if let members = parameters.members {
                for member in members {
                    var reader = ObjectReader(member.value, path: "Parameters.\(member.key)", problems: &problems)
                    guard reader.isMapping else { continue }
                    if let value = reader.string("Default", problems: &problems) { values[member.key] = value }
                    _ = reader.string("Description", problems: &problems)
                    _ = reader.value("Type")
                    reader.reportUnknownKeys(problems: &problems)
                }
            } else {
                problems.error(parameters, "Parameters", "expected a mapping of parameters, found \(parameters.kindName)", fix: "write Parameters: {Name: {Default: value}}")
            }
        }
        for (key, value) in overrides { values[key] = value }
    }

    /// The tree with every `${Name}` outside `Parameters` replaced.
    func apply(_ node: ConfigNode, path: String, problems: inout ProblemList) -> ConfigNode {
        switch node {
        case .scalar(let text, let quoted, let tag, let location):
            guard text.contains("${") else { return node }
            return .scalar(substitute(text, location, path, &problems), quoted: quoted, tag: tag, location)
        case .sequence(let items, let tag, let location):
            return .sequence(items.enumerated().map { apply($1, path: "\(path)[\($0)]", problems: &problems) }, tag: tag, location)
        case .mapping(let members, let tag, let location):
            return .mapping(
                members.map { member in
                    (member.key, member.keyLocation,
                     path.isEmpty && member.key == "Parameters"
                        ? member.value : apply(member.value, path: path.isEmpty ? member.key : "\(path).\(member.key)", problems: &problems))
                }, tag: tag, location)
        }
    }

    private func substitute(_ text: String, _ location: SourceLocation, _ path: String, _ problems: inout ProblemList) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                result += rest[start.lowerBound...]
                return result
            }
            let name = String(rest[start.upperBound..<end])
            if let value = values[name] {
                result += value
            } else {
                problems.error(
                    at: location, path, "the parameter '\(name)' has no value",
                    fix: "pass --parameter \(name)=VALUE, or give it a Default under Parameters")
                result += "${\(name)}"
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
