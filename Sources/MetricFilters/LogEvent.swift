public import EventScan
public import FilterPattern

/// One log event as the matcher sees it: the raw line and a lazy JSON view of it.
///
/// The JSON document is validated at most once, and only when a JSON pattern would otherwise
/// match; every other lookup walks the raw bytes without copying them.
public struct LogEvent: FieldLookup {
    public let view: EventView
    private var validity: Bool?

    /// Wraps a line; the buffer must outlive the event.
    public init(_ line: UnsafeRawBufferPointer) {
        self.view = EventView(bytes: line)
    }

    public var rawLine: UnsafeRawBufferPointer { view.bytes }

    public func jsonRoot() -> JSONNode? { view.root() }

    public mutating func isValidJSONObject() -> Bool {
        if let validity { return validity }
        let valid = view.isValidObjectDocument()
        validity = valid
        return valid
    }

    public func member(_ key: UnsafeRawBufferPointer, of node: JSONNode) -> JSONNode? {
        view.member(key, of: node)
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
