/// A borrowed, lazily scanned view of one event line holding a JSON object.
///
/// `EventView` never copies or parses the line up front. Each lookup walks the bytes from the node it is
/// given, skipping other members' values without parsing them, and stops with `nil` at the first byte
/// that does not fit, without ever reading outside `bytes`. Lookups do **not** validate: a line that
/// is not valid JSON may still answer some lookups. Run ``isValidObjectDocument(maxDepth:)`` before
/// acting on a match when strictness matters; it is a separate, full pass.
///
/// Nothing here allocates, except ``decodeString(_:into:)`` growing a caller's buffer the first time
/// and ``doubleValue(_:)`` on its rare slow path.
///
/// ```swift
/// line.withUnsafeBytes { bytes in
///     let view = EventView(bytes: bytes)
///     guard let root = view.root(), let name = view.member(Array("eventName".utf8), of: root) else { return }
///     var scratch: [UInt8] = []
///     view.withStringBytes(name, scratch: &scratch) { print($0.count) }
/// }
/// ```
///
/// - Important: The view borrows `bytes` unsafely. It, and every ``JSONNode`` it returns, is valid only
///   while the memory behind `bytes` is; keep the view inside the `withUnsafeBytes` scope.
public struct EventView {
    /// The line's bytes, without its newline.
    public let bytes: UnsafeRawBufferPointer

    /// Creates a view of one line.
    ///
    /// - Parameter bytes: The line's bytes. They must outlive the view and every node it returns.
    public init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The root object, or nil when the first non-whitespace byte is not `{`.
    ///
    /// This does not scan or validate the line: the node's `end` is the end of the line less trailing
    /// whitespace, which is the object's true end only for a well-formed line.
    ///
    /// - Complexity: O(leading + trailing whitespace).
    public func root() -> JSONNode? {
        let start = skipWhitespace(0)
        guard start < bytes.count, bytes[start] == ASCII.openBrace else { return nil }
        var end = bytes.count
        while end > start &+ 1, ASCII.isWhitespace(bytes[end &- 1]) { end &-= 1 }
        return JSONNode(kind: .object, start: start, end: end)
    }

    /// The value of member `key` of `object`.
    ///
    /// `key` is compared with the *decoded* member name, so `"event\u004eame"` matches `eventName`. Names
    /// without escapes are compared as raw bytes (length first), names with escapes are decoded on the
    /// fly without a scratch buffer.
    ///
    /// If a name occurs more than once, the **last** occurrence wins, as with most JSON parsers
    /// (Foundation's `JSONSerialization`, Python's `json`). The walk therefore always runs to the
    /// object's closing brace.
    ///
    /// - Parameters:
    ///   - key: The member name as raw UTF-8 bytes.
    ///   - object: An object node from this view.
    /// - Returns: The value, or nil when the name is absent, `object` is not an object, or the object is
    ///   malformed anywhere up to its closing brace.
    /// - Complexity: O(length of `object`).
    public func member(_ key: UnsafeRawBufferPointer, of object: JSONNode) -> JSONNode? {
        var found: JSONNode?
        let complete = walkMembers(of: object) { name, value in
            // A name without escapes is its decoded text, so its length alone rules most names out.
            if name.hasEscapes || name.end &- name.start == key.count, string(name, equals: key) { found = value }
            return true
        }
        return complete ? found : nil
    }

    /// The value of member `key` of `object`; the same as the `UnsafeRawBufferPointer` overload.
    ///
    /// - Parameters:
    ///   - key: The member name as UTF-8 bytes.
    ///   - object: An object node from this view.
    /// - Returns: The value, or nil when absent, not an object, or malformed.
    public func member(_ key: [UInt8], of object: JSONNode) -> JSONNode? {
        key.withUnsafeBytes { member($0, of: object) }
    }

    /// Element `index` (zero-based) of `array`.
    ///
    /// - Parameters:
    ///   - index: The element's position.
    ///   - array: An array node from this view.
    /// - Returns: The element, or nil when `index` is out of range, `array` is not an array, or the
    ///   array is malformed before the element ends.
    /// - Complexity: O(offset of the element within `array`).
    public func element(_ index: Int, of array: JSONNode) -> JSONNode? {
        guard index >= 0 else { return nil }
        var position = 0
        var found: JSONNode?
        _ = walkElements(of: array) { element in
            if position == index {
                found = element
                return false
            }
            position &+= 1
            return true
        }
        return found
    }

    /// Calls `body` with each direct child: an object's member values or an array's elements, in order.
    ///
    /// - Parameters:
    ///   - node: An object or array node; other kinds have no children.
    ///   - body: Returns `false` to stop early.
    ///
    /// Malformed data ends the iteration after the last child that could be read.
    public func forEachChild(of node: JSONNode, _ body: (JSONNode) -> Bool) {
        switch node.kind {
        case .object: _ = walkMembers(of: node) { _, value in body(value) }
        case .array: _ = walkElements(of: node, body)
        default: return
        }
    }

    /// Calls `body` with each member of `object`: the name (a string node) and the value, in order.
    ///
    /// Duplicate names are all reported. Use ``string(_:equals:)`` to compare a name with a key.
    ///
    /// - Parameters:
    ///   - object: An object node from this view.
    ///   - body: Receives the name and the value; returns `false` to stop early.
    /// - Returns: `true` when the walk reached the closing brace or `body` stopped it, `false` when
    ///   `object` is not an object or is malformed.
    @discardableResult
    public func forEachMember(of object: JSONNode, _ body: (_ name: JSONNode, _ value: JSONNode) -> Bool) -> Bool {
        walkMembers(of: object, body)
    }

    /// Hands each member of `object` to `recorder`, as ``forEachMember(of:_:)`` would visit them,
    /// without validating (a recorder is generic, so the walk is specialized for it: no closure
    /// call per member).
    /// - Returns: `true` when the walk reached the closing brace, `false` when `object` is not an
    ///   object or is malformed (the recorder may have received some members).
    public func recordMembers<Recorder: TopLevelMemberRecorder>(
        of object: JSONNode, into recorder: inout Recorder
    ) -> Bool {
        // The loop of ``walkMembers(of:_:)``, written out so that nothing per member is a call
        // through a closure: this walk runs on every event `backtest` reads.
        guard opens(object, as: .object, with: ASCII.openBrace) else { return false }
        let count = bytes.count
        var index = skipWhitespace(object.start &+ 1)
        guard index < count else { return false }
        if bytes[index] == ASCII.closeBrace { return true }
        while true {
            guard index < count, bytes[index] == ASCII.quote, let name = scanString(from: index &+ 1) else {
                return false
            }
            let key = JSONNode(kind: .string, start: index &+ 1, end: name.close, hasEscapes: name.hasEscapes)
            index = skipWhitespace(name.close &+ 1)
            guard index < count, bytes[index] == ASCII.colon else { return false }
            // Most values are strings: read here, the rest by `value(at:)`.
            let start = skipWhitespace(index &+ 1)
            let value: JSONNode
            if start < count, bytes[start] == ASCII.quote {
                guard let string = scanString(from: start &+ 1) else { return false }
                value = JSONNode(kind: .string, start: start &+ 1, end: string.close, hasEscapes: string.hasEscapes)
            } else {
                guard let other = self.value(at: start) else { return false }
                value = other
            }
            recorder.record(name: key, value: value)
            index = skipWhitespace(offset(after: value))
            guard index < count else { return false }
            if bytes[index] == ASCII.closeBrace { return true }
            guard bytes[index] == ASCII.comma else { return false }
            index = skipWhitespace(index &+ 1)
        }
    }

    /// Walks the members of `object`; false when malformed (true when it reached `}` or `body` stopped).
    @inline(__always)
    func walkMembers(of object: JSONNode, _ body: (JSONNode, JSONNode) -> Bool) -> Bool {
        guard opens(object, as: .object, with: ASCII.openBrace) else { return false }
        let count = bytes.count
        var index = skipWhitespace(object.start &+ 1)
        guard index < count else { return false }
        if bytes[index] == ASCII.closeBrace { return true }
        while true {
            guard index < count, bytes[index] == ASCII.quote, let name = scanString(from: index &+ 1) else {
                return false
            }
            let key = JSONNode(kind: .string, start: index &+ 1, end: name.close, hasEscapes: name.hasEscapes)
            index = skipWhitespace(name.close &+ 1)
            guard index < count, bytes[index] == ASCII.colon else { return false }
            guard let value = value(at: skipWhitespace(index &+ 1)) else { return false }
            if !body(key, value) { return true }
            index = skipWhitespace(offset(after: value))
            guard index < count else { return false }
            if bytes[index] == ASCII.closeBrace { return true }
            guard bytes[index] == ASCII.comma else { return false }
            index = skipWhitespace(index &+ 1)
        }
    }

    /// Walks the elements of `array`; false when malformed (true when it reached `]` or `body` stopped).
    @inline(__always)
    func walkElements(of array: JSONNode, _ body: (JSONNode) -> Bool) -> Bool {
        guard opens(array, as: .array, with: ASCII.openBracket) else { return false }
        let count = bytes.count
        var index = skipWhitespace(array.start &+ 1)
        guard index < count else { return false }
        if bytes[index] == ASCII.closeBracket { return true }
        while true {
            guard let element = value(at: index) else { return false }
            if !body(element) { return true }
            index = skipWhitespace(offset(after: element))
            guard index < count else { return false }
            if bytes[index] == ASCII.closeBracket { return true }
            guard bytes[index] == ASCII.comma else { return false }
            index = skipWhitespace(index &+ 1)
        }
    }
}
