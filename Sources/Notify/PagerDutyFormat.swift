/// `Format: pagerduty`: a PagerDuty Events API v2 event. `ALARM` and `INSUFFICIENT_DATA` trigger,
/// `OK` resolves, all with the same `dedup_key` derived from the alarm, so the resolve closes the
/// incident the trigger opened.
public struct PagerDutyFormat: PayloadFormat {
    let routingKey: Secret

    public init(routingKey: Secret) { self.routingKey = routingKey }

    /// `tripline:<alarm ARN or name>`, hashed when longer than PagerDuty's 255 characters.
    public static func dedupKey(alarmName: String, alarmArn: String?) -> String {
        let key = "tripline:" + (alarmArn ?? alarmName)
        return key.count <= 255 ? key : "tripline:sha256:" + WebhookSignature.sha256Hex(alarmArn ?? alarmName)
    }

    public func payload(for delivery: Delivery) -> Payload {
        let fields = NotificationFields(delivery)
        let action = fields.newState == "OK" ? "resolve" : "trigger"
        var details: [String: Any] = [
            "alarm_name": fields.alarmName,
            "new_state": fields.newState,
            "old_state": fields.oldState,
            "state_change_time": fields.stateChangeTime,
            "idempotency_key": delivery.idempotencyKey,
        ]
        if let reason = fields.reason { details["reason"] = reason }
        if let description = fields.alarmDescription { details["description"] = description }
        if let metric = fields.metricDescription { details["metric"] = metric }
        if let threshold = fields.thresholdDescription { details["threshold"] = threshold }
        if let arn = fields.alarmArn { details["alarm_arn"] = arn }
        let events = fields.events.compactMap(NotificationFields.eventSummary)
        if !events.isEmpty { details["events"] = Array(events.prefix(20)) }
        let summary = "\(fields.newState): \(fields.alarmName)" + (fields.reason.map { " — " + $0 } ?? "")
        let source = [fields.accountID, fields.region].compactMap { $0 }.joined(separator: " ")
        var object: [String: Any] = [
            "routing_key": routingKey.text,
            "event_action": action,
            "dedup_key": Self.dedupKey(alarmName: fields.alarmName, alarmArn: fields.alarmArn),
            "client": "Tripline",
            "payload": [
                "summary": JSONBody.truncate(summary, 1024),
                "source": source.isEmpty ? "tripline" : source,
                "severity": fields.newState == "ALARM" ? "critical" : "warning",
                "timestamp": Self.isoTimestamp(fields.stateChangeTime),
                "component": fields.metricDescription ?? fields.alarmName,
                "group": "cloudwatch-alarm",
                "class": fields.newState,
                "custom_details": details,
            ] as [String: Any],
        ]
        if action == "resolve" {
            // PagerDuty ignores a resolve's payload; keep a small one for receivers that log bodies.
            object["payload"] = [
                "summary": JSONBody.truncate(summary, 1024), "source": source.isEmpty ? "tripline" : source, "severity": "info",
                "custom_details": details,
            ] as [String: Any]
        }
        return Payload(body: JSONBody.encode(object))
    }

    /// CloudWatch's `+0000` as PagerDuty's ISO 8601 `Z`.
    static func isoTimestamp(_ text: String) -> String {
        text.hasSuffix("+0000") ? String(text.dropLast(5)) + "Z" : text
    }
}
