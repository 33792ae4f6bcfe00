import FilterPattern

extension MetricFilter {
    /// The transformation rules of `PutMetricFilter` that do not depend on the metric value.
    static func check(_ transformation: MetricTransformation, for pattern: CompiledPattern) -> [MetricFilterProblem] {
        var problems: [MetricFilterProblem] = []
        let name = transformation.metricName
        if name.isEmpty || name.count > 255 || name.contains(where: { $0 == ":" || $0 == "*" || $0 == "$" }) {
            problems.append(
                MetricFilterProblem(
                    .metricNameInvalid, field: "metricName",
                    message: "a metric name has 1 to 255 characters and no ':', '*' or '$'",
                    fix: "rename the metric, e.g. \(name.filter { $0 != ":" && $0 != "*" && $0 != "$" }.prefix(255))"))
        }
        let namespace = transformation.metricNamespace
        if namespace.isEmpty || namespace.count > 255 {
            problems.append(
                MetricFilterProblem(
                    .metricNamespaceInvalid, field: "metricNamespace",
                    message: "a metric namespace has 1 to 255 characters",
                    fix: "use your own namespace such as CISBenchmark or LogMetrics"))
        }
        let dimensions = transformation.dimensions
        guard !dimensions.isEmpty else { return problems }
        if pattern.kind == .terms || pattern.kind == .matchAll {
            problems.append(
                MetricFilterProblem(
                    .dimensionsNotSupported, field: "dimensions",
                    message: "the specified filter pattern does not support dimensions",
                    fix: "use a JSON or space-delimited pattern to publish dimensions, or remove them"))
        }
        if dimensions.count > 3 {
            problems.append(
                MetricFilterProblem(
                    .tooManyDimensions, field: "dimensions",
                    message: "a metric filter has at most 3 dimensions, this one has \(dimensions.count)",
                    fix: "keep the three that matter most"))
        }
        if transformation.defaultValue != nil {
            problems.append(
                MetricFilterProblem(
                    .defaultValueWithDimensions, field: "defaultValue",
                    message: "a default value cannot be combined with dimensions",
                    fix: "remove defaultValue, or remove the dimensions"))
        }
        for dimension in dimensions {
            let key = dimension.name
            if key.isEmpty || key.count > 255 || key.allSatisfy({ $0 == " " }) || key.hasPrefix(":") {
                problems.append(
                    MetricFilterProblem(
                        .dimensionNameInvalid, field: "dimensions.\(key)",
                        message: "a dimension name has 1 to 255 characters, not all spaces, and does not start with ':'",
                        fix: "rename the dimension, e.g. EventSource"))
            }
        }
        return problems
    }
}
