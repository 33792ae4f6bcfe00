public import TriplineCore

extension AlarmEngine {
    /// Everything an engine's evaluation depends on, as a value to persist across restarts and reloads.
    ///
    /// Take one with ``AlarmEngine/snapshot()`` between calls, encode it (it encodes with a default
    /// `JSONEncoder`: non-finite numbers are written as strings), and hand it to
    /// ``AlarmEngine/restore(from:)`` of the next engine:
    ///
    /// ```swift
    /// let data = try JSONEncoder().encode(engine.snapshot())          // at a checkpoint
    /// // … after a restart or a config reload …
    /// var engine = try AlarmEngine(metricAlarms: alarms, compositeAlarms: composites, configuration: settings)
    /// let report = engine.restore(from: try JSONDecoder().decode(AlarmEngine.Snapshot.self, from: data))
    /// ```
    ///
    /// It holds each alarm's definition and state (metric alarms: state, reason, last transition, last
    /// early `ALARM`, next evaluation; composites: state, suppression timers, withheld notification),
    /// every series' period buckets (statistics, percentile sketches, evidence) and early-alarm
    /// sub-buckets, the watermark, the composite clock, the greatest and earliest event times, the next
    /// sequence number and the counters. Output is never pending between calls, so none is saved.
    public struct Snapshot: Codable, Sendable, Equatable {
        /// The format this build writes and reads.
        public static let currentVersion = 1

        /// The snapshot's format version; ``AlarmEngine/restore(from:)`` reads only ``currentVersion``.
        public let version: Int
        /// The saved state; nil when ``version`` is not one this build reads (its payload is skipped).
        var engine: EngineRecord?

        init(engine: EngineRecord) {
            version = Self.currentVersion
            self.engine = engine
        }

        /// The watermark when the snapshot was taken; nil before the first record or for an unread version.
        public var watermark: Timestamp? { engine?.watermark }

        enum CodingKeys: String, CodingKey { case version, engine }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            version = try container.decode(Int.self, forKey: .version)
            // Another version's payload may not decode at all; restore reports the mismatch instead.
            engine = version == Self.currentVersion ? try container.decodeIfPresent(EngineRecord.self, forKey: .engine) : nil
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
            try container.encodeIfPresent(engine, forKey: .engine)
        }
    }
}

/// The engine-wide part of a snapshot (format version 1).
struct EngineRecord: Codable, Sendable, Equatable {
    var configuration: AlarmEngine.Configuration
    var watermark: Timestamp?
    var maxEventTime: Timestamp?
    var earliestEventTime: Timestamp?
    var clock: Timestamp?
    var nextSequence: Int
    var counters: AlarmEngineCounters
    var metricAlarms: [MetricAlarmRecord]
    var compositeAlarms: [CompositeAlarmRecord]
    /// Allocated series, in layout order.
    var series: [SeriesRecord]
    /// Series refused by the cap (counted once each, so not again after a restore).
    var rejectedSeries: [SeriesIdentity]
}

/// A metric alarm: its definition (to tell whether it changed) and its state machine's state.
struct MetricAlarmRecord: Codable, Sendable, Equatable {
    var definition: MetricAlarm
    var state: AlarmState
    var reason: StateReason
    var lastTransitionTime: Timestamp?
    var lastEarlyAlarmTime: Timestamp?
    var anchored: Bool
    var nextEvaluation: Timestamp?
}

/// A composite alarm: definition, state, suppression and the notification suppression withholds.
struct CompositeAlarmRecord: Codable, Sendable, Equatable {
    var definition: CompositeAlarm
    var state: AlarmState
    var lastTransitionTime: Timestamp?
    var initialized: Bool
    var suppression: SuppressionRecord?
    var withheld: WithheldRecord?
}

struct SuppressionRecord: Codable, Sendable, Equatable {
    var suppressorInAlarm: Bool
    var waitUntil: Timestamp?
    var extensionUntil: Timestamp?
}

struct WithheldRecord: Codable, Sendable, Equatable {
    var notification: AlarmNotification
    var sequence: Int
}

/// Which series: metric and period (in seconds), as the engine shares a series between alarms.
struct SeriesIdentity: Codable, Sendable, Equatable {
    var metric: MetricKey
    var period: Int64
}
