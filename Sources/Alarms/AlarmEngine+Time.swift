public import TriplineCore

extension AlarmEngine {
    /// Feeds one record read: its event time, the datapoints its metric filters emitted (possibly
    /// none) and optionally the event itself as evidence.
    ///
    /// Call it for every record, matching or not, in read order: the watermark is the greatest event
    /// time of *records*. Period ends the record moves the watermark past are evaluated first, then
    /// its datapoints are stored, then early alarm runs at the record's time.
    /// - Returns: the transitions and notifications this record caused.
    public mutating func ingest(eventTime: Timestamp, datapoints: [Datapoint], evidence: EventEvidence? = nil) -> AlarmEngineOutput {
        counters.recordsRead += 1
        earliestEventTime = min(earliestEventTime ?? eventTime, eventTime)
        maxEventTime = max(maxEventTime ?? eventTime, eventTime)
        if let maxEventTime { moveWatermark(to: maxEventTime.adding(seconds: -Int64(configuration.allowedLateness))) }
        var touched: [Int] = []
        for datapoint in datapoints {
            counters.datapointsIngested += 1
            store(datapoint, evidence: evidence, touched: &touched)
        }
        for index in touched { evaluateEarly(series: index, at: eventTime) }
        return pending.take()
    }

    /// Live mode: the wall clock moves the watermark to at least `now − allowedLateness`, so alarms
    /// return to OK when a stream goes quiet.
    public mutating func advance(to now: Timestamp) -> AlarmEngineOutput {
        moveWatermark(to: now.adding(seconds: -Int64(configuration.allowedLateness)))
        return pending.take()
    }

    /// Backtest end of input: moves the watermark past the last event far enough for every alarm's
    /// range to empty, and lets suppression timers run out, so the final transitions are reported.
    public mutating func finish() -> AlarmEngineOutput {
        guard let last = maxEventTime ?? configuration.from else { return pending.take() }
        var limit = last
        for slot in metrics {
            let alarm = slot.machine.alarm
            let period = Int64(alarm.period)
            let end = last.floor(toPeriod: period).adding(seconds: period * Int64(alarm.effectiveEvaluationRange + 1))
            limit = max(limit, end)
        }
        moveWatermark(to: limit)
        if let deadline = composites.compactMap({ $0.suppression?.timer?.deadline }).max(), deadline > limit {
            runDue(upTo: deadline)
        }
        return pending.take()
    }

    /// Moves `W` forward (never back) and runs what became due.
    mutating func moveWatermark(to candidate: Timestamp) {
        guard watermark.map({ candidate > $0 }) ?? true else { return }
        watermark = candidate
        runDue(upTo: candidate)
        for index in series.indices { series[index]?.prune(watermark: candidate) }
    }

    /// Evaluates every period end and fires every timer at or before `limit`, in time order
    /// (period-end evaluations before timers at the same instant).
    mutating func runDue(upTo limit: Timestamp) {
        anchorAlarms(upTo: limit)
        while true {
            let nextEvaluation = metrics.compactMap(\.nextEvaluation).filter { $0 <= limit }.min()
            let nextTimer = composites.compactMap { $0.suppression?.timer?.deadline }.filter { $0 <= limit }.min()
            if let t = nextEvaluation, nextTimer.map({ t <= $0 }) ?? true {
                clock = max(clock ?? t, t)
                evaluatePeriodEnd(t)
            } else if let deadline = nextTimer {
                clock = max(clock ?? deadline, deadline)
                fireTimers(at: deadline)
            } else {
                break
            }
        }
        clock = max(clock ?? limit, limit)
    }

    /// Fixes when each alarm exists from (§12.3) once the watermark reaches its first period end.
    mutating func anchorAlarms(upTo limit: Timestamp) {
        guard let base = configuration.from ?? earliestEventTime else { return }
        for index in metrics.indices where !metrics[index].anchored {
            let period = Int64(metrics[index].machine.alarm.period)
            let first = base.floor(toPeriod: period).adding(seconds: period)
            guard first <= limit else { continue }
            metrics[index].anchored = true
            metrics[index].nextEvaluation = first
        }
    }

    /// Evaluates every alarm due at period end `t`, then the composites their changes affect.
    mutating func evaluatePeriodEnd(_ t: Timestamp) {
        var changed: [AlarmRef] = []
        for index in metrics.indices where metrics[index].nextEvaluation == t {
            let alarm = metrics[index].machine.alarm
            let stored = series[metrics[index].series]
            let range = alarm.periods(endingAt: t) { stored?.statistics(at: $0) }
            counters.periodEndEvaluations += 1
            let action = metrics[index].machine.evaluate(range, at: t, trigger: .periodEnd)
            if case .transition(let change) = action {
                emitMetric(index, change: change, sliding: false)
                changed.append(.metric(index))
            }
            let period = Int64(alarm.period)
            if action != .skipped, range.allSatisfy({ !$0.isReal }) {
                // Nothing in range: every later evaluation gives the same answer until data arrives.
                metrics[index].nextEvaluation = stored?.firstBucketStart(atOrAfter: t).map { $0.adding(seconds: period) }
            } else {
                metrics[index].nextEvaluation = t.adding(seconds: period)
            }
        }
        cascade(at: t, changed: changed)
    }

    /// Stores one datapoint in every series of its key, counting late and dropped ones.
    mutating func store(_ datapoint: Datapoint, evidence: EventEvidence?, touched: inout [Int]) {
        guard let indices = seriesForKey[datapoint.key] else {
            counters.datapointsUnwatched += 1
            return
        }
        let item = evidence.map { EvidenceItem(time: datapoint.timestamp, evidence: $0, source: datapoint.source) }
        var kept = false
        var overflow = false
        for index in indices {
            if series[index] == nil {
                guard allocatedSeries < configuration.maxSeries else {
                    overflow = true
                    if !rejectedSeries.contains(index) {
                        rejectedSeries.insert(index)
                        counters.seriesRejected += 1
                    }
                    continue
                }
                allocatedSeries += 1
                series[index] = MetricSeries(layout: layouts[index])
            }
            // safe because: the slot was filled just above when it was nil
            if series[index]!.add(datapoint.value, at: datapoint.timestamp, evidence: item, watermark: watermark) {
                kept = true
                rearm(series: index, dataStart: datapoint.timestamp)
                if !touched.contains(index) { touched.append(index) }
            }
        }
        if overflow, !kept { counters.seriesOverflowDatapoints += 1; return }
        if let watermark, datapoint.timestamp < watermark {
            if kept { counters.lateDatapointsAccepted += 1 } else { counters.lateDatapointsDropped += 1 }
        }
    }

    /// Re-arms idle alarms of a series when data lands in a period they will read.
    mutating func rearm(series index: Int, dataStart time: Timestamp) {
        for slot in metrics.indices where metrics[slot].series == index && metrics[slot].anchored {
            let period = Int64(metrics[slot].machine.alarm.period)
            var due = time.floor(toPeriod: period).adding(seconds: period)
            if let watermark { due = max(due, watermark.floor(toPeriod: period).adding(seconds: period)) }
            if let next = metrics[slot].nextEvaluation, next <= due { continue }
            metrics[slot].nextEvaluation = due
        }
    }
}

/// Output gathered during one call, sorted on the way out.
struct PendingOutput: Sendable {
    private var transitions: [AlarmTransition] = []
    private var notifications: [(time: Timestamp, name: String, sequence: Int, notification: AlarmNotification)] = []

    mutating func add(_ transition: AlarmTransition) { transitions.append(transition) }

    mutating func deliver(_ notification: AlarmNotification, sequence: Int) {
        notifications.append((notification.stateChangeTime, notification.alarmName, sequence, notification))
    }

    /// Everything gathered, ordered by (StateChangeTime, AlarmName, creation order), and resets.
    mutating func take() -> AlarmEngineOutput {
        // Most records cause nothing: skip the sorts.
        if transitions.isEmpty, notifications.isEmpty { return AlarmEngineOutput() }
        var output = AlarmEngineOutput()
        output.transitions = transitions.sorted {
            ($0.stateChangeTime, $0.alarmName, $0.sequence) < ($1.stateChangeTime, $1.alarmName, $1.sequence)
        }
        output.notifications = notifications.sorted { ($0.time, $0.name, $0.sequence) < ($1.time, $1.name, $1.sequence) }
            .map(\.notification)
        transitions.removeAll()
        notifications.removeAll()
        return output
    }
}
