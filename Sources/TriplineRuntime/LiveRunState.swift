public import Alarms
public import TriplineCore

/// The checkpointable part of a ``LiveRun``: alarm states and windows, counters, and where the
/// `set-state` requests were read up to. Input positions are saved beside it by the owner.
public struct LiveRunState: Codable, Sendable {
    public var engine: AlarmEngine.Snapshot
    public var setStateOffset: UInt64
    public var latest: Timestamp?
    public var counters: LiveCounters
    public var alarms: [String: AlarmStatus]

    public init(
        engine: AlarmEngine.Snapshot, setStateOffset: UInt64, latest: Timestamp?, counters: LiveCounters,
        alarms: [String: AlarmStatus]
    ) {
        self.engine = engine
        self.setStateOffset = setStateOffset
        self.latest = latest
        self.counters = counters
        self.alarms = alarms
    }
}

/// Counts since the state directory was first used (they survive restarts with the checkpoint).
public struct LiveCounters: Codable, Sendable, Hashable {
    /// Events read, per input (`http`, `-`, or a file path).
    public var eventsRead: [String: Int] = [:]
    /// Lines that are not a JSON object, per input (term patterns still see them).
    public var eventsMalformed: [String: Int] = [:]
    /// Lines over the line limit, skipped, per input.
    public var eventsOversized: [String: Int] = [:]
    /// Events whose time was more than 15 minutes ahead of the wall clock (taken as read now).
    public var eventsWithImplausibleTime = 0
    /// Matches per filter name.
    public var filterMatches: [String: Int] = [:]
    /// Datapoints emitted by the filters.
    public var datapoints = 0
    /// State transitions per alarm.
    public var transitions: [String: Int] = [:]

    public init() {}
}

/// One alarm as `GET /alarms` shows it.
public struct AlarmStatus: Codable, Sendable, Hashable {
    public var name: String
    public var state: AlarmState
    /// `NewStateReason` of the last transition (nil before the first).
    public var reason: String?
    /// `StateChangeTime` of the last transition.
    public var stateChangeTime: Timestamp?
    public var oldState: AlarmState?

    public init(name: String, state: AlarmState, reason: String? = nil, stateChangeTime: Timestamp? = nil, oldState: AlarmState? = nil) {
        self.name = name
        self.state = state
        self.reason = reason
        self.stateChangeTime = stateChangeTime
        self.oldState = oldState
    }
}

/// What `/metrics` reads from a live run, taken under its lock in one go.
public struct LiveMetrics: Sendable {
    public var counters: LiveCounters
    public var engine: AlarmEngineCounters
    public var watermark: Timestamp?
    public var latestEventTime: Timestamp?
    public var alarms: [AlarmStatus]
}
