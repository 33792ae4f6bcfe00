/// The kind of a JSON value, as a pattern's conditions tell them apart.
public enum JSONValueKind: Sendable, Hashable {
    case object, array, string, number, `true`, `false`, null
}

/// What the matcher needs from an event: its raw text and a way to walk its JSON.
///
/// The consumer defines the seam: this module declares the protocol, and the event scanner's
/// view conforms in `MetricFilters`, so neither module imports the other. Everything here is
/// called per event, so conformers must not allocate.
public protocol FieldLookup {
    /// A handle to one JSON value inside the event.
    associatedtype Node

    /// The event's bytes as received, for term patterns and space-delimited fields.
    var rawLine: UnsafeRawBufferPointer { get }

    /// The root object, or nil when the event does not start as a JSON object.
    /// Need not validate the whole document: ``isValidJSONObject()`` does that.
    func jsonRoot() -> Node?

    /// Whether the whole event is one valid JSON object. Called only when a JSON pattern
    /// would otherwise match, so most events are never fully validated; conformers may cache.
    mutating func isValidJSONObject() -> Bool

    /// The member named `key` (decoded UTF-8) of an object node.
    func member(_ key: UnsafeRawBufferPointer, of node: Node) -> Node?

    /// The element at `index` of an array node.
    func element(_ index: Int, of node: Node) -> Node?

    /// Visits each direct child of an object or array until `body` returns false.
    func forEachChild(of node: Node, _ body: (Node) -> Bool)

    func kind(of node: Node) -> JSONValueKind

    /// Calls `body` with a scalar's text: a string decoded, a number as written.
    func withText<R>(of node: Node, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) -> R) -> R

    /// A number node's value.
    func numberValue(of node: Node) -> Double?
}

/// A plain text line with no JSON view: JSON patterns never match it.
public struct TextLine: FieldLookup {
    public let rawLine: UnsafeRawBufferPointer

    public init(_ rawLine: UnsafeRawBufferPointer) { self.rawLine = rawLine }

    public func jsonRoot() -> Never? { nil }
    public mutating func isValidJSONObject() -> Bool { false }
    public func member(_ key: UnsafeRawBufferPointer, of node: Never) -> Never? {}
    public func element(_ index: Int, of node: Never) -> Never? {}
    public func forEachChild(of node: Never, _ body: (Never) -> Bool) {}
    public func kind(of node: Never) -> JSONValueKind {}
    public func withText<R>(of node: Never, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) -> R) -> R {}
    public func numberValue(of node: Never) -> Double? {}
}
