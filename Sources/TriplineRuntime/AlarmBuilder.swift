public import Alarms
public import TriplineConfig
import MetricFilters
import TriplineCore

/// Turns checked config definitions into the alarm engine's definitions.
public enum AlarmBuilder {
    /// Builds metric and composite alarms; actions become destination names (an action may be
    /// written as a destination name or as one of its ARNs).
    public static func alarms(
        for configuration: Configuration, account: AlarmAccount = AlarmAccount(), earlyAlarm: Bool = true
    ) -> (metric: [MetricAlarm], composite: [CompositeAlarm]) {
        func destinations(_ actions: [ActionReference]) -> [String] {
            actions.compactMap { action in
                configuration.destinations.first { $0.name == action.name || $0.arns.contains(action.name) }?.name
            }
        }
        let metric = configuration.metricAlarms.map { definition in
            let key = MetricKey(
                namespace: definition.namespace, metricName: definition.metricName,
                dimensions: definition.dimensions.map { Dimension(name: $0.name, value: $0.value) })
            return MetricAlarm(
                name: definition.alarmName, description: definition.alarmDescription, account: account, metric: key,
                statistic: definition.statistic, unit: definition.unit, period: definition.period,
                evaluationPeriods: definition.evaluationPeriods, datapointsToAlarm: definition.datapointsToAlarm,
                threshold: definition.threshold, comparisonOperator: definition.comparisonOperator,
                treatMissingData: definition.treatMissingData,
                evaluateLowSampleCountPercentile: definition.evaluateLowSampleCountPercentile ? .evaluate : .ignore,
                actionsEnabled: definition.actionsEnabled, alarmActions: destinations(definition.alarmActions),
                okActions: destinations(definition.okActions),
                insufficientDataActions: destinations(definition.insufficientDataActions),
                initialState: definition.stateValue ?? .insufficientData, earlyAlarm: earlyAlarm,
                metricOnlyGrows: onlyGrows(namespace: definition.namespace, metricName: definition.metricName, filters: configuration.filters))
        }
        let composite = configuration.compositeAlarms.map { definition in
            CompositeAlarm(
                name: definition.alarmName, description: definition.alarmDescription, account: account,
                rule: definition.alarmRule, ruleText: definition.alarmRuleText, actionsEnabled: definition.actionsEnabled,
                alarmActions: destinations(definition.alarmActions), okActions: destinations(definition.okActions),
                insufficientDataActions: destinations(definition.insufficientDataActions),
                actionsSuppressor: definition.actionsSuppressor,
                actionsSuppressorWaitPeriod: definition.actionsSuppressorWaitPeriod ?? 60,
                actionsSuppressorExtensionPeriod: definition.actionsSuppressorExtensionPeriod ?? 60,
                initialState: definition.stateValue ?? .insufficientData)
        }
        return (metric, composite)
    }

    /// Whether every filter feeding the metric publishes a constant non-negative value and no
    /// negative default (spec §12.5): then more data can only raise a Sum.
    static func onlyGrows(namespace: String, metricName: String, filters: [MetricFilter]) -> Bool {
        let feeding = filters.filter {
            $0.transformation.metricNamespace == namespace && $0.transformation.metricName == metricName
        }
        return !feeding.isEmpty && feeding.allSatisfy { filter in
            guard case .constant(let value) = filter.value, value >= 0 else { return false }
            return (filter.transformation.defaultValue ?? 0) >= 0
        }
    }
}
