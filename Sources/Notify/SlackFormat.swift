/// `Format: slack`: an incoming-webhook message (`text` for notifications and old clients,
/// `blocks` for the layout) that says what fired, why and which events, short enough for a phone.
public struct SlackFormat: PayloadFormat {
    /// At most this many events are listed; the rest are counted.
    public var maxEvents: Int

    public init(maxEvents: Int = 5) { self.maxEvents = maxEvents }

    static func emoji(_ state: String) -> String {
        switch state {
        case "ALARM": "🔴"
        case "OK": "✅"
        default: "⚪"
        }
    }

    public func payload(for delivery: Delivery) -> Payload {
        let fields = NotificationFields(delivery)
        let headline = "\(Self.emoji(fields.newState)) \(fields.newState): \(fields.alarmName)"
        var blocks: [[String: Any]] = [
            ["type": "header", "text": ["type": "plain_text", "text": JSONBody.truncate(headline, 150), "emoji": true]]
        ]
        var why = "*Why:* " + (fields.reason ?? "state changed from \(fields.oldState)")
        if let description = fields.alarmDescription, !description.isEmpty { why = "_\(description)_\n" + why }
        blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": JSONBody.truncate(why, 2900)]])

        var facts: [[String: Any]] = [["type": "mrkdwn", "text": "*Was*\n\(fields.oldState)"]]
        if let metric = fields.metricDescription { facts.append(["type": "mrkdwn", "text": "*Metric*\n\(JSONBody.truncate(metric, 1900))"]) }
        if let threshold = fields.thresholdDescription { facts.append(["type": "mrkdwn", "text": "*Threshold*\n\(threshold)"]) }
        if let account = fields.accountID { facts.append(["type": "mrkdwn", "text": "*Account*\n\(account)"]) }
        if let region = fields.region { facts.append(["type": "mrkdwn", "text": "*Region*\n\(region)"]) }
        facts.append(["type": "mrkdwn", "text": "*When*\n\(fields.stateChangeTime)"])
        blocks.append(["type": "section", "fields": Array(facts.prefix(10))])

        let events = fields.events
        let summaries = events.compactMap(NotificationFields.eventSummary)
        if !summaries.isEmpty {
            let total = max(fields.eventCount ?? events.count, summaries.count)
            var lines = summaries.prefix(maxEvents).map { "• " + JSONBody.truncate($0, 300) }
            if total > lines.count { lines.append("…and \(total - lines.count) more") }
            blocks.append([
                "type": "section",
                "text": ["type": "mrkdwn", "text": JSONBody.truncate("*Events (\(total))*\n" + lines.joined(separator: "\n"), 2900)],
            ])
        }
        blocks.append([
            "type": "context",
            "elements": [["type": "mrkdwn", "text": "Tripline · \(delivery.destination) · idempotency key `\(delivery.idempotencyKey)`"]],
        ])
        let fallback = headline + (fields.reason.map { " — " + $0 } ?? "")
        let object: [String: Any] = ["text": JSONBody.truncate(fallback, 3000), "blocks": blocks]
        return Payload(body: JSONBody.encode(object))
    }
}
