extension AlarmEngine {
    /// What ``AlarmEngine/restore(from:)`` kept, reset and dropped, for the log.
    public struct RestoreReport: Sendable, Hashable, CustomStringConvertible {
        /// Why an alarm starts fresh instead of taking its saved state.
        public enum ResetReason: String, Sendable, Hashable {
            /// The snapshot has no alarm of that name.
            case new
            /// The definition differs from the saved one (`configurationUpdated` aside), or the alarm
            /// changed kind (metric ↔ composite).
            case definitionChanged
            /// A composite alarm whose child or `ActionsSuppressor` was reset, added or removed.
            case childChanged
            /// The snapshot's format version is not one this build reads; nothing was restored.
            case unsupportedSnapshotVersion
        }

        /// An alarm that starts in its initial state.
        public struct ResetAlarm: Sendable, Hashable {
            /// `AlarmName`.
            public var name: String
            /// Why it was reset.
            public var reason: ResetReason

            /// Creates an entry.
            public init(name: String, reason: ResetReason) {
                self.name = name
                self.reason = reason
            }
        }

        /// The snapshot's format version.
        public var snapshotVersion: Int
        /// Whether the engine read the snapshot; when false every alarm was reset and nothing restored.
        public var isSnapshotVersionSupported: Bool
        /// Alarms that took their saved state, in definition order (metric alarms first).
        public var restoredAlarms: [String] = []
        /// Alarms that start fresh, in definition order.
        public var resetAlarms: [ResetAlarm] = []
        /// Alarms in the snapshot that the engine no longer has.
        public var removedAlarms: [String] = []
        /// Series whose buckets were restored.
        public var restoredSeries = 0
        /// Saved series left out: no alarm reads that metric at that period any more, or the series cap.
        public var droppedSeries = 0
        /// Whether the engine ``AlarmEngine/Configuration`` differs from the saved one. Engine-wide values
        /// are restored either way: every setting is compatible (see ``AlarmEngine/restore(from:)``).
        public var configurationChanged = false

        init(snapshotVersion: Int, isSnapshotVersionSupported: Bool) {
            self.snapshotVersion = snapshotVersion
            self.isSnapshotVersionSupported = isSnapshotVersionSupported
        }

        /// One line: `restored 31 alarms; reset 2 (a: definitionChanged, b: new); removed 1 (c); series 12 restored, 0 dropped`.
        public var description: String {
            guard isSnapshotVersionSupported else {
                return "snapshot version \(snapshotVersion) is not supported (expected \(Snapshot.currentVersion)); "
                    + "all \(resetAlarms.count) alarms start fresh"
            }
            var parts = ["restored \(restoredAlarms.count) alarms"]
            if !resetAlarms.isEmpty {
                parts.append("reset \(resetAlarms.count) (" + resetAlarms.map { "\($0.name): \($0.reason.rawValue)" }.joined(separator: ", ") + ")")
            }
            if !removedAlarms.isEmpty {
                parts.append("removed \(removedAlarms.count) (" + removedAlarms.joined(separator: ", ") + ")")
            }
            parts.append("series \(restoredSeries) restored, \(droppedSeries) dropped")
            if configurationChanged { parts.append("engine configuration changed") }
            return parts.joined(separator: "; ")
        }
    }
}
