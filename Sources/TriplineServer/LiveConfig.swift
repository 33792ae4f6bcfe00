public import Alarms
public import MetricFilters
public import TriplineConfig
public import TriplineCore
import TriplineRuntime

/// The engine settings that come from the command line, not the config files.
public struct EngineSettings: Sendable, Hashable {
    public var allowedLateness: Int
    public var maxSeries: Int
    public var account: AlarmAccount
    public var earlyAlarm: Bool

    public init(allowedLateness: Int = 300, maxSeries: Int = 10_000, account: AlarmAccount = AlarmAccount(), earlyAlarm: Bool = true) {
        self.allowedLateness = allowedLateness
        self.maxSeries = maxSeries
        self.account = account
        self.earlyAlarm = earlyAlarm
    }
}

/// A config loaded, checked and compiled: what a live run (or a reload) swaps in whole.
public struct LiveConfig: Sendable {
    public var configuration: Configuration
    public var filterSet: FilterSet
    public var engine: AlarmEngine
    /// Problems that did not stop the load (warnings), one line each.
    public var warnings: [String]

    /// Loads `paths`: all or nothing.
    /// - Throws: ``LiveConfigError`` listing every error (with file:line:column) when any is found.
    public static func load(
        paths: [String], parameters: [String: String], settings: EngineSettings, from: Timestamp?
    ) throws(LiveConfigError) -> LiveConfig {
        let result = ConfigLoader(parameters: parameters).load(paths)
        if result.problems.hasErrors {
            throw LiveConfigError(problems: result.problems.errors.map(\.description))
        }
        let configuration = result.configuration
        let alarms = AlarmBuilder.alarms(for: configuration, account: settings.account, earlyAlarm: settings.earlyAlarm)
        let engineConfiguration = AlarmEngine.Configuration(
            allowedLateness: settings.allowedLateness, from: from, maxSeries: settings.maxSeries)
        let engine: AlarmEngine
        do {
            engine = try AlarmEngine(metricAlarms: alarms.metric, compositeAlarms: alarms.composite, configuration: engineConfiguration)
        } catch {
            throw LiveConfigError(problems: error.problems)
        }
        let warnings = result.problems.problems.filter { $0.severity != .error }.map(\.description) + engine.warnings
        return LiveConfig(configuration: configuration, filterSet: FilterSet(configuration.filters), engine: engine, warnings: warnings)
    }
}

/// Why a config could not be loaded; nothing of it was applied.
public struct LiveConfigError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]

    public var description: String {
        "\(problems.count) error(s) in the config; nothing was loaded:\n" + problems.joined(separator: "\n")
    }
}
