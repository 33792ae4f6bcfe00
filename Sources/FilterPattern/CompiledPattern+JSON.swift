internal import LinearRegex

extension CompiledPattern {
    /// Evaluates one condition under the any-of rule: it holds when some node its selector
    /// resolves to satisfies it. Objects, arrays and missing fields satisfy no comparison.
    func evaluate<Event: FieldLookup>(
        _ condition: JSONCondition, root: Event.Node, in event: Event, text: inout [UInt8],
        regex: inout RegexScratch
    ) -> Bool {
        switch condition.test {
        case .notExists:
            return !Self.resolve(condition.selector, from: root, in: event) { _ in true }
        case .isNull:
            return Self.resolve(condition.selector, from: root, in: event) { event.kind(of: $0) == .null }
        case .isTrue:
            return Self.resolve(condition.selector, from: root, in: event) { event.kind(of: $0) == .true }
        case .isFalse:
            return Self.resolve(condition.selector, from: root, in: event) { event.kind(of: $0) == .false }
        case .compare(let op, let operand):
            return Self.resolve(condition.selector, from: root, in: event) { node in
                Self.compare(node, op, operand, in: event, text: &text, regex: &regex)
            }
        }
    }

    /// Tests one scalar node against `op operand`.
    static func compare<Event: FieldLookup>(
        _ node: Event.Node, _ op: ConditionOperator, _ operand: Operand, in event: Event, text: inout [UInt8],
        regex: inout RegexScratch
    ) -> Bool {
        let kind = event.kind(of: node)
        guard kind == .string || kind == .number else { return false }
        let equal: Bool
        switch operand {
        case .text(let pattern):
            equal = event.withText(of: node, scratch: &text) { pattern.matches($0) }
        case .texts(let patterns):
            equal = event.withText(of: node, scratch: &text) { actual in patterns.contains { $0.matches(actual) } }
        case .number(let value, let literal):
            if kind == .number {
                guard let actual = event.numberValue(of: node) else { return false }
                return op.compare(actual, value)
            }
            guard !op.isRelational else { return false }
            equal = event.withText(of: node, scratch: &text) { actual in
                literal.withUnsafeBytes { ByteSearch.equal(actual, $0) }
            }
        case .regex(let compiled):
            equal = event.withText(of: node, scratch: &text) { compiled.matches($0, scratch: &regex) }
        }
        return op == .notEqual ? !equal : equal
    }

    /// Walks `selector` from `root`, calling `visit` on each node it reaches until one returns true.
    /// - Returns: whether some visit returned true.
    static func resolve<Event: FieldLookup>(
        _ selector: Selector, from root: Event.Node, in event: Event, _ visit: (Event.Node) -> Bool
    ) -> Bool {
        let steps = selector.steps
        return withExtendedLifetime(steps) { walk(steps.steps, 0, root, event, visit) }
    }

    static func walk<Event: FieldLookup>(
        _ steps: UnsafeBufferPointer<SelectorStep>, _ position: Int, _ node: Event.Node, _ event: Event,
        _ visit: (Event.Node) -> Bool
    ) -> Bool {
        guard position < steps.count else { return visit(node) }
        let step = steps[position]
        switch step.kind {
        case .member:
            guard let child = event.member(step.key, of: node) else { return false }
            return walk(steps, position + 1, child, event, visit)
        case .index:
            guard let child = event.element(step.index, of: node) else { return false }
            return walk(steps, position + 1, child, event, visit)
        case .anyElement, .anyMember:
            let wanted: JSONValueKind = step.kind == .anyElement ? .array : .object
            guard event.kind(of: node) == wanted else { return false }
            var found = false
            event.forEachChild(of: node) { child in
                found = walk(steps, position + 1, child, event, visit)
                return !found
            }
            return found
        }
    }
}
