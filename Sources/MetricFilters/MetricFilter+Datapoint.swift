public import FilterPattern

extension MetricFilter {
    /// The value this filter emits for an event, per the spec's section 7.2: the metric value
    /// when the pattern matched, the default value when it did not and one is set, else nothing.
    /// A reference that is missing or not numeric on a match emits nothing (never the default).
    public func datapointValue<Event: FieldLookup>(
        for event: inout Event, matched: Bool, scratch: inout MatchScratch
    ) -> Double? {
        guard matched else { return transformation.defaultValue }
        switch value {
        case .constant(let constant):
            return constant
        case .reference(let reference):
            return pattern.number(at: reference, in: &event, scratch: &scratch)
        }
    }
}
