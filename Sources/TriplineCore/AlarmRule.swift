/// A composite alarm's `AlarmRule`: a Boolean function of other alarms' states.
///
/// ```
/// rule    := expr
/// expr    := term { "OR" term }
/// term    := factor { "AND" factor }
/// factor  := "NOT" factor | "(" expr ")" | state "(" ref ")" | "TRUE" | "FALSE"
/// state   := "ALARM" | "OK" | "INSUFFICIENT_DATA"
/// ref     := bare-name | '"' name-or-arn '"'
/// ```
/// AWS documents no precedence; Tripline uses NOT > AND > OR, the usual reading.
public indirect enum AlarmRule: Sendable, Hashable, CustomStringConvertible {
    case constant(Bool)
    /// True when the alarm named (by name or ARN) is in the state.
    case state(AlarmState, alarm: String)
    case not(AlarmRule)
    case and([AlarmRule])
    case or([AlarmRule])

    /// The most characters a rule may have (`PutCompositeAlarm`).
    public static let maxLength = 10_240
    /// The most child references a rule may hold.
    public static let maxChildren = 100
    /// How deeply parentheses and NOT may nest in Tripline.
    public static let maxDepth = 64

    /// Evaluates the rule given each child's current state (unknown children read as
    /// `INSUFFICIENT_DATA`).
    public func evaluate(_ stateOf: (String) -> AlarmState?) -> Bool {
        switch self {
        case .constant(let value): value
        case .state(let state, let alarm): (stateOf(alarm) ?? .insufficientData) == state
        case .not(let rule): !rule.evaluate(stateOf)
        case .and(let rules): rules.allSatisfy { $0.evaluate(stateOf) }
        case .or(let rules): rules.contains { $0.evaluate(stateOf) }
        }
    }

    /// Every alarm the rule refers to, in order of first appearance.
    public var children: [String] {
        var names: [String] = []
        func visit(_ rule: AlarmRule) {
            switch rule {
            case .constant: break
            case .state(_, let alarm): if !names.contains(alarm) { names.append(alarm) }
            case .not(let inner): visit(inner)
            case .and(let rules), .or(let rules): rules.forEach(visit)
            }
        }
        visit(self)
        return names
    }

    public var description: String {
        switch self {
        case .constant(let value): value ? "TRUE" : "FALSE"
        case .state(let state, let alarm): "\(state.rawValue)(\"\(alarm)\")"
        case .not(let rule): "NOT \(rule.parenthesized)"
        case .and(let rules): rules.map(\.parenthesized).joined(separator: " AND ")
        case .or(let rules): rules.map(\.parenthesized).joined(separator: " OR ")
        }
    }

    private var parenthesized: String {
        switch self {
        case .and, .or: "(\(description))"
        default: description
        }
    }
}

/// Why an `AlarmRule` was rejected, with the character offset it points at.
public struct AlarmRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var message: String
    public var fix: String

    public init(offset: Int, message: String, fix: String) {
        self.offset = offset
        self.message = message
        self.fix = fix
    }

    public var description: String { "at character \(offset + 1): \(message); \(fix)" }
}
