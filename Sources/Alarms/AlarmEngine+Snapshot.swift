import TriplineCore

extension AlarmEngine {
    /// Saves everything evaluation depends on, for ``restore(from:)`` after a restart or a reload.
    ///
    /// An engine restored from the snapshot with the same definitions and configuration continues
    /// exactly as this one would: the same transitions and notifications, with the same sequence
    /// numbers, idempotency keys and message bytes.
    ///
    /// - Complexity: O(stored buckets, sub-buckets and evidence); bounded by the alarms' ranges and the
    ///   allowed lateness, not by how long the engine ran.
    public func snapshot() -> Snapshot {
        let record = EngineRecord(
            configuration: configuration, watermark: watermark, maxEventTime: maxEventTime,
            earliestEventTime: earliestEventTime, clock: clock, nextSequence: nextSequence, counters: counters,
            metricAlarms: metrics.map { slot in
                let machine = slot.machine
                return MetricAlarmRecord(
                    definition: machine.alarm, state: machine.state, reason: machine.reason,
                    lastTransitionTime: machine.lastTransitionTime, lastEarlyAlarmTime: machine.lastEarlyAlarmTime,
                    anchored: slot.anchored, nextEvaluation: slot.nextEvaluation)
            },
            compositeAlarms: composites.map(\.record),
            series: layouts.indices.compactMap { series[$0]?.record },
            rejectedSeries: rejectedSeries.sorted().map {
                SeriesIdentity(metric: layouts[$0].key, period: layouts[$0].periodLength / 1000)
            })
        return Snapshot(engine: record)
    }
}

extension CompositeSlot {
    var record: CompositeAlarmRecord {
        let suppression = suppression.map { machine in
            var record = SuppressionRecord(suppressorInAlarm: machine.suppressorInAlarm)
            switch machine.timer {
            case .wait(let until): record.waitUntil = until
            case .extension(let until): record.extensionUntil = until
            case nil: break
            }
            return record
        }
        return CompositeAlarmRecord(
            definition: alarm, state: state, lastTransitionTime: lastTransitionTime, initialized: initialized,
            suppression: suppression,
            withheld: withheld.map { WithheldRecord(notification: $0.notification, sequence: $0.sequence) })
    }

    /// Takes the saved state of the same, unchanged composite.
    mutating func restore(_ record: CompositeAlarmRecord) {
        state = record.state
        lastTransitionTime = record.lastTransitionTime
        initialized = record.initialized
        withheld = record.withheld.map { ($0.notification, $0.sequence) }
        // The suppression machine exists when the suppressor resolves, which restore has checked.
        if let saved = record.suppression, suppression != nil {
            suppression?.suppressorInAlarm = saved.suppressorInAlarm
            if let until = saved.waitUntil {
                suppression?.timer = .wait(until: until)
            } else if let until = saved.extensionUntil {
                suppression?.timer = .extension(until: until)
            }
        }
    }
}
