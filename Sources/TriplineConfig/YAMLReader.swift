import Foundation
import Yams

/// Reads YAML or JSON text into a ``ConfigNode`` tree, keeping positions and CloudFormation tags.
enum YAMLReader {
    /// Files larger than this are refused: configs are small, and libyaml holds the whole tree.
    static let maxFileSize = 16 << 20
    /// Deeper trees are refused before they reach the decoders.
    static let maxDepth = 64
    /// More values than this are refused: aliases can make a small file expand without bound.
    static let maxNodes = 1_000_000

    struct Failure: Error {
        var location: SourceLocation
        var message: String
        var fix: String
    }

    /// Parses `text` from `file`. An empty document gives nil.
    static func read(_ text: String, file: String) throws(Failure) -> ConfigNode? {
        let root: Node?
        do {
            // Plain scalars stay untyped text (`ConfigNode` reads them by need), so Yams' default
            // resolver, seven regular expressions tried on every scalar, would only cost start-up time.
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw describe(error, file: file)
        } catch {
            throw Failure(location: .init(file: file, line: 1, column: 1), message: "cannot read this file: \(error)", fix: "check that it is YAML or JSON")
        }
        guard let root else { return nil }
        var budget = maxNodes
        return try convert(root, file: file, depth: 0, budget: &budget)
    }

    private static func convert(_ node: Node, file: String, depth: Int, budget: inout Int) throws(Failure) -> ConfigNode {
        let location = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
        budget -= 1
        guard budget >= 0 else {
            throw Failure(location: location, message: "the document holds more than \(maxNodes) values (aliases expanding?)", fix: "write a smaller config")
        }
        guard depth < maxDepth else {
            throw Failure(location: location, message: "the document nests deeper than \(maxDepth) levels", fix: "flatten the structure")
        }
        switch node {
        case .scalar(let scalar):
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted || scalar.style == .literal || scalar.style == .folded
            return .scalar(scalar.string, quoted: quoted, tag: shortTag(scalar.tag), location)
        case .mapping(let mapping):
            var members: [(key: String, keyLocation: SourceLocation, value: ConfigNode)] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw Failure(location: location, message: "a mapping key must be text", fix: "write the key as plain text")
                }
                let keyLocation = SourceLocation(file: file, line: key.mark?.line ?? location.line, column: key.mark?.column ?? location.column)
                members.append((keyScalar.string, keyLocation, try convert(value, file: file, depth: depth + 1, budget: &budget)))
            }
            return .mapping(members, tag: shortTag(mapping.tag), location)
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            for item in sequence { items.append(try convert(item, file: file, depth: depth + 1, budget: &budget)) }
            return .sequence(items, tag: shortTag(sequence.tag), location)
        case .alias:
            throw Failure(location: location, message: "YAML aliases (*name) are not supported", fix: "write the value out in full")
        }
    }

    /// `!Ref` → `Ref`; standard YAML tags (`tag:yaml.org,2002:...`) and implicit ones → nil.
    private static func shortTag(_ tag: Tag) -> String? {
        let name = tag.description
        guard name.hasPrefix("!"), !name.hasPrefix("!!") else { return nil }
        return String(name.dropFirst())
    }

    private static func describe(_ error: YamlError, file: String) -> Failure {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return Failure(
                location: .init(file: file, line: mark.line, column: mark.column), message: "YAML syntax error: \(problem)",
                fix: "check the indentation and quoting at this spot")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Failure(
                location: .init(file: file, line: context.mark.line, column: context.mark.column),
                message: "the key '\(duplicates.joined(separator: "', '"))' appears twice in one mapping",
                fix: "keep one of them")
        case .reader(let problem, _, _, _):
            return Failure(location: .init(file: file, line: 1, column: 1), message: "cannot read this file: \(problem)", fix: "save it as UTF-8 text")
        default:
            return Failure(location: .init(file: file, line: 1, column: 1), message: "cannot read this file: \(error)", fix: "check that it is YAML or JSON")
        }
    }
}
