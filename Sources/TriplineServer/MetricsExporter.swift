import Foundation
import Notify
import Prometheus
import StateStore
import Alarms
import TriplineCore
import TriplineRuntime

/// `GET /metrics`: the live run's counts, read in one go at scrape time, in Prometheus text format.
///
/// The run keeps its own totals (they survive restarts in the checkpoint), so each scrape sets the
/// registry's counters to them; the HTTP counts are incremented as requests are answered.
final class MetricsExporter: @unchecked Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let lock = NSLock()
    private let startTime = Date().timeIntervalSince1970
    /// The series set by scrapes, so those that are gone (a removed alarm or filter) are dropped.
    private var counters: [SeriesKey: Counter] = [:]
    private var gauges: [SeriesKey: Gauge] = [:]
    private var seen: Set<SeriesKey> = []

    private struct SeriesKey: Hashable {
        var name: String
        var labels: [String]

        init(_ name: String, _ labels: [(String, String)]) {
            self.name = name
            self.labels = labels.flatMap { [$0.0, $0.1] }
        }
    }

    func countIngest(status: Int) {
        registry.makeCounter(
            descriptor: Self.descriptor("tripline_ingest_requests_total", "POST /ingest requests answered, by status code"),
            labels: [("code", String(status))]).increment()
    }

    func countIngestBytes(_ count: Int) {
        registry.makeCounter(descriptor: Self.descriptor("tripline_ingest_bytes_total", "Request body bytes received on POST /ingest"))
            .increment(by: Int64(count))
    }

    /// Reads every source and renders the exposition text.
    func render(_ sidecar: Sidecar) async -> String {
        let live = sidecar.live.metrics
        let destinations = await sidecar.senders.statistics()
        let depths = (try? sidecar.store.outbox.depths()) ?? [:]
        return renderLocked(sidecar, live: live, destinations: destinations, depths: depths)
    }

    private func renderLocked(
        _ sidecar: Sidecar, live: LiveMetrics, destinations: [String: DestinationStatistics],
        depths: [String: (waiting: Int, deadLetters: Int)]
    ) -> String {
        lock.lock()
        defer { lock.unlock() }
        seen = []
        let counters = live.counters
        for (input, count) in counters.eventsRead {
            set("tripline_events_read_total", [("input", input)], count, "Events read, per input (http, -, or a file path)")
        }
        for (input, count) in counters.eventsMalformed {
            set("tripline_events_malformed_total", [("input", input)], count, "Lines that are not a JSON object, per input")
        }
        for (input, count) in counters.eventsOversized {
            set("tripline_events_dropped_total", [("input", input), ("reason", "oversized")], count, "Lines skipped, per input and reason")
        }
        set("tripline_events_implausible_time_total", [], counters.eventsWithImplausibleTime, "Events timed more than 15 minutes ahead of the clock, taken as read now")
        for (filter, count) in counters.filterMatches {
            set("tripline_filter_matches_total", [("filter", filter)], count, "Events matched, per metric filter")
        }
        set("tripline_datapoints_total", [], counters.datapoints, "Datapoints emitted by the metric filters")
        set("tripline_datapoints_late_total", [("outcome", "accepted")], live.engine.lateDatapointsAccepted, "Datapoints older than the watermark")
        set("tripline_datapoints_late_total", [("outcome", "dropped")], live.engine.lateDatapointsDropped, "Datapoints older than the watermark")
        set("tripline_datapoints_dropped_total", [("reason", "series_limit")], live.engine.seriesOverflowDatapoints, "Datapoints dropped, by reason")
        for status in live.alarms {
            for state in AlarmState.allCases {
                gauge("tripline_alarm_state", [("alarm", status.name), ("state", state.rawValue)], status.state == state ? 1 : 0, "1 for each alarm's current state")
            }
        }
        for (alarm, count) in counters.transitions {
            set("tripline_alarm_transitions_total", [("alarm", alarm)], count, "State transitions, per alarm")
        }
        for (destination, depth) in depths {
            gauge("tripline_outbox_depth", [("destination", destination)], Double(depth.waiting), "Notifications waiting in the outbox")
            gauge("tripline_outbox_dead_letters", [("destination", destination)], Double(depth.deadLetters), "Notifications in the dead-letter table")
        }
        for (destination, statistics) in destinations {
            set("tripline_notifications_delivered_total", [("destination", destination)], statistics.delivered, "Notifications delivered since start")
            set("tripline_notifications_failed_total", [("destination", destination)], statistics.failures, "Failed delivery attempts since start")
        }
        let now = Date().timeIntervalSince1970
        if let watermark = live.watermark {
            gauge("tripline_watermark_lag_seconds", [], now - Double(watermark.milliseconds) / 1000, "Now minus the alarm engine's watermark")
        }
        if let latest = live.latestEventTime {
            gauge("tripline_event_time_lag_seconds", [], now - Double(latest.milliseconds) / 1000, "Now minus the latest event time read")
        }
        if let spool = sidecar.spool {
            gauge("tripline_ingest_spool_backlog_bytes", [], Double(spool.backlog), "Bytes accepted on POST /ingest and not yet read")
            gauge("tripline_ingest_spool_limit_bytes", [], Double(spool.limit), "Backlog beyond which POST /ingest answers 429")
        }
        let reload = sidecar.status.reload
        gauge("tripline_config_reload_success", [], reload?.succeeded == false ? 0 : 1, "1 when the last config (re)load succeeded")
        if let loaded = sidecar.status.configLoaded {
            gauge("tripline_config_last_reload_success_timestamp_seconds", [], Double(loaded.milliseconds) / 1000, "When the config in force was loaded")
        }
        let checkpoint = sidecar.status.checkpoint
        if let last = checkpoint.last {
            gauge("tripline_checkpoint_last_timestamp_seconds", [], Double(last.milliseconds) / 1000, "When the last checkpoint was written")
        }
        set("tripline_checkpoint_failures_total", [], checkpoint.failures, "Checkpoints that could not be written")
        ProcessMetrics.read().map { process in
            gauge("process_resident_memory_bytes", [], process.residentBytes, "Resident memory size in bytes")
            gauge("process_virtual_memory_bytes", [], process.virtualBytes, "Virtual memory size in bytes")
            gauge("process_cpu_seconds_total", [], process.cpuSeconds, "User and system CPU time spent in seconds")
            gauge("process_open_fds", [], process.openDescriptors, "Open file descriptors")
            gauge("process_max_fds", [], process.maxDescriptors, "The open file descriptor limit")
        }
        gauge("process_start_time_seconds", [], startTime, "Start time of the process since the Unix epoch in seconds")
        for (key, counter) in self.counters where !seen.contains(key) {
            registry.unregisterCounter(counter)
            self.counters[key] = nil
        }
        for (key, gauge) in gauges where !seen.contains(key) {
            registry.unregisterGauge(gauge)
            gauges[key] = nil
        }
        return registry.emitToString()
    }

    /// Sets a counter to the run's own total.
    private func set(_ name: String, _ labels: [(String, String)], _ value: Int, _ help: String) {
        let counter = registry.makeCounter(descriptor: Self.descriptor(name, help), labels: labels)
        let key = SeriesKey(name, labels)
        counters[key] = counter
        seen.insert(key)
        counter.reset()
        counter.increment(by: Int64(value))
    }

    private func gauge(_ name: String, _ labels: [(String, String)], _ value: Double, _ help: String) {
        let gauge = registry.makeGauge(descriptor: Self.descriptor(name, help), labels: labels)
        let key = SeriesKey(name, labels)
        gauges[key] = gauge
        seen.insert(key)
        gauge.set(to: value)
    }

    /// Our names are written whole (`tripline_events_read_total`), so the unit part stays empty.
    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
