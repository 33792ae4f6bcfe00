import Foundation
import Logging
import Notify
import StateStore
import Synchronization
import TriplineConfig
import TriplineCore

/// A CloudWatch SNS alarm message like `alarms.md` §7.5, with Tripline evidence.
func sampleMessage(alarm: String = "cis-root-usage", newState: String = "ALARM", oldState: String = "OK", reason: String? = nil) -> [UInt8] {
    let reason = reason ?? "Threshold Crossed: 1 out of the last 1 datapoints [2.0 (04/03/25 09:15:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition)."
    let text = """
        {"AlarmName":"\(alarm)","AlarmDescription":"Root user activity","AWSAccountId":"111122223333","NewStateValue":"\(newState)","NewStateReason":"\(reason)","StateChangeTime":"2025-03-04T09:21:07.512+0000","Region":"US East (N. Virginia)","AlarmArn":"arn:aws:cloudwatch:us-east-1:111122223333:alarm:\(alarm)","OldStateValue":"\(oldState)","OKActions":[],"AlarmActions":["security"],"InsufficientDataActions":[],"Trigger":{"MetricName":"root_usage_metric","Namespace":"CISBenchmark","StatisticType":"Statistic","Statistic":"SUM","Unit":null,"Dimensions":[],"Period":300,"EvaluationPeriods":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold","Threshold":1.0,"TreatMissingData":"notBreaching","EvaluateLowSampleCountPercentile":""},"Tripline":{"Events":[{"eventID":"3a1f0c1e-1111-4c7e-9d3b-000000000001","eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","eventTime":"2025-03-04T09:16:02Z","sourceIPAddress":"198.51.100.7","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root"},"input":"trail.json","line":12}]}}
        """
    return Array(text.utf8)
}

func sampleNotification(key: String, alarm: String = "cis-root-usage", newState: AlarmState = .alarm, destinations: [String] = ["hook"]) -> AlarmNotification {
    AlarmNotification(
        idempotencyKey: key, alarmName: alarm, oldState: newState == .alarm ? .ok : .alarm, newState: newState,
        stateChangeTime: Timestamp(milliseconds: 1_741_080_067_512), destinations: destinations,
        message: sampleMessage(alarm: alarm, newState: newState.rawValue, oldState: newState == .alarm ? "OK" : "ALARM"))
}

func sampleDelivery(key: String = "k-1", alarm: String = "cis-root-usage", newState: String = "ALARM") -> Delivery {
    Delivery(
        idempotencyKey: key, destination: "hook", alarmName: alarm, oldState: newState == "ALARM" ? "OK" : "ALARM", newState: newState,
        stateChangeTime: Timestamp(milliseconds: 1_741_080_067_512),
        message: sampleMessage(alarm: alarm, newState: newState, oldState: newState == "ALARM" ? "OK" : "ALARM"))
}

let testLogger: Logger = {
    var logger = Logger(label: "tripline.tests", factory: { _ in SwiftLogNoOpLogHandler() })
    logger.logLevel = .critical
    return logger
}()

/// A logger that keeps every line, to check that nothing secret is logged.
final class CapturedLog: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "tripline.tests", factory: { _ in CapturingHandler(log: self) })
        logger.logLevel = .trace
        return logger
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }
}

struct CapturingHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        log.lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
    }
}

/// Wall-clock time that jumps forward instead of sleeping, so backoff and dead-letter times
/// pass at once; records every sleep it was asked for (in seconds from then).
final class JumpClock: SenderClock {
    private let offset = Mutex<Int64>(0)
    let sleeps = Mutex<[Double]>([])

    func now() -> Timestamp {
        let real = SystemSenderClock().now()
        return Timestamp(milliseconds: real.milliseconds + offset.withLock { $0 })
    }

    func sleep(until deadline: Timestamp) async throws {
        let now = now()
        sleeps.withLock { $0.append(Double(deadline.milliseconds - now.milliseconds) / 1000) }
        try await Task.sleep(for: .milliseconds(2))
        let jump = deadline.milliseconds - now.milliseconds
        if jump > 0 { offset.withLock { $0 += jump } }
    }

    func advance(seconds: Double) { offset.withLock { $0 += Int64(seconds * 1000) } }
}

/// A fresh temporary directory.
func temporaryDirectory(_ name: String = "tripline-notify") -> String {
    let path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Webhook settings for a loopback test server with fast retries.
func fastSettings(url: String, secretEnv: String? = "TRIPLINE_TEST_SECRET") -> WebhookSettings {
    var settings = WebhookSettings(url: .literal(url))
    settings.secret = secretEnv.map { .environment($0) }
    settings.retryBaseDelaySeconds = 0.02
    settings.retryMaxDelaySeconds = 0.1
    settings.timeoutSeconds = 5
    return settings
}

let testSecret = "whsec_test_\(UUID().uuidString)"
let testEnvironment = ["TRIPLINE_TEST_SECRET": testSecret]

/// Checks a recorded request's signature with the receiver's recipe.
func hasValidSignature(_ request: RecordedRequest, secret: String = testSecret) -> Bool {
    guard let timestamp = request.headers["x-tripline-timestamp"], let signature = request.headers["x-tripline-signature"] else { return false }
    return WebhookSignature.verify(
        secret: Array(secret.utf8), timestamp: timestamp, body: request.body, signature: signature,
        now: Int64(Date().timeIntervalSince1970), tolerance: 600)
}

/// Runs `body` with a sender running in the background, then stops it.
func withSender<T: Sendable>(
    _ sender: OutboxSender, _ body: () async throws -> T
) async rethrows -> T {
    let task = Task { await sender.run() }
    defer { task.cancel() }
    let result = try await body()
    task.cancel()
    await task.value
    return result
}

/// Polls until `condition` holds or `timeout` seconds pass.
func eventually(timeout: Double = 90, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try condition()
}
