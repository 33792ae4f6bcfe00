public import EventScan
public import FilterPattern

/// One log event as the matcher sees it: the raw line and a lazy JSON view of it.
///
/// The JSON document is validated at most once, and only when a JSON pattern would otherwise
/// match; every other lookup walks the raw bytes without copying them.
public struct LogEvent: FieldLookup {
    public let view: EventView
    private var validity: Bool?
    /// Held unretained, like the line's bytes, so that copying the event (the matcher passes it
    /// around by value) and each lookup cost no reference counting.
    private let rootIndex: Unmanaged<RootIndex>?
    private let root: JSONNode?

    /// Wraps a line; the buffer must outlive the event.
    /// - Parameter rootIndex: a worker's reusable index of top-level members; with it, repeated
    ///   lookups of top-level fields walk the root object once instead of once per lookup. Like
    ///   the line, it must outlive the event: pass one the caller keeps (`FilterSetScratch.rootIndex`),
    ///   never a temporary.
    public init(_ line: UnsafeRawBufferPointer, rootIndex: borrowing RootIndex? = nil) {
        self.view = EventView(bytes: line)
        // Borrowed and held unretained: making an event counts no references.
        self.rootIndex = rootIndex.map { Unmanaged.passUnretained($0) }
        self.root = view.root()
        self.rootIndex?._withUnsafeGuaranteedRef { $0.reset() }
    }

    /// Wraps a line that `rootIndex` has just indexed as the first line of a longer buffer: the
    /// index is kept.
    /// - Parameters:
    ///   - line: the bytes before the newline, from the same start as the measured buffer (a final
    ///     `\r` may be left out).
    ///   - rootIndex: the index that measured it, with no other event made on it since.
    ///   - validated: true after ``RootIndex/indexFirstLine(of:)``, which validated the line; false
    ///     after ``RootIndex/indexFirstLineLeniently(of:)``, so the line is validated only if a
    ///     pattern needs it.
    public init(indexedLine line: UnsafeRawBufferPointer, rootIndex: borrowing RootIndex, validated: Bool) {
        self.view = EventView(bytes: line)
        self.rootIndex = Unmanaged.passUnretained(rootIndex)
        self.root = view.root()
        self.validity = validated ? true : nil
    }

    public var rawLine: UnsafeRawBufferPointer { view.bytes }

    public func jsonRoot() -> JSONNode? { root }

    /// Whether the line is one valid JSON object (checked once, then remembered). With a root
    /// index not yet built, the validation pass builds it too, so the line is read once for both.
    public mutating func isValidJSONObject() -> Bool {
        if let validity { return validity }
        let valid: Bool
        if let rootIndex, !rootIndex._withUnsafeGuaranteedRef({ $0.isBuilt }) {
            valid = rootIndex._withUnsafeGuaranteedRef { $0.build(validating: view) }
        } else {
            valid = view.isValidObjectDocument()
        }
        validity = valid
        return valid
    }

    public func member(_ key: UnsafeRawBufferPointer, of node: JSONNode) -> JSONNode? {
        if let rootIndex, let root, node.start == root.start, node == root {
            return rootIndex._withUnsafeGuaranteedRef { $0.member(key, root: root, in: view) }
        }
        return view.member(key, of: node)
    }

    public func element(_ index: Int, of node: JSONNode) -> JSONNode? {
        view.element(index, of: node)
    }

    public func forEachChild(of node: JSONNode, _ body: (JSONNode) -> Bool) {
        view.forEachChild(of: node, body)
    }

    public func kind(of node: JSONNode) -> JSONValueKind {
        switch node.kind {
        case .object: .object
        case .array: .array
        case .string: .string
        case .number: .number
        case .true: .true
        case .false: .false
        case .null: .null
        }
    }

    public func withText<R>(of node: JSONNode, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if node.kind == .string { return view.withStringBytes(node, scratch: &scratch, body) }
        return body(UnsafeRawBufferPointer(rebasing: view.bytes[node.start..<node.end]))
    }

    public func numberValue(of node: JSONNode) -> Double? {
        view.doubleValue(node)
    }
}
