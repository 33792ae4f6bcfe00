public import AsyncHTTPClient
import Foundation
public import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
public import TriplineConfig
import TriplineCore

/// `Type: webhook`: one HTTPS POST per notification through AsyncHTTPClient, with the body
/// format, headers, signing, timeout and trust roots the destination's settings give.
///
/// A 2xx is delivered; any other answer or transport error is a failure to retry (with
/// `Retry-After` when the receiver sent one). Redirects are not followed: a signed request
/// never goes to a host the config did not name. Errors and logs never hold the URL's path,
/// header values, the signing secret or the routing key.
public struct WebhookNotifier: Notifier {
    public let name: String
    public let retryPolicy: RetryPolicy
    let url: String
    let format: any PayloadFormat
    let headers: [(name: String, value: String)]
    let timeout: TimeAmount
    let tls: TLSConfiguration?
    let secret: Secret?
    let client: HTTPClient
    let redact: Redactor
    /// `https://host:port` only, for logs.
    let displayURL: String
    let logger: Logger

    /// The `HTTPClient` webhooks share: no redirects, no decompression.
    public static func makeClient() -> HTTPClient {
        HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)), decompression: .disabled))
    }

    /// Reads the secrets the settings name, parses the template, loads the CA bundle.
    /// - Throws: ``NotifierSetupError`` naming the setting and where it was written.
    public init(
        name: String, settings: WebhookSettings, location: String, client: HTTPClient,
        environment: [String: String]? = nil, logger: Logger
    ) throws(NotifierSetupError) {
        let path = "Destinations.\(name)"
        let environment = environment ?? ProcessInfo.processInfo.environment
        let reader = SecretReader(environment: environment)
        self.name = name
        self.client = client
        self.logger = logger
        retryPolicy = RetryPolicy(
            baseDelay: settings.retryBaseDelaySeconds, maxDelay: settings.retryMaxDelaySeconds,
            deadLetterAfter: settings.deadLetterAfterSeconds)
        switch settings.url {
        case .literal(let url):
            self.url = url
        case .environment(let variable):
            guard let url = environment[variable], !url.isEmpty else {
                throw NotifierSetupError("\(location): error: \(path).UrlEnv: the environment variable \(variable) is not set (or empty)\n  fix: export \(variable) with the webhook's URL")
            }
            if let problem = WebhookSettings.urlProblem(url, allowInsecureHTTP: settings.allowInsecureHTTP) {
                throw NotifierSetupError("\(location): error: \(path).UrlEnv: the URL in \(variable) \(problem)\n  fix: use https, or set AllowInsecureHttp: true for a trusted network")
            }
            self.url = url
        }
        let components = URLComponents(string: url)
        displayURL = "\(components?.scheme ?? "?")://\(components?.host ?? "?")\(components?.port.map { ":\($0)" } ?? "")"
        secret = try settings.secret.map { source throws(NotifierSetupError) in
            try reader.read(source, setting: "\(path).\(Self.settingName(source, "Secret"))", at: location)
        }
        var routingKey: Secret?
        switch settings.format {
        case .sns: format = SNSFormat()
        case .slack: format = SlackFormat()
        case .pagerduty:
            guard let source = settings.routingKey else {
                throw NotifierSetupError("\(location): error: \(path).RoutingKeyEnv: Format: pagerduty needs a routing key")
            }
            let key = try reader.read(source, setting: "\(path).\(Self.settingName(source, "RoutingKey"))", at: location)
            routingKey = key
            format = PagerDutyFormat(routingKey: key)
        case .template:
            let contentType = settings.headers.last { $0.name.lowercased() == "content-type" }?.value ?? "application/json"
            format = try TemplateFormat(template: settings.template ?? "", contentType: contentType, origin: settings.templateOrigin ?? location)
        }
        headers = settings.headers
        timeout = .milliseconds(Int64(settings.timeoutSeconds * 1000))
        if let bundle = settings.caBundle {
            var configuration = TLSConfiguration.makeClientConfiguration()
            do {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(bundle))
            } catch {
                throw NotifierSetupError("\(location): error: \(path).CaBundle: cannot load the CA bundle '\(bundle)': \(error)\n  fix: give a PEM file of CA certificates")
            }
            configuration.certificateVerification = .fullVerification
            tls = configuration
        } else {
            tls = nil
        }
        var sensitive = [url] + settings.headers.map(\.value)
        if let components, !components.percentEncodedPath.isEmpty, components.percentEncodedPath != "/" { sensitive.append(components.percentEncodedPath) }
        if let query = components?.percentEncodedQuery { sensitive.append(query) }
        if let secret { sensitive.append(secret.text) }
        if let routingKey { sensitive.append(routingKey.text) }
        redact = Redactor(sensitive)
    }

    private static func settingName(_ source: WebhookSettings.SecretSource, _ prefix: String) -> String {
        switch source {
        case .environment: prefix + "Env"
        case .file: prefix + "File"
        case .inline: prefix
        }
    }

    /// The request's headers and body for one attempt at Unix time `now` (seconds), signed when
    /// the destination has a secret. Exposed for tests and `tripline outbox` dry runs.
    public func request(for delivery: Delivery, unixTime now: Int64) -> (headers: [(String, String)], body: [UInt8]) {
        let payload = format.payload(for: delivery)
        var result: [(String, String)] = [
            ("Content-Type", payload.contentType),
            ("User-Agent", "Tripline/0.1 (+webhooks)"),
            ("Idempotency-Key", delivery.idempotencyKey),
            ("X-Tripline-Delivery-Attempt", String(delivery.attempt)),
        ]
        if let secret {
            let timestamp = String(now)
            result.append((WebhookSignature.timestampHeader, timestamp))
            result.append((WebhookSignature.signatureHeader, WebhookSignature.sign(secret: secret.bytes, timestamp: timestamp, body: payload.body)))
        }
        for header in headers {
            if let index = result.firstIndex(where: { $0.0.lowercased() == header.name.lowercased() }) {
                result[index] = (header.name, header.value)
            } else {
                result.append((header.name, header.value))
            }
        }
        return (result, payload.body)
    }

    public func deliver(_ delivery: Delivery) async -> DeliveryOutcome {
        let built = request(for: delivery, unixTime: Int64(Date().timeIntervalSince1970))
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in built.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: built.body))
        if let tls { request.tlsConfiguration = tls }
        var logger = logger
        logger[metadataKey: "destination"] = "\(name)"
        logger[metadataKey: "alarm"] = "\(delivery.alarmName)"
        logger[metadataKey: "idempotency_key"] = "\(delivery.idempotencyKey)"
        logger[metadataKey: "attempt"] = "\(delivery.attempt)"
        do {
            let response = try await client.execute(request, deadline: .now() + timeout)
            // Read (and bound) the body so the connection can be reused; keep a little for the error.
            let body = try await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            if (200..<300).contains(status) {
                logger.debug("delivered", metadata: ["url": "\(displayURL)", "status": "\(status)"])
                return .delivered(status: status)
            }
            var reason = "HTTP \(status) \(response.status.reasonPhrase) from \(displayURL)"
            let excerpt = String(decoding: body.readableBytesView.prefix(200), as: UTF8.self)
                .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
            if !excerpt.isEmpty { reason += ": \(excerpt)" }
            reason = redact(reason)
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.parseRetryAfter)
            logger.warning("delivery failed", metadata: ["url": "\(displayURL)", "reason": "\(reason)"])
            return .failed(reason: reason, retryAfter: retryAfter)
        } catch {
            let reason = redact(describe(error))
            logger.warning("delivery failed", metadata: ["url": "\(displayURL)", "reason": "\(reason)"])
            return .failed(reason: reason, retryAfter: nil)
        }
    }

    /// A transport error in words, with the host but never the path.
    func describe(_ error: any Error) -> String {
        let seconds = Double(timeout.nanoseconds) / 1e9
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout: return "no answer from \(displayURL) within \(seconds) s (TimeoutSeconds)"
            case .connectTimeout: return "could not connect to \(displayURL) within the connect timeout"
            case .remoteConnectionClosed: return "\(displayURL) closed the connection before answering"
            case .tlsHandshakeTimeout: return "TLS handshake with \(displayURL) timed out"
            default: return "request to \(displayURL) failed: \(error)"
            }
        }
        if let error = error as? NIOSSLError {
            return "TLS with \(displayURL) failed (is the certificate trusted? see CaBundle): \(error)"
        }
        return "request to \(displayURL) failed: \(error)"
    }

    /// `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`.
    public static func parseRetryAfter(_ text: String) -> RetryAfter? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(text), seconds.isFinite, seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for pattern in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = pattern
            if let date = formatter.date(from: text) {
                return .date(TimestampConversion.timestamp(date))
            }
        }
        return nil
    }
}

enum TimestampConversion {
    static func timestamp(_ date: Date) -> Timestamp {
        Timestamp(milliseconds: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}
