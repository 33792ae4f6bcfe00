public import TriplineCore
public import StateStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One notification on its way to one destination: what a ``Notifier`` sends.
public struct Delivery: Sendable, Hashable {
    public var idempotencyKey: String
    public var destination: String
    public var alarmName: String
    public var oldState: String
    public var newState: String
    public var stateChangeTime: Timestamp
    /// The CloudWatch SNS message JSON with Tripline's evidence (one line, UTF-8).
    public var message: [UInt8]
    /// 1 for the first attempt.
    public var attempt: Int

    public init(
        idempotencyKey: String, destination: String, alarmName: String, oldState: String, newState: String,
        stateChangeTime: Timestamp, message: [UInt8], attempt: Int = 1
    ) {
        self.idempotencyKey = idempotencyKey
        self.destination = destination
        self.alarmName = alarmName
        self.oldState = oldState
        self.newState = newState
        self.stateChangeTime = stateChangeTime
        self.message = message
        self.attempt = attempt
    }

    public init(_ entry: OutboxEntry) {
        self.init(
            idempotencyKey: entry.idempotencyKey, destination: entry.destination, alarmName: entry.alarmName,
            oldState: entry.oldState, newState: entry.newState, stateChangeTime: entry.stateChangeTime,
            message: entry.payload, attempt: entry.attempts + 1)
    }

    public init(_ notification: AlarmNotification, destination: String) {
        self.init(
            idempotencyKey: notification.idempotencyKey, destination: destination, alarmName: notification.alarmName,
            oldState: notification.oldState.rawValue, newState: notification.newState.rawValue,
            stateChangeTime: notification.stateChangeTime, message: notification.message)
    }
}

/// A hint from the receiver about when to try again (`Retry-After`).
public enum RetryAfter: Sendable, Hashable {
    case seconds(Double)
    case date(Timestamp)

    /// Seconds from `now` (never negative).
    public func seconds(from now: Timestamp) -> Double {
        switch self {
        case .seconds(let seconds): max(0, seconds)
        case .date(let date): max(0, Double(date.milliseconds - now.milliseconds) / 1000)
        }
    }
}

/// How one attempt ended.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The receiver answered 2xx.
    case delivered(status: Int)
    /// Anything else; `reason` names the status or transport error and never holds a secret.
    case failed(reason: String, retryAfter: RetryAfter?)
}

/// A destination Tripline can send to.
public protocol Notifier: Sendable {
    /// The destination's name in the config.
    var name: String { get }
    /// How long and how often to retry.
    var retryPolicy: RetryPolicy { get }
    /// Sends one notification once; never throws, the outcome says what happened.
    func deliver(_ delivery: Delivery) async -> DeliveryOutcome
}

/// A destination written directly rather than through the outbox (nothing to retry).
public protocol ImmediateNotifier: Notifier {
    func write(_ delivery: Delivery)
}

/// `Type: stdout`: each notification's message JSON and a newline on standard output.
public struct StdoutNotifier: ImmediateNotifier {
    public let name: String
    public let retryPolicy = RetryPolicy()
    private let output: @Sendable ([UInt8]) -> Void

    /// - Parameter output: where the bytes go (standard output unless a test or the CLI says otherwise);
    ///   it must be safe to call from any thread.
    public init(name: String, output: @escaping @Sendable ([UInt8]) -> Void = StdoutNotifier.standardOutput) {
        self.name = name
        self.output = output
    }

    public func write(_ delivery: Delivery) {
        output(delivery.message + [UInt8(ascii: "\n")])
    }

    public func deliver(_ delivery: Delivery) async -> DeliveryOutcome {
        write(delivery)
        return .delivered(status: 200)
    }

    /// Writes all bytes to file descriptor 1 in one go per call.
    public static let standardOutput: @Sendable ([UInt8]) -> Void = { bytes in
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                guard let base = raw.baseAddress else { return }
                let written = systemWrite(1, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

#if canImport(Darwin)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { Darwin.write(fd, buffer, count) }
#elseif canImport(Musl)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { Musl.write(fd, buffer, count) }
#else
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { Glibc.write(fd, buffer, count) }
#endif
