public import TriplineIngest

/// How inputs become work units.
public enum WorkPlanning {
    /// One unit per file, large NDJSON files split at line starts so several threads share them.
    public static func plan(_ inputs: InputSet, options: IngestOptions) -> WorkPlan {
        WorkPlan(inputs: inputs, options: options)
    }
}
