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

    /// Calls `body` with the text of the first scalar `selector` resolves to in `event` (a string
    /// decoded, a number as written), or with nil when there is none.
    public static func withScalarText<Event: FieldLookup, R>(
        at selector: Selector, in event: Event, scratch: inout MatchScratch, _ body: (UnsafeRawBufferPointer?) -> R
    ) -> R {
        guard let root = event.jsonRoot() else { return body(nil) }
        var found: Event.Node?
        _ = resolve(selector, from: root, in: event) { node in
            let kind = event.kind(of: node)
            if kind == .string || kind == .number { found = node }
            return true
        }
        guard let node = found else { return body(nil) }
        return event.withText(of: node, scratch: &scratch.text) { body($0) }
    }
}
