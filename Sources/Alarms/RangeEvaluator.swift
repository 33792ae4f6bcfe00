public import TriplineCore

/// One period of an evaluation range: its datapoint (or none) and the part it played.
public struct EvaluatedPeriod: Sendable, Hashable {
    /// The part a period played in an evaluation.
    public enum Role: Sendable, Hashable {
        /// A real datapoint among those counted.
        case considered
        /// A real datapoint older than the N counted (Case A reaches back only as far as needed).
        case notConsidered
        /// A missing period that stood in for a datapoint, as breaching or not (Case B).
        case substituted(breaching: Bool)
        /// A missing period that played no part.
        case missing
    }

    /// The period's start (periods are `[start, start + Period)`).
    public var start: Timestamp
    /// The statistic's value; nil when no datapoint fell in the period.
    public var value: Double?
    /// How many raw values the period holds.
    public var sampleCount: Int
    /// Whether ``value`` breaches the threshold (false when missing).
    public var breaching: Bool
    /// Whether a percentile statistic had too few samples here (§3).
    public var lowSample: Bool
    /// Set by the evaluator.
    public var role: Role

    /// Creates a period; ``role`` starts as `.missing` or `.notConsidered` and is set by evaluation.
    public init(start: Timestamp, value: Double?, sampleCount: Int, breaching: Bool, lowSample: Bool = false) {
        self.start = start
        self.value = value
        self.sampleCount = sampleCount
        self.breaching = value != nil && breaching
        self.lowSample = lowSample
        self.role = value == nil ? .missing : .notConsidered
    }

    /// Whether the period has a datapoint.
    public var isReal: Bool { value != nil }
}

/// What an evaluation concluded.
public enum EvaluationDecision: Sendable, Hashable {
    case alarm, ok, insufficientData
    /// Keep whatever state the alarm has (`ignore` with no data, the premature-alarm guard, low samples).
    case keepState

    /// The state it names, nil for ``keepState``.
    public var state: AlarmState? {
        switch self {
        case .alarm: .alarm
        case .ok: .ok
        case .insufficientData: .insufficientData
        case .keepState: nil
        }
    }
}

/// The result of the §5 algorithm over one range.
public struct RangeOutcome: Sendable, Hashable {
    /// The decision.
    public var decision: EvaluationDecision
    /// The range, oldest first, with each period's role.
    public var periods: [EvaluatedPeriod]
    /// How many missing periods were substituted (Case B with `breaching` / `notBreaching`).
    public var substitutes: Int
}

/// The evaluation algorithm of the spec's §5, which reproduces CloudWatch's missing-data tables.
///
/// Case A (at least N real datapoints in the range): the N most recent real ones are judged and the
/// missing-data setting is unused. Case B (fewer): all real ones are used and the shortfall is filled
/// per `TreatMissingData`, with `missing` protected by the premature-alarm guard.
public enum RangeEvaluator {
    /// Evaluates a range (oldest first) for N = `evaluationPeriods`, M = `datapointsToAlarm`.
    /// - Parameter ignoreLowSamples: `EvaluateLowSampleCountPercentile = ignore`: keep state when any
    ///   real period has too few samples.
    public static func evaluate(
        _ range: [EvaluatedPeriod], evaluationPeriods n: Int, datapointsToAlarm m: Int,
        treatMissingData: TreatMissingData, ignoreLowSamples: Bool = false
    ) -> RangeOutcome {
        // Counted in place rather than through index arrays: early alarm evaluates once per datapoint.
        var periods = range
        var realCount = 0
        var anyLowSample = false
        for period in periods where period.isReal {
            realCount += 1
            anyLowSample = anyLowSample || period.lowSample
        }
        if ignoreLowSamples, anyLowSample {
            return RangeOutcome(decision: .keepState, periods: periods, substitutes: 0)
        }
        // Case A: the N most recent real datapoints decide.
        if realCount >= n {
            var remaining = n
            var breaching = 0
            for index in periods.indices.reversed() where remaining > 0 && periods[index].isReal {
                periods[index].role = .considered
                remaining -= 1
                if periods[index].breaching { breaching += 1 }
            }
            return RangeOutcome(decision: breaching >= m ? .alarm : .ok, periods: periods, substitutes: 0)
        }
        // Case B: every real datapoint counts; fill the shortfall of k.
        var rb = 0
        for index in periods.indices where periods[index].isReal {
            periods[index].role = .considered
            if periods[index].breaching { rb += 1 }
        }
        let k = n - realCount
        let rg = realCount - rb
        switch treatMissingData {
        case .breaching, .notBreaching:
            let asBreaching = treatMissingData == .breaching
            // The k newest missing periods stand in.
            var substitutes = 0
            for index in periods.indices.reversed() where substitutes < k && !periods[index].isReal {
                periods[index].role = .substituted(breaching: asBreaching)
                substitutes += 1
            }
            let alarm = asBreaching ? rb + k >= m : rb >= m
            return RangeOutcome(decision: alarm ? .alarm : .ok, periods: periods, substitutes: substitutes)
        case .ignore:
            let decision: EvaluationDecision =
                realCount == 0 ? .keepState : rb >= m ? .alarm : rg > 0 ? .ok : .keepState
            return RangeOutcome(decision: decision, periods: periods, substitutes: 0)
        case .missing:
            if realCount == 0 { return RangeOutcome(decision: .insufficientData, periods: periods, substitutes: 0) }
            if rb >= m { return RangeOutcome(decision: .alarm, periods: periods, substitutes: 0) }
            if rg > 0 { return RangeOutcome(decision: .ok, periods: periods, substitutes: 0) }
            // Premature-alarm guard: only breaching points, fewer than M. Alarm once the oldest breaching
            // point among the last N periods is at least M periods old (newest period = age 1).
            let lastN = periods.indices.suffix(n)
            if let oldest = lastN.first(where: { periods[$0].breaching }), periods.count - oldest >= m {
                return RangeOutcome(decision: .alarm, periods: periods, substitutes: 0)
            }
            return RangeOutcome(decision: .keepState, periods: periods, substitutes: 0)
        }
    }
}
