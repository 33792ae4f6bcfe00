/// A field value a pattern cannot match without, for dispatching events to candidate filters.
public struct RequiredEquality: Sendable, Hashable {
    /// The selector (no wildcards) whose text must be one of `values`.
    public var selector: Selector
    /// The exact texts (decoded) the selector's scalar must have.
    public var values: [[UInt8]]
}

extension CompiledPattern {
    /// A selector the pattern requires to equal one of a few exact texts, if it has one: for
    /// `{ $.eventSource = kms.amazonaws.com && ($.eventName = DisableKey || $.eventName = ScheduleKeyDeletion) }`
    /// that is `$.eventName ∈ {DisableKey, ScheduleKeyDeletion}` (the fewer values, the better).
    ///
    /// Sound: an event whose selector is missing, not a scalar, or has another text cannot match.
    public var requiredEquality: RequiredEquality? {
        requiredEqualities.min { $0.values.count < $1.values.count }
    }

    /// Every required equality the pattern has (one per conjunct that has one), so a caller
    /// indexing many filters can pick the selectors they share.
    public var requiredEqualities: [RequiredEquality] {
        guard kind == .json, !expression.nodes.isEmpty else { return [] }
        let root = expression.nodes[expression.root]
        guard root.kind == .and else { return requirement(expression.root).map { [$0] } ?? [] }
        return (Int(root.first)..<Int(root.first + root.count)).compactMap { requirement(Int(expression.children[$0])) }
    }

    private func requirement(_ index: Int) -> RequiredEquality? {
        let node = expression.nodes[index]
        let children = (Int(node.first)..<Int(node.first + node.count)).map { Int(expression.children[$0]) }
        switch node.kind {
        case .leaf:
            let condition = conditions[Int(node.first)]
            guard condition.selector.wildcardCount == 0, case .compare(.equal, let operand) = condition.test else { return nil }
            let patterns: [TextPattern]
            switch operand {
            case .text(let pattern): patterns = [pattern]
            case .texts(let list): patterns = list
            case .number, .regex: return nil
            }
            guard patterns.allSatisfy({ $0.mode == .exact }) else { return nil }
            return RequiredEquality(selector: condition.selector, values: patterns.map(\.literal))
        case .and:
            var best: RequiredEquality?
            for child in children {
                guard let candidate = requirement(child) else { continue }
                if candidate.values.count < (best?.values.count ?? .max) { best = candidate }
            }
            return best
        case .or:
            var merged: RequiredEquality?
            for child in children {
                guard let candidate = requirement(child) else { return nil }
                if let current = merged {
                    guard current.selector == candidate.selector else { return nil }
                    merged?.values += candidate.values.filter { !current.values.contains($0) }
                } else {
                    merged = candidate
                }
            }
            return merged
        }
    }

    /// Names of top-level members the pattern cannot match without: for
    /// `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }` that is
    /// `errorCode`. Every test but `NOT EXISTS` needs its selector to reach a value, so a leaf
    /// requires its selector's first member; `&&` requires what any operand requires, `||` what
    /// every operand requires.
    ///
    /// Sound: an event whose root lacks one of these names does not match. Empty for patterns
    /// that are not JSON.
    public var requiredMembers: [[UInt8]] {
        guard kind == .json, !expression.nodes.isEmpty else { return [] }
        return Array(requiredMembers(expression.root)).sorted { $0.lexicographicallyPrecedes($1) }
    }

    private func requiredMembers(_ index: Int) -> Set<[UInt8]> {
        let node = expression.nodes[index]
        let children = (Int(node.first)..<Int(node.first + node.count)).map { Int(expression.children[$0]) }
        switch node.kind {
        case .leaf:
            let condition = conditions[Int(node.first)]
            if case .notExists = condition.test { return [] }
            guard case .member(let name)? = condition.selector.segments.first else { return [] }
            return [name]
        case .and:
            return children.reduce(into: Set<[UInt8]>()) { $0.formUnion(requiredMembers($1)) }
        case .or:
            guard let first = children.first else { return [] }
            return children.dropFirst().reduce(requiredMembers(first)) { $0.intersection(requiredMembers($1)) }
        }
    }

    /// Calls `body` with the text of the first scalar `selector` resolves to in `event` (a string
    /// decoded, a number as written), or with nil when there is none.
    public static func withScalarText<Event: FieldLookup, R>(
        at selector: Selector, in event: Event, scratch: inout MatchScratch, _ body: (UnsafeRawBufferPointer?) -> R
    ) -> R {
        let steps = selector.steps
        return withExtendedLifetime(steps) { withScalarText(at: selector.path, in: event, scratch: &scratch, body) }
    }

    /// ``withScalarText(at:in:scratch:_:)`` for a selector's ``SelectorPath``, which the caller keeps
    /// valid; what a caller resolving the same selectors for every event passes.
    public static func withScalarText<Event: FieldLookup, R>(
        at path: SelectorPath, in event: Event, scratch: inout MatchScratch, _ body: (UnsafeRawBufferPointer?) -> R
    ) -> R {
        guard var node = event.jsonRoot() else { return body(nil) }
        // Dispatch selectors name members and indices only: follow them in a loop, without the
        // recursive walk that wildcards need.
        for step in path.steps {
            switch step.kind {
            case .member:
                guard let child = event.member(step.key, of: node) else { return body(nil) }
                node = child
            case .index:
                guard let child = event.element(step.index, of: node) else { return body(nil) }
                node = child
            case .anyElement, .anyMember:
                return withScalarTextAtWildcards(path, in: event, scratch: &scratch, body)
            }
        }
        let kind = event.kind(of: node)
        guard kind == .string || kind == .number else { return body(nil) }
        return event.withText(of: node, scratch: &scratch.text) { body($0) }
    }

    /// ``withScalarText(at:in:scratch:_:)`` for a path with wildcards: the first scalar it reaches.
    private static func withScalarTextAtWildcards<Event: FieldLookup, R>(
        _ path: SelectorPath, in event: Event, scratch: inout MatchScratch, _ body: (UnsafeRawBufferPointer?) -> R
    ) -> R {
        guard let root = event.jsonRoot() else { return body(nil) }
        var found: Event.Node?
        _ = walk(path.steps, 0, root, event) { node in
            let kind = event.kind(of: node)
            if kind == .string || kind == .number { found = node }
            return true
        }
        guard let node = found else { return body(nil) }
        return event.withText(of: node, scratch: &scratch.text) { body($0) }
    }
}
