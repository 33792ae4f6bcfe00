import TriplineCore

/// Decodes `MetricAlarms` / `CompositeAlarms` entries, in the PascalCase shape that
/// `PutMetricAlarm`, `describe-alarms` and CloudFormation share.
struct AlarmDecoder {
    /// Read-only fields `describe-alarms` prints; accepted and ignored.
    static let describeOnly: Set<String> = [
        "AlarmArn", "AlarmConfigurationUpdatedTimestamp", "StateReason", "StateReasonData", "StateUpdatedTimestamp",
        "StateTransitionedTimestamp", "EvaluationState", "ActionsSuppressedBy", "ActionsSuppressedReason", "Tags",
    ]

    /// The fields every alarm kind shares: name, description and the three action lists.
    private static func identityAndActions(_ reader: inout ObjectReader, generatedName: String?, problems: inout ProblemList)
        -> (String?, String?, Bool, [ActionReference], [ActionReference], [ActionReference])
    {
        reader.ignored = describeOnly
        let name = reader.string("AlarmName", required: generatedName == nil, problems: &problems) ?? generatedName
        let description = reader.string("AlarmDescription", problems: &problems)
        let actionsEnabled = reader.bool("ActionsEnabled", problems: &problems) ?? true
        let alarmActions = actions(&reader, "AlarmActions", &problems)
        let okActions = actions(&reader, "OKActions", &problems)
        let insufficientActions = actions(&reader, "InsufficientDataActions", &problems)
        return (name, description, actionsEnabled, alarmActions, okActions, insufficientActions)
    }

    static func metricAlarm(_ node: ConfigNode, path: String, generatedName: String? = nil, problems: inout ProblemList)
        -> MetricAlarmDefinition?
    {
        var reader = ObjectReader(node, path: path, problems: &problems)
        guard reader.isMapping else { return nil }
        let (name, description, actionsEnabled, alarmActions, okActions, insufficientActions) =
            identityAndActions(&reader, generatedName: generatedName, problems: &problems)
        if let metrics = reader.value("Metrics") {
            problems.error(metrics, "\(path).Metrics", "metric math alarms are not supported", fix: "define the alarm on one metric with MetricName and Namespace")
        }
        for unsupported in ["ThresholdMetricId", "EvaluationInterval", "EvaluationCriteria", "EvaluationWindow", "ActionConfiguration"] {
            if let value = reader.value(unsupported) {
                problems.error(value, "\(path).\(unsupported)", "\(unsupported) is not supported by Tripline", fix: "remove it; Tripline evaluates static thresholds over a sliding window")
            }
        }
        let namespace = reader.string("Namespace", required: true, problems: &problems)
        let metricName = reader.string("MetricName", required: true, problems: &problems)
        let dimensions = Self.dimensions(&reader, &problems)
        let statisticNode = reader.value("Statistic"), extendedNode = reader.value("ExtendedStatistic")
        let statisticText = reader.string("Statistic", problems: &problems)
        let extendedText = reader.string("ExtendedStatistic", problems: &problems)
        var statistic: Statistic?
        switch (statisticText, extendedText) {
        case (nil, nil):
            problems.error(node, "\(path).Statistic", "the alarm needs a Statistic or an ExtendedStatistic", fix: "add Statistic: Sum (the usual choice for metric-filter counts)")
        case (.some, .some):
            problems.error(extendedNode ?? node, "\(path).ExtendedStatistic", "Statistic and ExtendedStatistic exclude each other", fix: "keep one of them")
        case (let text?, nil):
            statistic = Statistic(text)
            if statistic == nil || text.hasPrefix("p") {
                statistic = nil
                problems.error(statisticNode ?? node, "\(path).Statistic", "'\(text)' is not a statistic", fix: Validation.suggestion(text, ["SampleCount", "Sum", "Average", "Minimum", "Maximum"]))
            }
        case (nil, let text?):
            statistic = Statistic(text)
            if case .percentile = statistic {} else {
                statistic = nil
                problems.error(extendedNode ?? node, "\(path).ExtendedStatistic", "'\(text)' is not a percentile Tripline supports", fix: "write pNN or pNN.NN (p90, p99.9); trimmed and winsorized statistics are not supported")
            }
        }
        let periodNode = reader.value("Period")
        let period = reader.integer("Period", required: true, problems: &problems)
        if let period, let periodNode { Validation.checkPeriod(period, periodNode, "\(path).Period", &problems) }
        let evaluationNode = reader.value("EvaluationPeriods")
        let evaluationPeriods = reader.integer("EvaluationPeriods", required: true, problems: &problems)
        if let evaluationPeriods, evaluationPeriods < 1, let evaluationNode {
            problems.error(evaluationNode, "\(path).EvaluationPeriods", "EvaluationPeriods must be at least 1, not \(evaluationPeriods)", fix: "write 1 or more")
        }
        let datapointsNode = reader.value("DatapointsToAlarm")
        let datapoints = reader.integer("DatapointsToAlarm", problems: &problems)
        if let datapoints, let datapointsNode, let evaluationPeriods {
            if datapoints < 1 || datapoints > evaluationPeriods {
                problems.error(
                    datapointsNode, "\(path).DatapointsToAlarm",
                    "DatapointsToAlarm must be between 1 and EvaluationPeriods (\(evaluationPeriods)), not \(datapoints)",
                    fix: "lower DatapointsToAlarm or raise EvaluationPeriods")
            }
        }
        if let period, let evaluationPeriods, period > 0, evaluationPeriods > 0 {
            let total = period.multipliedReportingOverflow(by: evaluationPeriods)
            let limit = period < 3600 ? 86_400 : 604_800
            if total.overflow || total.partialValue > limit {
                problems.error(
                    evaluationNode ?? node, "\(path).EvaluationPeriods",
                    "Period × EvaluationPeriods may not exceed \(limit == 86_400 ? "one day when the period is under an hour" : "seven days")",
                    fix: "use fewer evaluation periods or a longer period")
            }
        }
        let threshold = reader.double("Threshold", required: true, problems: &problems)
        let comparison = enumValue(&reader, "ComparisonOperator", required: true, ComparisonOperator.self, &problems)
        if let comparison, comparison.isAnomalyDetection {
            problems.error(reader.value("ComparisonOperator") ?? node, "\(path).ComparisonOperator", "anomaly-detection alarms are not supported", fix: "use a static threshold with GreaterThanOrEqualToThreshold and the like")
        }
        let missing = enumValue(&reader, "TreatMissingData", TreatMissingData.self, &problems) ?? .missing
        var evaluateLow = true
        if let text = reader.string("EvaluateLowSampleCountPercentile", problems: &problems) {
            switch text {
            case "evaluate": evaluateLow = true
            case "ignore": evaluateLow = false
            default:
                problems.error(reader.value("EvaluateLowSampleCountPercentile") ?? node, "\(path).EvaluateLowSampleCountPercentile", "'\(text)' is neither evaluate nor ignore", fix: "write evaluate or ignore")
            }
        }
        let unit = enumValue(&reader, "Unit", StandardUnit.self, &problems)
        let state = enumValue(&reader, "StateValue", AlarmState.self, &problems)
        reader.reportUnknownKeys(problems: &problems)
        if let name { Validation.checkAlarmName(name, node, "\(path).AlarmName", &problems) }
        guard let name, let namespace, let metricName, let statistic, let period, let evaluationPeriods, let threshold,
            let comparison
        else { return nil }
        return MetricAlarmDefinition(
            alarmName: name, alarmDescription: description, actionsEnabled: actionsEnabled, alarmActions: alarmActions,
            okActions: okActions, insufficientDataActions: insufficientActions, namespace: namespace,
            metricName: metricName, dimensions: dimensions, statistic: statistic, period: period,
            evaluationPeriods: evaluationPeriods, datapointsToAlarm: datapoints ?? evaluationPeriods, threshold: threshold,
            comparisonOperator: comparison, treatMissingData: missing, evaluateLowSampleCountPercentile: evaluateLow,
            unit: unit, stateValue: state, location: node.location, path: path)
    }

    static func compositeAlarm(_ node: ConfigNode, path: String, generatedName: String? = nil, problems: inout ProblemList)
        -> CompositeAlarmDefinition?
    {
        var reader = ObjectReader(node, path: path, problems: &problems)
        guard reader.isMapping else { return nil }
        let (name, description, actionsEnabled, alarmActions, okActions, insufficientActions) =
            identityAndActions(&reader, generatedName: generatedName, problems: &problems)
        let ruleNode = reader.value("AlarmRule")
        let ruleText = reader.string("AlarmRule", required: true, problems: &problems)
        var rule: AlarmRule?
        if let ruleText, let ruleNode {
            do {
                rule = try AlarmRule(parsing: ruleText)
            } catch {
                let at = SourceLocation(file: ruleNode.location.file, line: ruleNode.location.line, column: ruleNode.location.column + error.offset)
                problems.error(at: at, "\(path).AlarmRule", "invalid alarm rule: \(error.message)", fix: error.fix, detail: ruleText.count <= 200 ? "\(ruleText)\n\(String(repeating: " ", count: error.offset))^" : nil)
            }
        }
        let suppressor = reader.string("ActionsSuppressor", problems: &problems)
        let waitNode = reader.value("ActionsSuppressorWaitPeriod"), extensionNode = reader.value("ActionsSuppressorExtensionPeriod")
        let wait = reader.integer("ActionsSuppressorWaitPeriod", problems: &problems)
        let extensionPeriod = reader.integer("ActionsSuppressorExtensionPeriod", problems: &problems)
        if suppressor != nil {
            if wait == nil { problems.error(node, "\(path).ActionsSuppressorWaitPeriod", "an ActionsSuppressor needs ActionsSuppressorWaitPeriod", fix: "add ActionsSuppressorWaitPeriod: 60") }
            if extensionPeriod == nil { problems.error(node, "\(path).ActionsSuppressorExtensionPeriod", "an ActionsSuppressor needs ActionsSuppressorExtensionPeriod", fix: "add ActionsSuppressorExtensionPeriod: 60") }
        } else if let other = waitNode ?? extensionNode {
            problems.error(other, path, "suppressor periods are set but there is no ActionsSuppressor", fix: "add ActionsSuppressor: alarm-name, or remove the periods")
        }
        for (value, node, key) in [(wait, waitNode, "ActionsSuppressorWaitPeriod"), (extensionPeriod, extensionNode, "ActionsSuppressorExtensionPeriod")] {
            if let value, value < 0, let node { problems.error(node, "\(path).\(key)", "\(key) cannot be negative", fix: "write 0 or more seconds") }
        }
        let state = enumValue(&reader, "StateValue", AlarmState.self, &problems)
        reader.reportUnknownKeys(problems: &problems)
        if let name { Validation.checkAlarmName(name, node, "\(path).AlarmName", &problems) }
        guard let name, let rule, let ruleText else { return nil }
        return CompositeAlarmDefinition(
            alarmName: name, alarmDescription: description, alarmRule: rule, alarmRuleText: ruleText,
            actionsEnabled: actionsEnabled, alarmActions: alarmActions, okActions: okActions,
            insufficientDataActions: insufficientActions, actionsSuppressor: suppressor,
            actionsSuppressorWaitPeriod: wait, actionsSuppressorExtensionPeriod: extensionPeriod, stateValue: state,
            location: node.location, ruleLocation: ruleNode?.location ?? node.location, path: path)
    }

    private static func actions(_ reader: inout ObjectReader, _ key: String, _ problems: inout ProblemList) -> [ActionReference] {
        let list = reader.stringList(key, problems: &problems)
        if list.count > 5, let node = reader.value(key) {
            problems.error(node, reader.childPath(key), "an alarm has at most 5 \(key), this one has \(list.count)", fix: "send to one destination that fans out")
        }
        return list.map { ActionReference(name: $0.0, location: $0.1) }
    }

    private static func dimensions(_ reader: inout ObjectReader, _ problems: inout ProblemList) -> [(name: String, value: String)] {
        guard let node = reader.value("Dimensions") else { return [] }
        guard case .sequence(let items, _, _) = node else {
            problems.error(node, reader.childPath("Dimensions"), "expected a list of {Name, Value}, found \(node.kindName)", fix: "write Dimensions: [{Name: EventSource, Value: iam.amazonaws.com}]")
            return []
        }
        var result: [(name: String, value: String)] = []
        for (index, item) in items.enumerated() {
            var dimension = ObjectReader(item, path: "\(reader.childPath("Dimensions"))[\(index)]", problems: &problems)
            guard dimension.isMapping else { continue }
            let name = dimension.string("Name", required: true, problems: &problems)
            let value = dimension.string("Value", required: true, problems: &problems)
            dimension.reportUnknownKeys(problems: &problems)
            if let name, let value { result.append((name, value)) }
        }
        if result.count > 30 { problems.error(node, reader.childPath("Dimensions"), "an alarm has at most 30 dimensions", fix: "remove some") }
        return result
    }

    private static func enumValue<E: RawRepresentable & CaseIterable>(
        _ reader: inout ObjectReader, _ key: String, required: Bool = false, _ type: E.Type, _ problems: inout ProblemList
    ) -> E? where E.RawValue == String {
        let node = reader.value(key)
        guard let text = reader.string(key, required: required, problems: &problems) else { return nil }
        guard let value = E(rawValue: text) else {
            problems.error(node ?? reader.node, reader.childPath(key), "'\(text)' is not a valid \(key)", fix: Validation.suggestion(text, E.allCases.map(\.rawValue)))
            return nil
        }
        return value
    }
}
