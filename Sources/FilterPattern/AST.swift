internal import LinearRegex

/// The comparison operators of JSON and space-delimited conditions.
public enum ConditionOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="

    /// `<`, `<=`, `>` and `>=`, which CloudWatch defines for numbers only.
    public var isRelational: Bool { self != .equal && self != .notEqual }

    /// Applies the operator to two numbers.
    func compare(_ lhs: Double, _ rhs: Double) -> Bool {
        switch self {
        case .equal: lhs == rhs
        case .notEqual: lhs != rhs
        case .less: lhs < rhs
        case .lessOrEqual: lhs <= rhs
        case .greater: lhs > rhs
        case .greaterOrEqual: lhs >= rhs
        }
    }
}

/// One step of a JSON selector such as `$.a.b[0]`.
public enum SelectorSegment: Sendable, Hashable {
    /// `.name` or `.['key.with.dots']`: an object member.
    case member([UInt8])
    /// `[n]`: a zero-based array element.
    case index(Int)
    /// `[*]`: every element of an array.
    case anyElement
    /// `.*`: every member of an object (direct children only).
    case anyMember

    var isWildcard: Bool {
        switch self {
        case .anyElement, .anyMember: true
        case .member, .index: false
        }
    }
}

/// A JSON selector: `$` followed by segments. It resolves to zero or more nodes of an event.
public struct Selector: Sendable, Hashable, CustomStringConvertible {
    public var segments: [SelectorSegment] {
        didSet { steps = SelectorSteps(segments) }
    }
    /// The selector as written in the pattern, e.g. `$.userIdentity.type`.
    public var text: String
    /// The segments in plain memory, for the matcher's walk (kept in step with `segments`).
    private(set) var steps: SelectorSteps

    public init(segments: [SelectorSegment], text: String) {
        self.segments = segments
        self.text = text
        self.steps = SelectorSteps(segments)
    }

    public var wildcardCount: Int { segments.reduce(0) { $0 + ($1.isWildcard ? 1 : 0) } }
    public var description: String { text }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.segments == rhs.segments && lhs.text == rhs.text
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(segments)
        hasher.combine(text)
    }
}

/// A selector's steps as one plain pointer, for callers that resolve the same selectors for every
/// event: passing it copies no arrays and counts no references, where copying a ``Selector``
/// retains three. Valid only while the selector it came from (``Selector/path``) is alive.
public struct SelectorPath: @unchecked Sendable {
    // @unchecked: points into the immutable storage of a live selector (see above).
    let steps: UnsafeBufferPointer<SelectorStep>
}

extension Selector {
    /// The selector's steps as a ``SelectorPath``; keep the selector alive while it is used.
    public var path: SelectorPath { SelectorPath(steps: steps.steps) }
}

/// One selector segment as plain values (the member name as a pointer into ``SelectorSteps``'
/// storage), so walking a selector per event copies no arrays and counts no references.
struct SelectorStep {
    enum Kind: UInt8 { case member, index, anyElement, anyMember }
    var kind: Kind
    /// For `.index`: the element's position.
    var index: Int
    /// For `.member`: the name's bytes.
    var key: UnsafeRawBufferPointer
}

/// The steps of a selector, in memory it owns and never changes after init.
final class SelectorSteps: @unchecked Sendable {
    // @unchecked: immutable after init; the memory is only read.
    let steps: UnsafeBufferPointer<SelectorStep>
    private let keys: UnsafeMutableRawBufferPointer

    init(_ segments: [SelectorSegment]) {
        var keyBytes = 0
        for case .member(let key) in segments { keyBytes += key.count }
        let keys = UnsafeMutableRawBufferPointer.allocate(byteCount: max(keyBytes, 1), alignment: 8)
        let steps = UnsafeMutableBufferPointer<SelectorStep>.allocate(capacity: segments.count)
        var offset = 0
        for (position, segment) in segments.enumerated() {
            let step: SelectorStep
            switch segment {
            case .member(let key):
                let target = UnsafeMutableRawBufferPointer(rebasing: keys[offset..<(offset + key.count)])
                key.withUnsafeBytes { target.copyMemory(from: $0) }
                step = SelectorStep(kind: .member, index: 0, key: UnsafeRawBufferPointer(target))
                offset += key.count
            case .index(let index):
                step = SelectorStep(kind: .index, index: index, key: UnsafeRawBufferPointer(start: nil, count: 0))
            case .anyElement:
                step = SelectorStep(kind: .anyElement, index: 0, key: UnsafeRawBufferPointer(start: nil, count: 0))
            case .anyMember:
                step = SelectorStep(kind: .anyMember, index: 0, key: UnsafeRawBufferPointer(start: nil, count: 0))
            }
            (steps.baseAddress! + position).initialize(to: step)  // safe because: position < segments.count
        }
        self.keys = keys
        self.steps = UnsafeBufferPointer(steps)
    }

    deinit {
        // SelectorStep is a trivial type: nothing to deinitialize.
        steps.deallocate()
        keys.deallocate()
    }
}

/// The kind of value an operand literal is, with CloudWatch's string and wildcard rules.
struct TextPattern: Sendable, Hashable {
    enum Mode: Sendable, Hashable {
        /// `*` alone: any scalar.
        case any
        case exact
        case prefix
        case suffix
        case contains
    }

    var mode: Mode
    /// The literal without the leading or trailing `*` that made it a wildcard.
    var literal: [UInt8]

    /// Classifies a string value: a `*` only counts as a wildcard at the very start or end.
    init(value: [UInt8]) {
        let star = UInt8(ascii: "*")
        // Only a lone `*` means "any value": in `***` the middle star is a literal.
        if value == [star] {
            mode = .any
            literal = []
            return
        }
        let leading = value.first == star
        let trailing = value.last == star
        switch (leading, trailing) {
        case (true, true):
            mode = .contains
            literal = Array(value.dropFirst().dropLast())
        case (true, false):
            mode = .suffix
            literal = Array(value.dropFirst())
        case (false, true):
            mode = .prefix
            literal = Array(value.dropLast())
        case (false, false):
            mode = .exact
            literal = value
        }
    }

    /// Tests a scalar's text (a decoded string or a number as written).
    func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        literal.withUnsafeBytes { lit in
            switch mode {
            case .any: return true
            case .exact: return ByteSearch.equal(text, lit)
            case .prefix: return ByteSearch.hasPrefix(text, lit)
            case .suffix: return ByteSearch.hasSuffix(text, lit)
            case .contains: return ByteSearch.contains(text, lit)
            }
        }
    }
}

/// The right-hand side of a comparison.
enum Operand: Sendable {
    /// A quoted or bare string value, with wildcard rules.
    case text(TextPattern)
    /// Several string values, any of which may equal the node: what `(sel = a) || (sel = b)`
    /// compiles to, so the selector is resolved once instead of once per alternative.
    case texts([TextPattern])
    /// A number literal, kept with its text for comparisons against strings.
    case number(Double, text: [UInt8])
    /// A `%regex%`, searched in the value's text.
    case regex(CompiledRegex)
}

/// What a JSON condition tests about the nodes its selector resolves to.
enum ConditionTest: Sendable {
    case compare(ConditionOperator, Operand)
    case isTrue
    case isFalse
    case isNull
    case notExists
}

/// `selector test`, one leaf of a JSON pattern.
///
/// A class, so that evaluating a condition per event reads its immutable fields in place
/// instead of copying (and retaining) the selector's and operand's arrays.
final class JSONCondition: Sendable {
    let selector: Selector
    let test: ConditionTest

    init(selector: Selector, test: ConditionTest) {
        self.selector = selector
        self.test = test
    }
}

/// A condition on one field of a space-delimited pattern: `status_code = 4*`.
struct FieldCondition: Sendable {
    var op: ConditionOperator
    var operand: Operand
}

/// One entry of a space-delimited pattern.
enum DelimitedEntry: Sendable {
    /// `...`: any run of fields, possibly none.
    case ellipsis
    /// A named field, with the conditions on it joined by `&&`/`||` (nil: any value).
    case field(name: String, condition: BoolExpr?)
}

/// A term of an unstructured pattern.
struct Term: Sendable {
    enum Role: Sendable { case required, excluded, optional }
    enum Matcher: Sendable {
        case literal([UInt8])
        case regex(CompiledRegex)
    }

    var role: Role
    var matcher: Matcher
}

/// An AND/OR tree over leaves, stored flat so evaluating it allocates nothing.
struct BoolExpr: Sendable {
    enum Kind: UInt8, Sendable { case leaf, and, or }
    struct Node: Sendable {
        var kind: Kind
        /// For a leaf: the leaf index. Otherwise: the first child's position in `children`.
        var first: Int32
        var count: Int32
    }

    var nodes: [Node] = []
    var children: [Int32] = []
    var root: Int = 0

    /// Evaluates the tree, calling `leaf` with leaf indices; `&&` and `||` short-circuit.
    func evaluate(_ leaf: (Int) -> Bool) -> Bool {
        evaluate(node: root, leaf)
    }

    private func evaluate(node index: Int, _ leaf: (Int) -> Bool) -> Bool {
        let node = nodes[index]
        switch node.kind {
        case .leaf:
            return leaf(Int(node.first))
        case .and:
            for position in Int(node.first)..<Int(node.first + node.count)
            where !evaluate(node: Int(children[position]), leaf) {
                return false
            }
            return true
        case .or:
            for position in Int(node.first)..<Int(node.first + node.count)
            where evaluate(node: Int(children[position]), leaf) {
                return true
            }
            return false
        }
    }
}

/// Builds a ``BoolExpr`` bottom-up while parsing.
struct BoolExprBuilder {
    /// A subtree under construction: a leaf or an operator over subtrees.
    indirect enum Tree {
        case leaf(Int)
        case and([Tree])
        case or([Tree])
    }

    static func build(_ tree: Tree) -> BoolExpr {
        var expr = BoolExpr()
        expr.root = append(tree, to: &expr)
        return expr
    }

    private static func append(_ tree: Tree, to expr: inout BoolExpr) -> Int {
        switch tree {
        case .leaf(let index):
            expr.nodes.append(.init(kind: .leaf, first: Int32(index), count: 0))
            return expr.nodes.count - 1
        case .and(let items), .or(let items):
            let kind: BoolExpr.Kind
            if case .and = tree { kind = .and } else { kind = .or }
            let childIndices = items.map { append($0, to: &expr) }
            let first = expr.children.count
            expr.children.append(contentsOf: childIndices.map { Int32($0) })
            expr.nodes.append(.init(kind: kind, first: Int32(first), count: Int32(childIndices.count)))
            return expr.nodes.count - 1
        }
    }
}
