import Foundation
import Testing
import Notify
@testable import TriplineConfig

/// Decoding and checking `Type: webhook` destinations (problems at file:line:col).
@Suite("Webhook destinations in the config")
struct WebhookConfigTests {
    func load(_ yaml: String, files: [String: String] = [:]) throws -> ConfigLoader.Result {
        let directory = temporaryDirectory("tripline-config")
        for (name, text) in files { try text.write(toFile: "\(directory)/\(name)", atomically: true, encoding: .utf8) }
        let path = "\(directory)/tripline.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return ConfigLoader().load([path])
    }

    let alarm = """
        MetricAlarms:
          - AlarmName: root
            Namespace: CISBenchmark
            MetricName: root_usage_metric
            Statistic: Sum
            Period: 300
            EvaluationPeriods: 1
            Threshold: 1
            ComparisonOperator: GreaterThanOrEqualToThreshold
            AlarmActions: [hook]

        """

    @Test("every setting decodes")
    func full() throws {
        let result = try load(
            alarm + """
                Destinations:
                  hook:
                    Type: webhook
                    Url: https://alerts.example.com/tripline
                    Format: template
                    TemplateFile: body.mustache
                    Headers: {X-Team: security, Content-Type: application/json}
                    TimeoutSeconds: 2.5
                    CaBundle: ca.pem
                    SecretEnv: TRIPLINE_WEBHOOK_SECRET
                    RetryBaseDelay: 2s
                    RetryMaxDelay: 10m
                    DeadLetterAfter: 48h
                """, files: ["body.mustache": "{\"text\": \"{{AlarmName}}\"}", "ca.pem": "-----BEGIN CERTIFICATE-----\n"])
        #expect(!result.problems.hasErrors, "\(result.problems.problems)")
        let settings = try #require(result.configuration.destinations.first?.webhook)
        #expect(settings.url == .literal("https://alerts.example.com/tripline"))
        #expect(settings.format == .template)
        #expect(settings.template == "{\"text\": \"{{AlarmName}}\"}")
        #expect(settings.headers.map(\.name) == ["X-Team", "Content-Type"])
        #expect(settings.timeoutSeconds == 2.5)
        #expect(settings.caBundle?.hasSuffix("/ca.pem") == true)
        #expect(settings.secret == .environment("TRIPLINE_WEBHOOK_SECRET"))
        #expect(settings.retryBaseDelaySeconds == 2)
        #expect(settings.retryMaxDelaySeconds == 600)
        #expect(settings.deadLetterAfterSeconds == 172_800)
    }

    @Test("pagerduty defaults its URL and needs a routing key")
    func pagerDuty() throws {
        let good = try load(alarm + "Destinations:\n  hook: {Type: webhook, Format: pagerduty, RoutingKeyEnv: PD_KEY}\n")
        #expect(!good.problems.hasErrors, "\(good.problems.problems)")
        #expect(good.configuration.destinations.first?.webhook?.url == .literal(WebhookSettings.pagerDutyEventsURL))
        #expect(good.configuration.destinations.first?.webhook?.routingKey == .environment("PD_KEY"))
        let bad = try load(alarm + "Destinations:\n  hook: {Type: webhook, Format: pagerduty}\n")
        #expect(bad.problems.errors.contains { $0.path == "Destinations.hook.RoutingKeyEnv" && $0.message.contains("routing key") })
    }

    @Test("mistakes are reported where they were written")
    func mistakes() throws {
        let result = try load(
            alarm + """
                Destinations:
                  hook:
                    Type: webhook
                    Url: http://alerts.example.com/hook
                    Format: slak
                    SecretEnv: not a name
                    Headers: {Idempotency-Key: mine}
                    TimeoutSeconds: 0
                    DeadLetterAfter: soon
                  printer:
                    Type: stdout
                    Url: https://example.com
                  other: {Type: webhoook}
                """)
        let errors = result.problems.errors
        func problem(_ path: String) -> ConfigProblem? { errors.first { $0.path == path } }
        let url = try #require(problem("Destinations.hook.Url"))
        #expect(url.message.contains("plain http"))
        #expect(url.location.line == 14 && url.location.column == 10)
        #expect(problem("Destinations.hook.Format")?.fix == "did you mean 'slack'?")
        #expect(problem("Destinations.hook.SecretEnv") != nil)
        #expect(problem("Destinations.hook.Headers.Idempotency-Key") != nil)
        #expect(problem("Destinations.hook.TimeoutSeconds") != nil)
        #expect(problem("Destinations.hook.DeadLetterAfter") != nil)
        #expect(problem("Destinations.printer.Url")?.message == "'Url' applies only to Type: webhook")
        #expect(problem("Destinations.other.Type")?.fix == "did you mean 'webhook'?")
        #expect("\(url)".contains("tripline.yaml:14:10: error: Destinations.hook.Url:"))
    }

    @Test("http is allowed to loopback, or when explicitly allowed")
    func insecureHTTP() {
        #expect(WebhookSettings.urlProblem("http://127.0.0.1:8080/x", allowInsecureHTTP: false) == nil)
        #expect(WebhookSettings.urlProblem("http://localhost/x", allowInsecureHTTP: false) == nil)
        #expect(WebhookSettings.urlProblem("http://[::1]:9/x", allowInsecureHTTP: false) == nil)
        #expect(WebhookSettings.urlProblem("http://10.0.0.1/x", allowInsecureHTTP: false) != nil)
        #expect(WebhookSettings.urlProblem("http://10.0.0.1/x", allowInsecureHTTP: true) == nil)
        #expect(WebhookSettings.urlProblem("ftp://example.com/x", allowInsecureHTTP: true) != nil)
        #expect(WebhookSettings.urlProblem("/relative", allowInsecureHTTP: false) != nil)
    }
}

@Suite("Destination set-up")
struct NotifierSetupTests {
    @Test("a missing secret variable stops start-up, naming the setting and where it was written")
    func missingSecret() throws {
        var settings = WebhookSettings(url: .literal("https://alerts.example.com/x"))
        settings.secret = .environment("TRIPLINE_TEST_MISSING_SECRET")
        let destination = DestinationDefinition(
            name: "hook", kind: .webhook, arns: [], location: SourceLocation(file: "t.yaml", line: 4, column: 3), path: "Destinations.hook",
            webhook: settings)
        var message = ""
        do {
            _ = try NotifierSet(destinations: [destination], environment: [:], logger: testLogger)
        } catch {
            message = "\(error)"
        }
        #expect(message.hasPrefix("t.yaml:4:3: error: Destinations.hook.SecretEnv: the environment variable TRIPLINE_TEST_MISSING_SECRET is not set"))
    }
}
