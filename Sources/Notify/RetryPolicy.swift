/// Exponential backoff with full jitter, `Retry-After`, and the time after which a notification
/// moves to the dead-letter table.
public struct RetryPolicy: Sendable, Hashable {
    /// The cap of the first delay, in seconds.
    public var baseDelay: Double
    /// The largest cap, in seconds.
    public var maxDelay: Double
    /// Seconds from enqueueing to dead-lettering.
    public var deadLetterAfter: Double
    /// The longest `Retry-After` honoured, in seconds (a receiver asking for more is retried after this).
    public var maxRetryAfter: Double

    public init(baseDelay: Double = 1, maxDelay: Double = 300, deadLetterAfter: Double = 86_400, maxRetryAfter: Double = 3600) {
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.deadLetterAfter = deadLetterAfter
        self.maxRetryAfter = maxRetryAfter
    }

    /// The delay before the next attempt after `attempts` failed ones: a uniformly random point
    /// in `0 ... min(maxDelay, baseDelay * 2^(attempts-1))` ("full jitter"), but at least what
    /// the receiver asked for in `Retry-After` (up to ``maxRetryAfter``).
    /// - Parameter random: a number in `0..<1`.
    public func delay(afterAttempts attempts: Int, retryAfter: Double?, random: Double) -> Double {
        let exponent = Double(max(0, min(attempts - 1, 60)))
        let cap = min(maxDelay, baseDelay * pow2(exponent))
        var delay = min(max(random, 0), 1) * cap
        if let retryAfter { delay = max(delay, min(retryAfter, maxRetryAfter)) }
        return delay
    }

    private func pow2(_ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) {
            result *= 2
            if result > 1e12 { break }
        }
        return result
    }
}
