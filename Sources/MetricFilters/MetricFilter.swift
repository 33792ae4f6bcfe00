public import FilterPattern

/// A metric filter ready to run: its pattern compiled and its transformation checked.
public struct MetricFilter: Sendable {
    public let filterName: String
    public let pattern: CompiledPattern
    public let transformation: MetricTransformation
    public let value: MetricValue
    public let dimensions: [(name: String, reference: FieldReference)]

    /// Compiles and checks a definition as `PutMetricFilter` would.
    /// - Throws: `PatternError` for the pattern, or ``MetricFilterError`` listing every problem
    ///   of the transformation.
    public init(filterName: String, filterPattern: String, transformations: [MetricTransformation]) throws {
        let pattern = try CompiledPattern(filterPattern)
        guard transformations.count == 1, let transformation = transformations.first else {
            throw MetricFilterError(problems: [
                MetricFilterProblem(
                    .transformationCount, field: "metricTransformations",
                    message: "a metric filter has exactly one metric transformation, not \(transformations.count)",
                    fix: "keep one transformation; define another metric filter for another metric")
            ])
        }
        try self.init(filterName: filterName, pattern: pattern, transformation: transformation)
    }

    /// Checks `transformation` against an already compiled pattern.
    public init(filterName: String, pattern: CompiledPattern, transformation: MetricTransformation) throws(MetricFilterError) {
        var problems = Self.check(transformation, for: pattern)
        let value: MetricValue?
        switch Self.metricValue(transformation.metricValue, for: pattern) {
        case .success(let parsed): value = parsed
        case .failure(let problem):
            problems.append(problem)
            value = nil
        }
        var dimensions: [(name: String, reference: FieldReference)] = []
        for dimension in transformation.dimensions {
            if let reference = FieldReference(parsing: dimension.value), Self.fits(reference, pattern) {
                dimensions.append((dimension.name, reference))
            } else if pattern.kind == .json || pattern.kind == .delimited {
                problems.append(
                    MetricFilterProblem(
                        .dimensionNotAReference, field: "dimensions.\(dimension.name)",
                        message: "'\(dimension.value)' is not a field of this pattern",
                        fix: pattern.kind == .json
                            ? "write a selector such as $.eventSource" : "write a field name of the pattern such as $\(pattern.fieldNames.first ?? "name")"))
            }
        }
        guard problems.isEmpty, let value else { throw MetricFilterError(problems: problems) }
        self.filterName = filterName
        self.pattern = pattern
        self.transformation = transformation
        self.value = value
        self.dimensions = dimensions
    }

    /// Parses a metric value for `pattern`: a number, or a reference the pattern can resolve.
    public static func metricValue(_ text: String, for pattern: CompiledPattern) -> Result<MetricValue, MetricFilterProblem> {
        guard !text.isEmpty, text.count <= 100 else {
            return .failure(
                MetricFilterProblem(
                    .metricValueTooLong, field: "metricValue",
                    message: "a metric value has 1 to 100 characters, this one has \(text.count)",
                    fix: "write a number such as 1, or a field reference such as $.bytes"))
        }
        if let number = NumberLiteral.parse(text) { return .success(.constant(number)) }
        guard let reference = FieldReference(parsing: text) else {
            return .failure(
                MetricFilterProblem(
                    .metricValueInvalid, field: "metricValue",
                    message: "'\(text)' is neither a number nor a $ field reference",
                    fix: "write a number such as 1, $.field for a JSON pattern, or $name for a space-delimited one"))
        }
        guard fits(reference, pattern) else {
            let fix: String
            switch pattern.kind {
            case .json: fix = "write a selector of the event such as $.bytes (without wildcards)"
            case .delimited: fix = "use one of the pattern's fields: " + pattern.fieldNames.map { "$" + $0 }.joined(separator: ", ")
            case .terms, .matchAll: fix = "term patterns extract no fields: use a number, or a JSON or space-delimited pattern"
            }
            return .failure(
                MetricFilterProblem(
                    .referenceNotInPattern, field: "metricValue",
                    message: "'\(text)' cannot be read from events matched by this \(pattern.kind.rawValue) pattern", fix: fix))
        }
        return .success(.reference(reference))
    }

    /// Whether `reference` can be resolved for events of `pattern`.
    static func fits(_ reference: FieldReference, _ pattern: CompiledPattern) -> Bool {
        switch (reference, pattern.kind) {
        case (.selector, .json): true
        case (.field(let name), .delimited): pattern.fieldNames.contains(name)
        case (.position, .delimited): true
        default: false
        }
    }
}
