/// Encoded as its tree, one key per node: `{"constant": true}`, `{"state": "ALARM", "alarm": "a"}`,
/// `{"not": …}`, `{"and": [...]}`, `{"or": [...]}`. Not as text: names may hold any character, and the
/// tree needs no parser limits to read back.
extension AlarmRule: Codable {
    enum CodingKeys: String, CodingKey { case constant, state, alarm, not, and, or }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let value = try container.decodeIfPresent(Bool.self, forKey: .constant) {
            self = .constant(value)
        } else if let state = try container.decodeIfPresent(AlarmState.self, forKey: .state) {
            self = .state(state, alarm: try container.decode(String.self, forKey: .alarm))
        } else if let inner = try container.decodeIfPresent(AlarmRule.self, forKey: .not) {
            self = .not(inner)
        } else if let rules = try container.decodeIfPresent([AlarmRule].self, forKey: .and) {
            self = .and(rules)
        } else if let rules = try container.decodeIfPresent([AlarmRule].self, forKey: .or) {
            self = .or(rules)
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: container.codingPath, debugDescription: "expected one of constant, state, not, and, or"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .constant(let value): try container.encode(value, forKey: .constant)
        case .state(let state, let alarm):
            try container.encode(state, forKey: .state)
            try container.encode(alarm, forKey: .alarm)
        case .not(let inner): try container.encode(inner, forKey: .not)
        case .and(let rules): try container.encode(rules, forKey: .and)
        case .or(let rules): try container.encode(rules, forKey: .or)
        }
    }
}
