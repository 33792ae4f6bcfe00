import Foundation
import Mustache

/// `Format: template`: the user's Mustache template (swift-mustache) over the message's fields
/// (`{{AlarmName}}`, `{{NewStateReason}}`, `{{Trigger.MetricName}}`, …) and Tripline's own:
/// `{{IdempotencyKey}}`, `{{Destination}}`, `{{Attempt}}`, `{{Emoji}}`, `{{Message}}` (the raw
/// JSON), `{{#Events}}{{Summary}}{{/Events}}`.
///
/// `{{name}}` escapes for the inside of a JSON string when the body is JSON (the default
/// `Content-Type`), and inserts text as is otherwise; `{{{name}}}` never escapes.
public struct TemplateFormat: PayloadFormat {
    let template: MustacheTemplate
    let contentType: String

    /// - Throws: ``NotifierSetupError`` naming `origin` when the template does not parse.
    public init(template text: String, contentType: String = "application/json", origin: String) throws(NotifierSetupError) {
        Self.registerContentTypes
        let escaping = contentType.lowercased().contains("json") ? "JSON" : "TEXT"
        do {
            template = try MustacheTemplate(string: "{{% CONTENT_TYPE: \(escaping)}}" + text)
        } catch {
            throw NotifierSetupError("\(origin): error: the template does not parse: \(error)\n  fix: check the {{ }} tags and that every {{#section}} is closed by {{/section}}")
        }
        self.contentType = contentType
    }

    private static let registerContentTypes: Void = {
        MustacheContentTypes.register(JSONStringContentType(), named: "JSON")
    }()

    public func payload(for delivery: Delivery) -> Payload {
        let fields = NotificationFields(delivery)
        var context = fields.object
        context["IdempotencyKey"] = delivery.idempotencyKey
        context["Destination"] = delivery.destination
        context["Attempt"] = delivery.attempt
        context["Emoji"] = SlackFormat.emoji(fields.newState)
        context["Message"] = String(decoding: delivery.message, as: UTF8.self)
        context["AlarmName"] = context["AlarmName"] ?? delivery.alarmName
        context["NewStateValue"] = context["NewStateValue"] ?? delivery.newState
        context["OldStateValue"] = context["OldStateValue"] ?? delivery.oldState
        context["Events"] = fields.events.map { event -> [String: Any] in
            var event = event
            event["Summary"] = NotificationFields.eventSummary(event) ?? ""
            return event
        }
        return Payload(body: Array(template.render(context).utf8), contentType: contentType)
    }
}

/// Escapes for the inside of a JSON string.
struct JSONStringContentType: MustacheContentType {
    func escapeText(_ text: String) -> String { JSONBody.escape(text) }
}
