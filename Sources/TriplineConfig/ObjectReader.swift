import Foundation
/// Reads the fields of one mapping by name, recording a problem for every wrong type, missing
/// required field and unknown key, so one pass reports everything.
struct ObjectReader {
    let node: ConfigNode
    let path: String
    private var seen: Set<String> = []

    /// Fields that `describe-*` output carries but that define nothing; accepted and ignored.
    var ignored: Set<String> = []

    init(_ node: ConfigNode, path: String, problems: inout ProblemList) {
        self.node = node
        self.path = path
        if node.members == nil {
            problems.error(node, path, "expected a mapping of fields, found \(node.kindName)", fix: "write key: value pairs here")
        }
    }

    var isMapping: Bool { node.members != nil }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw node of `key`, marking it as known.
    mutating func value(_ key: String) -> ConfigNode? {
        seen.insert(key)
        guard let value = node[key], !value.isNull else { return nil }
        return value
    }

    mutating func string(_ key: String, required: Bool = false, problems: inout ProblemList) -> String? {
        guard let value = value(key) else {
            if required { missing(key, &problems) }
            return nil
        }
        guard let text = value.text, value.tag == nil else {
            problems.error(value, childPath(key), "expected text, found \(value.kindName)", fix: "write a plain string")
            return nil
        }
        return text
    }

    mutating func integer(_ key: String, required: Bool = false, problems: inout ProblemList) -> Int? {
        guard let value = value(key) else {
            if required { missing(key, &problems) }
            return nil
        }
        guard let text = value.text, let number = Int(text.trimmingCharacters(in: [" "])) else {
            problems.error(value, childPath(key), "expected a whole number, found '\(value.text ?? value.kindName)'", fix: "write an integer such as 300")
            return nil
        }
        return number
    }

    mutating func double(_ key: String, required: Bool = false, problems: inout ProblemList) -> Double? {
        guard let value = value(key) else {
            if required { missing(key, &problems) }
            return nil
        }
        guard let text = value.text, let number = Double(text), number.isFinite else {
            problems.error(value, childPath(key), "expected a number, found '\(value.text ?? value.kindName)'", fix: "write a number such as 1 or 0.5")
            return nil
        }
        return number
    }

    mutating func bool(_ key: String, problems: inout ProblemList) -> Bool? {
        guard let value = value(key) else { return nil }
        switch value.text?.lowercased() {
        case "true": return true
        case "false": return false
        default:
            problems.error(value, childPath(key), "expected true or false, found '\(value.text ?? value.kindName)'", fix: "write true or false")
            return nil
        }
    }

    mutating func stringList(_ key: String, problems: inout ProblemList) -> [(String, SourceLocation)] {
        guard let value = value(key) else { return [] }
        guard case .sequence(let items, _, _) = value else {
            problems.error(value, childPath(key), "expected a list, found \(value.kindName)", fix: "write a list such as [a, b]")
            return []
        }
        var result: [(String, SourceLocation)] = []
        for (index, item) in items.enumerated() {
            guard let text = item.text, item.tag == nil else {
                problems.error(item, "\(childPath(key))[\(index)]", "expected text, found \(item.kindName)", fix: "write a plain string")
                continue
            }
            result.append((text, item.location))
        }
        return result
    }

    /// Reports the keys nobody asked for, with the closest known key as a suggestion.
    func reportUnknownKeys(problems: inout ProblemList) {
        guard let members = node.members else { return }
        for member in members where !seen.contains(member.key) && !ignored.contains(member.key) {
            let suggestion = Self.closest(to: member.key, in: seen.union(ignored))
            problems.error(
                at: member.keyLocation, childPath(member.key), "unknown key '\(member.key)'",
                fix: suggestion.map { "did you mean '\($0)'?" } ?? "remove it; known keys are \(seen.sorted().joined(separator: ", "))")
        }
    }

    private func missing(_ key: String, _ problems: inout ProblemList) {
        problems.error(node, childPath(key), "the required field '\(key)' is missing", fix: "add \(key): to this entry")
    }

    /// The candidate within a small edit distance of `word`, ignoring case.
    static func closest(to word: String, in candidates: Set<String>) -> String? {
        let target = Array(word.lowercased())
        var best: (String, Int)?
        for candidate in candidates.sorted() {
            let distance = editDistance(target, Array(candidate.lowercased()))
            if distance <= max(2, target.count / 3), distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        return best?.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
