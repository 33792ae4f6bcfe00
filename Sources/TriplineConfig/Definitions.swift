import Foundation
public import MetricFilters
public import TriplineCore

/// Where a definition came from, for messages.
public enum ConfigFormat: String, Sendable {
    case tripline = "Tripline file"
    case cloudFormation = "CloudFormation template"
}

/// A name in `AlarmActions`, `OKActions` or `InsufficientDataActions`, with where it was written.
public struct ActionReference: Sendable, Hashable {
    public var name: String
    public var location: SourceLocation
}

/// A metric filter as defined (before its pattern is compiled).
public struct MetricFilterDefinition: Sendable {
    public var filterName: String
    public var filterPattern: String
    public var logGroupName: String?
    public var transformations: [MetricTransformation]
    public var location: SourceLocation
    /// Where the pattern text starts, for caret diagnostics inside the file.
    public var patternLocation: SourceLocation
    /// `metricFilters[3]` or `Resources.RootUsageFilter`.
    public var path: String
}

/// A metric alarm as `PutMetricAlarm` defines it (static thresholds only).
public struct MetricAlarmDefinition: Sendable {
    public var alarmName: String
    public var alarmDescription: String?
    public var actionsEnabled: Bool
    public var alarmActions: [ActionReference]
    public var okActions: [ActionReference]
    public var insufficientDataActions: [ActionReference]
    public var namespace: String
    public var metricName: String
    public var dimensions: [(name: String, value: String)]
    public var statistic: Statistic
    public var period: Int
    public var evaluationPeriods: Int
    public var datapointsToAlarm: Int
    public var threshold: Double
    public var comparisonOperator: ComparisonOperator
    public var treatMissingData: TreatMissingData
    /// `EvaluateLowSampleCountPercentile: ignore` sets this to false.
    public var evaluateLowSampleCountPercentile: Bool
    public var unit: StandardUnit?
    /// `StateValue` from `describe-alarms`, to resume in the same state.
    public var stateValue: AlarmState?
    public var location: SourceLocation
    public var path: String
}

/// A composite alarm: a rule over other alarms' states.
public struct CompositeAlarmDefinition: Sendable {
    public var alarmName: String
    public var alarmDescription: String?
    public var alarmRule: AlarmRule
    public var alarmRuleText: String
    public var actionsEnabled: Bool
    public var alarmActions: [ActionReference]
    public var okActions: [ActionReference]
    public var insufficientDataActions: [ActionReference]
    public var actionsSuppressor: String?
    public var actionsSuppressorWaitPeriod: Int?
    public var actionsSuppressorExtensionPeriod: Int?
    public var stateValue: AlarmState?
    public var location: SourceLocation
    /// Where the rule text starts.
    public var ruleLocation: SourceLocation
    public var path: String
}

/// Where notifications go.
public struct DestinationDefinition: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// One notification JSON per line on standard output.
        case stdout
        /// An HTTP POST per notification, through the on-disk outbox (`webhooks.md`).
        case webhook
    }

    public var name: String
    public var kind: Kind
    /// Action ARNs that mean this destination (an imported alarm's SNS topic, say).
    public var arns: [String]
    public var location: SourceLocation
    public var path: String
    /// The settings of a `webhook` destination (nil for `stdout`).
    public var webhook: WebhookSettings? = nil
}

/// How a webhook destination sends: where, in which body format, signed with what, retried how long.
/// Secrets are named here (an environment variable or a file), never held: the notifier reads them
/// when it starts.
public struct WebhookSettings: Sendable, Hashable {
    /// The body a webhook receives.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// The CloudWatch SNS message JSON with Tripline's evidence (the default).
        case sns
        /// A Slack incoming-webhook message.
        case slack
        /// A PagerDuty Events API v2 event.
        case pagerduty
        /// The user's Mustache template over the notification's fields.
        case template
    }

    /// Where a secret comes from.
    public enum SecretSource: Sendable, Hashable, CustomStringConvertible {
        /// The value of an environment variable.
        case environment(String)
        /// The contents of a file (trailing newlines dropped), path as written or made absolute.
        case file(String)
        /// Written in the config itself (allowed for PagerDuty routing keys, which are not signing secrets).
        case inline(String)

        /// Names the source, never the value.
        public var description: String {
            switch self {
            case .environment(let name): "environment variable \(name)"
            case .file(let path): "file \(path)"
            case .inline: "the config"
            }
        }
    }

    /// Where the URL comes from: written (`Url`) or an environment variable (`UrlEnv`, for URLs that
    /// are secrets themselves, like Slack's).
    public enum URLSource: Sendable, Hashable {
        case literal(String)
        case environment(String)
    }

    /// PagerDuty's Events API v2 endpoint, the default `Url` of `Format: pagerduty`.
    public static let pagerDutyEventsURL = "https://events.pagerduty.com/v2/enqueue"

    public var url: URLSource
    public var format: Format = .sns
    /// The Mustache template text of `Format: template` (`Template`, or read from `TemplateFile`).
    public var template: String? = nil
    /// Where the template came from, for messages: the config location or the template file.
    public var templateOrigin: String? = nil
    /// Extra request headers, in the order written.
    public var headers: [(name: String, value: String)] = []
    /// How long one request may take, connect to last byte.
    public var timeoutSeconds: Double = 10
    /// A PEM file of CA certificates that replaces the system's trust roots for this destination.
    public var caBundle: String? = nil
    /// Allows `http://` to hosts other than loopback.
    public var allowInsecureHTTP: Bool = false
    /// The HMAC-SHA256 signing secret (`SecretEnv` or `SecretFile`); nil sends unsigned requests.
    public var secret: SecretSource? = nil
    /// The PagerDuty routing (integration) key (`RoutingKey`, `RoutingKeyEnv` or `RoutingKeyFile`).
    public var routingKey: SecretSource? = nil
    /// Retry backoff: the first delay and the largest (full jitter between 0 and the capped exponential).
    public var retryBaseDelaySeconds: Double = 1
    public var retryMaxDelaySeconds: Double = 300
    /// How long a notification is retried before it moves to the dead-letter table.
    public var deadLetterAfterSeconds: Double = 86_400

    public init(url: URLSource) { self.url = url }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.url == rhs.url && lhs.format == rhs.format && lhs.template == rhs.template
            && lhs.headers.map(\.name) == rhs.headers.map(\.name) && lhs.headers.map(\.value) == rhs.headers.map(\.value)
            && lhs.timeoutSeconds == rhs.timeoutSeconds && lhs.caBundle == rhs.caBundle
            && lhs.allowInsecureHTTP == rhs.allowInsecureHTTP && lhs.secret == rhs.secret && lhs.routingKey == rhs.routingKey
            && lhs.retryBaseDelaySeconds == rhs.retryBaseDelaySeconds && lhs.retryMaxDelaySeconds == rhs.retryMaxDelaySeconds
            && lhs.deadLetterAfterSeconds == rhs.deadLetterAfterSeconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(url)
        hasher.combine(format)
        hasher.combine(template)
    }

    /// Why `url` may not be used as a webhook URL, or nil when it may: an absolute `https` URL,
    /// or `http` to a loopback host (or any host with `allowInsecureHTTP`). Never quotes the URL,
    /// which can be a secret.
    public static func urlProblem(_ url: String, allowInsecureHTTP: Bool) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            return "is not an absolute URL"
        }
        guard let host = components.host, !host.isEmpty else { return "has no host" }
        switch scheme {
        case "https": return nil
        case "http":
            if allowInsecureHTTP || isLoopback(host) { return nil }
            return "uses plain http to a host that is not loopback"
        default:
            return "uses the scheme '\(scheme)'; webhooks use https (or http to loopback)"
        }
    }

    /// `localhost`, `127.0.0.0/8` and `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: ["[", "]"])
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}

/// Everything the loaded configs define, checked and with every filter compiled.
public struct Configuration: Sendable {
    public var files: [String] = []
    public var metricFilters: [MetricFilterDefinition] = []
    public var metricAlarms: [MetricAlarmDefinition] = []
    public var compositeAlarms: [CompositeAlarmDefinition] = []
    public var destinations: [DestinationDefinition] = []
    /// The compiled filters, in definition order (only when the config has no errors).
    public var filters: [MetricFilter] = []
    /// Resources of CloudFormation templates that define nothing for Tripline (noted, not failed).
    public var ignoredResources: [String] = []

    public init() {}
}
