/// Where a config value was written: file, line and column (1-based).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A YAML or JSON value with the place it was written, independent of the parser that read it.
public indirect enum ConfigNode: Sendable {
    /// A scalar as written; `quoted` tells `"1"` from `1`. `tag` is a CloudFormation short form
    /// such as `!Ref`, without the `!`.
    case scalar(String, quoted: Bool, tag: String?, SourceLocation)
    case mapping([(key: String, keyLocation: SourceLocation, value: ConfigNode)], tag: String?, SourceLocation)
    case sequence([ConfigNode], tag: String?, SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .scalar(_, _, _, let location), .mapping(_, _, let location), .sequence(_, _, let location): location
        }
    }

    public var tag: String? {
        switch self {
        case .scalar(_, _, let tag, _), .mapping(_, let tag, _), .sequence(_, let tag, _): tag
        }
    }

    /// The members of a mapping, or nil.
    public var members: [(key: String, keyLocation: SourceLocation, value: ConfigNode)]? {
        if case .mapping(let members, _, _) = self { return members }
        return nil
    }

    /// The member `key` of a mapping.
    public subscript(key: String) -> ConfigNode? {
        members?.last { $0.key == key }?.value
    }

    /// A scalar's text.
    public var text: String? {
        if case .scalar(let text, _, _, _) = self { return text }
        return nil
    }

    /// Whether the scalar is YAML's null (`~`, `null`, empty and unquoted).
    public var isNull: Bool {
        if case .scalar(let text, let quoted, nil, _) = self {
            return !quoted && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL")
        }
        return false
    }

    /// A name for the node's kind, for messages ("a list", "a mapping", "text").
    public var kindName: String {
        switch self {
        case .scalar: isNull ? "null" : "a scalar"
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }
}
