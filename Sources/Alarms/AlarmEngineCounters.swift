/// What the engine counted, for `backtest`'s summary and `/metrics` (`tripline_<noun>_total`).
public struct AlarmEngineCounters: Sendable, Hashable, Codable {
    /// Records passed to `ingest`.
    public var recordsRead = 0
    /// Datapoints passed to `ingest`.
    public var datapointsIngested = 0
    /// Datapoints of series no alarm watches (ignored).
    public var datapointsUnwatched = 0
    /// Datapoints older than the watermark that still landed in a kept period (§12.7).
    public var lateDatapointsAccepted = 0
    /// Datapoints older than every kept period, dropped (§12.7, `lateDatapointsDropped`).
    public var lateDatapointsDropped = 0
    /// Datapoints dropped because the series cap was reached.
    public var seriesOverflowDatapoints = 0
    /// Series that could not be created because of the cap (counted once per series).
    public var seriesRejected = 0
    /// Events without a usable time (`eventsWithoutTime`, counted by the caller via the engine).
    public var eventsWithoutTime = 0
    /// Events more than 15 min after the wall clock (`eventsWithImplausibleTime`).
    public var eventsWithImplausibleTime = 0
    /// Events outside `--from`/`--to` (`eventsOutsideRange`).
    public var eventsOutsideRange = 0
    /// Period-end evaluations performed.
    public var periodEndEvaluations = 0
    /// Early evaluations performed.
    public var earlyEvaluations = 0
    /// State changes.
    public var transitions = 0
    /// Notifications handed out for delivery.
    public var notifications = 0

    /// Creates zeroed counters.
    public init() {}
}
