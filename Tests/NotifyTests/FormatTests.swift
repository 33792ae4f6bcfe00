import Foundation
import Testing
@testable import Notify
import TriplineConfig
import TriplineCore

@Suite("Signing and body formats")
struct FormatTests {
    @Test("HMAC-SHA256 over timestamp.body matches a known vector")
    func knownVector() {
        let body = Array(#"{"AlarmName":"cis-root-usage"}"#.utf8)
        let signature = WebhookSignature.sign(secret: Array("whsec_test".utf8), timestamp: "1700000000", body: body)
        // python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec_test", b"1700000000." + body, hashlib.sha256).hexdigest())'
        #expect(signature == "sha256=146f2e205a7c5d1c53333e47bfe63369ec0e03713b7b6860cd5f95a06378889c")
        #expect(WebhookSignature.verify(secret: Array("whsec_test".utf8), timestamp: "1700000000", body: body, signature: signature))
        #expect(!WebhookSignature.verify(secret: Array("other".utf8), timestamp: "1700000000", body: body, signature: signature))
        #expect(!WebhookSignature.verify(secret: Array("whsec_test".utf8), timestamp: "1700000001", body: body, signature: signature))
        #expect(!WebhookSignature.verify(secret: Array("whsec_test".utf8), timestamp: "1700000000", body: body, signature: signature, now: 1_700_000_400))
    }

    @Test("sns keeps every byte and adds the idempotency key to the Tripline object")
    func snsSplice() throws {
        let message = sampleMessage()
        let body = SNSFormat().payload(for: sampleDelivery(key: "key-\"1\"")).body
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.contains(#""Threshold":1.0"#))
        #expect(text.contains(#""Tripline":{"IdempotencyKey":"key-\"1\"","Events":"#))
        #expect(body.count == message.count + #""IdempotencyKey":"key-\"1\"","#.utf8.count)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect((object["Tripline"] as? [String: Any])?["IdempotencyKey"] as? String == "key-\"1\"")

        // Without a Tripline object, with an empty one, with a key already there, and not JSON at all.
        let plain = SNSFormat.addingIdempotencyKey("k", to: Array(#"{"AlarmName":"a"}"#.utf8))
        #expect(String(decoding: plain, as: UTF8.self) == #"{"AlarmName":"a","Tripline":{"IdempotencyKey":"k"}}"#)
        let empty = SNSFormat.addingIdempotencyKey("k", to: Array(#"{"Tripline":{ }, "x": [1,{"Tripline":2}]}"#.utf8))
        #expect(String(decoding: empty, as: UTF8.self) == #"{"Tripline":{"IdempotencyKey":"k" }, "x": [1,{"Tripline":2}]}"#)
        let kept = Array(#"{"Tripline":{"IdempotencyKey":"k"}}"#.utf8)
        #expect(SNSFormat.addingIdempotencyKey("k", to: kept) == kept)
        let broken = SNSFormat.addingIdempotencyKey("k", to: Array("not json".utf8))
        #expect(try JSONSerialization.jsonObject(with: Data(broken)) is [String: Any])
    }

    @Test("slack says what fired, why and which events, with the key")
    func slack() throws {
        let body = SlackFormat().payload(for: sampleDelivery(key: "key-7")).body
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let text = try #require(object["text"] as? String)
        #expect(text.hasPrefix("🔴 ALARM: cis-root-usage — Threshold Crossed"))
        let blocks = String(decoding: body, as: UTF8.self)
        #expect(blocks.contains("ConsoleLogin (signin.amazonaws.com) by root from 198.51.100.7 at 2025-03-04T09:16:02Z"))
        #expect(blocks.contains("CISBenchmark/root_usage_metric"))
        #expect(blocks.contains("SUM >= 1 per 300s"))
        #expect(blocks.contains("key-7"))
    }

    @Test("pagerduty triggers on ALARM and resolves on OK with the same dedup_key")
    func pagerDuty() throws {
        let format = PagerDutyFormat(routingKey: Secret("R0UT1NGKEY0000000000000000000000"))
        let trigger = try #require(try JSONSerialization.jsonObject(with: Data(format.payload(for: sampleDelivery(key: "a")).body)) as? [String: Any])
        let resolve = try #require(try JSONSerialization.jsonObject(with: Data(format.payload(for: sampleDelivery(key: "b", newState: "OK")).body)) as? [String: Any])
        #expect(trigger["event_action"] as? String == "trigger")
        #expect(resolve["event_action"] as? String == "resolve")
        #expect(trigger["dedup_key"] as? String == "tripline:arn:aws:cloudwatch:us-east-1:111122223333:alarm:cis-root-usage")
        #expect(trigger["dedup_key"] as? String == resolve["dedup_key"] as? String)
        #expect(trigger["routing_key"] as? String == "R0UT1NGKEY0000000000000000000000")
        let payload = try #require(trigger["payload"] as? [String: Any])
        #expect(payload["severity"] as? String == "critical")
        #expect(payload["timestamp"] as? String == "2025-03-04T09:21:07.512Z")
        #expect((payload["custom_details"] as? [String: Any])?["idempotency_key"] as? String == "a")
        #expect(PagerDutyFormat.dedupKey(alarmName: String(repeating: "x", count: 300), alarmArn: nil).count < 255)
    }

    @Test("template renders the message's fields, JSON-escaped by default")
    func template() throws {
        let format = try TemplateFormat(
            template: #"{"text":"{{Emoji}} {{AlarmName}} is {{NewStateValue}}: {{NewStateReason}}","metric":"{{Trigger.MetricName}}","key":"{{IdempotencyKey}}","events":[{{#Events}}"{{Summary}}"{{/Events}}]}"#,
            origin: "test.yaml:1:1")
        let delivery = sampleDelivery(key: "k-9")
        let body = format.payload(for: delivery).body
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        #expect((object["text"] as? String)?.hasPrefix("🔴 cis-root-usage is ALARM: Threshold Crossed") == true)
        #expect(object["metric"] as? String == "root_usage_metric")
        #expect(object["key"] as? String == "k-9")
        #expect((object["events"] as? [String])?.first?.hasPrefix("ConsoleLogin") == true)

        // Quotes in a field stay valid JSON.
        var tricky = delivery
        tricky.message = sampleMessage(reason: #"a \"quoted\" reason"#)
        let trickyBody = format.payload(for: tricky).body
        #expect(try JSONSerialization.jsonObject(with: Data(trickyBody)) is [String: Any])

        #expect(throws: NotifierSetupError.self) { try TemplateFormat(template: "{{#open}} never closed", origin: "t.yaml:3:5") }
    }

    @Test("Retry-After as seconds or an HTTP date")
    func retryAfter() {
        #expect(WebhookNotifier.parseRetryAfter("120") == .seconds(120))
        #expect(WebhookNotifier.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT") == .date(.init(milliseconds: 1_445_412_480_000)))
        #expect(WebhookNotifier.parseRetryAfter("soon") == nil)
        #expect(RetryAfter.date(.init(milliseconds: 10_000)).seconds(from: .init(milliseconds: 4_000)) == 6)
    }

    @Test("backoff: full jitter under an exponential cap, at least Retry-After")
    func backoff() {
        let policy = RetryPolicy(baseDelay: 1, maxDelay: 300)
        #expect(policy.delay(afterAttempts: 1, retryAfter: nil, random: 0.999) < 1)
        #expect(policy.delay(afterAttempts: 4, retryAfter: nil, random: 0.5) == 4)
        #expect(policy.delay(afterAttempts: 30, retryAfter: nil, random: 0.9999) <= 300)
        #expect(policy.delay(afterAttempts: 1, retryAfter: 30, random: 0) == 30)
        #expect(policy.delay(afterAttempts: 1, retryAfter: 86_400, random: 0) == 3600)
    }

    @Test("a secret never prints")
    func secretRedacted() {
        let secret = Secret("hunter2-very-secret")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(!"\(Mirror(reflecting: secret).children.map { "\($0.value)" })".contains("hunter2"))
        let redact = Redactor(["hunter2-very-secret", "/services/T0/B0/XYZ"])
        #expect(redact("HTTP 500: echo hunter2-very-secret at /services/T0/B0/XYZ") == "HTTP 500: echo <redacted> at <redacted>")
    }
}
