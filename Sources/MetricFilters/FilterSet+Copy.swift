import FilterPattern

extension FilterSet {
    /// A set with the same filters, in the same order, compiled again into objects of its own.
    ///
    /// Worker threads that share one set share the reference counts of its compiled patterns:
    /// every retain while matching is then an atomic write to a cache line the other cores also
    /// write. A copy per thread keeps those writes local. Falls back to sharing `self` in the
    /// (unexpected) case that a pattern that compiled once does not compile again.
    public func compiledAgain() -> FilterSet {
        var copies: [MetricFilter] = []
        copies.reserveCapacity(filters.count)
        for filter in filters {
            let transformation = filter.transformation
            let ownTransformation = MetricTransformation(
                metricName: ownCopy(transformation.metricName), metricNamespace: ownCopy(transformation.metricNamespace),
                metricValue: ownCopy(transformation.metricValue), defaultValue: transformation.defaultValue,
                dimensions: transformation.dimensions.map { (ownCopy($0.name), ownCopy($0.value)) }, unit: transformation.unit)
            guard let pattern = try? CompiledPattern(ownCopy(filter.pattern.text)),
                let copy = try? MetricFilter(filterName: ownCopy(filter.filterName), pattern: pattern, transformation: ownTransformation)
            else { return self }
            copies.append(copy)
        }
        return FilterSet(copies)
    }
}

/// A string with storage of its own (not sharing the original's buffer and its reference count).
private func ownCopy(_ text: String) -> String {
    String(decoding: Array(text.utf8), as: UTF8.self)
}
