import TriplineCore

extension AlarmEngine {
    /// Takes the state saved in `snapshot`, for the alarms whose definitions are unchanged.
    ///
    /// Call it on an engine built from the *current* definitions and configuration: after a restart
    /// (same definitions: everything comes back, and the engine continues exactly as the saved one
    /// would) or after a reload (changed definitions). Whatever state the engine had is discarded first.
    ///
    /// - A metric alarm keeps its state, reason, transition times and next evaluation when the snapshot
    ///   has an alarm of the same name with an equal definition, `configurationUpdated` aside (a loader
    ///   may stamp it with the load time; it only labels notifications, which use the current value).
    /// - A composite alarm keeps its state, suppression timers and withheld notification when its
    ///   definition is equal in the same sense and every alarm its rule and `ActionsSuppressor` name
    ///   resolves to the same alarm as before, one that kept its state.
    /// - Other alarms start fresh, as in a new engine, except that a metric alarm exists from the
    ///   restore point: its first evaluation is the first period end after the saved watermark (or after
    ///   `from` or the earliest event, if later), so it reads the restored periods and reports no
    ///   transition dated before the restore.
    /// - A series' buckets come back when the engine has a series of the same metric and period, up to
    ///   `maxSeries`, reshaped to the new layout: periods and sub-buckets no alarm can read any more are
    ///   pruned, evidence is trimmed to `evidencePerPeriod`, and periods saved without a percentile sketch
    ///   read as missing to a new percentile alarm.
    /// - Watermark, composite clock, greatest and earliest event times, next sequence number and counters
    ///   are restored whatever the ``Configuration``: the watermark never moves back, so a larger
    ///   `allowedLateness` holds it until events catch up; `from` only anchors alarms not yet anchored.
    ///
    /// A snapshot of another format version restores nothing: every alarm starts fresh, and the report
    /// says so.
    /// - Parameter snapshot: what ``snapshot()`` returned, possibly via JSON.
    /// - Returns: which alarms were restored, reset (and why) or removed.
    /// - Complexity: O(the snapshot's size + alarms²) (composites are checked until none changes).
    public mutating func restore(from snapshot: Snapshot) -> RestoreReport {
        self = AlarmEngine(
            validated: metrics.map(\.machine.alarm), compositeAlarms: composites.map(\.alarm), configuration: configuration)
        guard snapshot.version == Snapshot.currentVersion, let saved = snapshot.engine else {
            var report = RestoreReport(snapshotVersion: snapshot.version, isSnapshotVersionSupported: false)
            report.resetAlarms = states.map { RestoreReport.ResetAlarm(name: $0.name, reason: .unsupportedSnapshotVersion) }
            return report
        }
        var report = RestoreReport(snapshotVersion: snapshot.version, isSnapshotVersionSupported: true)
        report.configurationChanged = saved.configuration != configuration
        watermark = saved.watermark
        maxEventTime = saved.maxEventTime
        earliestEventTime = saved.earliestEventTime
        clock = saved.clock
        nextSequence = saved.nextSequence
        counters = saved.counters
        restoreSeries(saved, into: &report)
        var kept = restoreMetricAlarms(saved, into: &report)
        restoreComposites(saved, kept: &kept, into: &report)
        let names = Set(states.map(\.name))
        report.removedAlarms = (saved.metricAlarms.map(\.definition.name) + saved.compositeAlarms.map(\.definition.name))
            .filter { !names.contains($0) }
        return report
    }

    private mutating func restoreSeries(_ saved: EngineRecord, into report: inout RestoreReport) {
        func index(of metric: MetricKey, period: Int64) -> Int? {
            seriesForKey[metric]?.first { layouts[$0].periodLength == period * 1000 }
        }
        for record in saved.series {
            guard let index = index(of: record.metric, period: record.period), series[index] == nil,
                allocatedSeries < configuration.maxSeries
            else {
                report.droppedSeries += 1
                continue
            }
            series[index] = MetricSeries(layout: layouts[index], restoring: record, watermark: watermark)
            allocatedSeries += 1
            report.restoredSeries += 1
        }
        for identity in saved.rejectedSeries {
            if let index = index(of: identity.metric, period: identity.period), series[index] == nil {
                rejectedSeries.insert(index)
            }
        }
    }

    /// Restores unchanged metric alarms and anchors the others at the restore point.
    /// - Returns: the names of the alarms restored.
    private mutating func restoreMetricAlarms(_ saved: EngineRecord, into report: inout RestoreReport) -> Set<String> {
        let records = Dictionary(saved.metricAlarms.map { ($0.definition.name, $0) }, uniquingKeysWith: { first, _ in first })
        let savedComposites = Set(saved.compositeAlarms.map(\.definition.name))
        var kept: Set<String> = []
        for index in metrics.indices {
            let alarm = metrics[index].machine.alarm
            guard let record = records[alarm.name], record.definition.ignoringConfigurationUpdated == alarm.ignoringConfigurationUpdated
            else {
                let isNew = records[alarm.name] == nil && !savedComposites.contains(alarm.name)
                report.resetAlarms.append(.init(name: alarm.name, reason: isNew ? .new : .definitionChanged))
                anchorAtRestorePoint(index)
                continue
            }
            metrics[index].machine.state = record.state
            metrics[index].machine.reason = record.reason
            metrics[index].machine.lastTransitionTime = record.lastTransitionTime
            metrics[index].machine.lastEarlyAlarmTime = record.lastEarlyAlarmTime
            metrics[index].anchored = record.anchored
            metrics[index].nextEvaluation = record.nextEvaluation
            kept.insert(alarm.name)
            report.restoredAlarms.append(alarm.name)
        }
        return kept
    }

    /// A fresh alarm in a restored engine exists from the first period end after the watermark.
    private mutating func anchorAtRestorePoint(_ index: Int) {
        guard let watermark, let base = configuration.from ?? earliestEventTime else { return }
        let period = Int64(metrics[index].machine.alarm.period)
        let natural = base.floor(toPeriod: period).adding(seconds: period)
        // Not yet due: `anchorAlarms` anchors it when the watermark gets there, as in a new engine.
        guard natural <= watermark else { return }
        metrics[index].anchored = true
        metrics[index].nextEvaluation = max(natural, watermark.floor(toPeriod: period).adding(seconds: period))
    }

    private mutating func restoreComposites(_ saved: EngineRecord, kept: inout Set<String>, into report: inout RestoreReport) {
        let records = Dictionary(saved.compositeAlarms.map { ($0.definition.name, $0) }, uniquingKeysWith: { first, _ in first })
        let savedMetrics = Set(saved.metricAlarms.map(\.definition.name))
        // What each name or ARN referred to in the saved engine (built in the engine's order).
        var savedTargets: [String: String] = [:]
        for alarm in saved.metricAlarms.map(\.definition) {
            savedTargets[alarm.name] = alarm.name
            savedTargets[alarm.arn] = alarm.name
        }
        for alarm in saved.compositeAlarms.map(\.definition) {
            savedTargets[alarm.name] = alarm.name
            savedTargets[alarm.arn] = alarm.name
        }
        var resets: [Int: RestoreReport.ResetReason] = [:]
        var candidates: [Int: CompositeAlarmRecord] = [:]
        for index in composites.indices {
            let alarm = composites[index].alarm
            if let record = records[alarm.name], record.definition.ignoringConfigurationUpdated == alarm.ignoringConfigurationUpdated {
                candidates[index] = record
                kept.insert(alarm.name)
            } else {
                resets[index] = records[alarm.name] == nil && !savedMetrics.contains(alarm.name) ? .new : .definitionChanged
            }
        }
        // Drop candidates naming an alarm that is not kept (or resolves differently) until none is left:
        // children and suppressors may be composites in any order, even a cycle.
        var dropped = true
        while dropped {
            dropped = false
            for index in candidates.keys.sorted() {
                let alarm = composites[index].alarm
                let named = alarm.rule.children + (alarm.actionsSuppressor.map { [$0] } ?? [])
                let unchanged = named.allSatisfy { reference in
                    let target = references[reference].map { child(of: $0).name }
                    return target == savedTargets[reference] && (target.map(kept.contains) ?? true)
                }
                guard !unchanged else { continue }
                candidates[index] = nil
                kept.remove(alarm.name)
                resets[index] = .childChanged
                dropped = true
            }
        }
        for (index, record) in candidates { composites[index].restore(record) }
        for index in composites.indices {
            let name = composites[index].alarm.name
            guard let reason = resets[index] else {
                report.restoredAlarms.append(name)
                continue
            }
            report.resetAlarms.append(.init(name: name, reason: reason))
            // A fresh suppression machine starts from the suppressor's current (perhaps restored) state.
            if let suppressor = composites[index].suppressor, let machine = composites[index].suppression {
                composites[index].suppression = ActionSuppression(
                    suppressorInAlarm: child(of: suppressor).state == .alarm, waitPeriod: Int(machine.waitPeriod),
                    extensionPeriod: Int(machine.extensionPeriod))
            }
        }
    }
}

extension MetricAlarm {
    /// The definition with `configurationUpdated` cleared: what restore compares.
    var ignoringConfigurationUpdated: MetricAlarm {
        var copy = self
        copy.configurationUpdated = nil
        return copy
    }
}

extension CompositeAlarm {
    /// The definition with `configurationUpdated` cleared: what restore compares.
    var ignoringConfigurationUpdated: CompositeAlarm {
        var copy = self
        copy.configurationUpdated = nil
        return copy
    }
}
