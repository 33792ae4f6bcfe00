/// The limits CloudWatch Logs puts on a filter pattern, plus the guards Tripline adds against hostile input.
public enum PatternLimits {
    /// The longest pattern CloudWatch accepts, in characters (`PutMetricFilter`'s `filterPattern`).
    public static let maxPatternLength = 1024
    /// Regexes a JSON or space-delimited pattern may hold; Tripline applies it to term patterns too.
    public static let maxRegexes = 2
    /// Wildcards (`[*]`, `.*`) in one selector.
    public static let maxWildcardsPerSelector = 1
    /// Selectors with a wildcard in one pattern.
    public static let maxWildcardSelectors = 3
    /// How deeply parentheses may nest. CloudWatch documents none; the 1024-character limit
    /// implies one, and a fixed bound keeps the evaluator's recursion shallow.
    public static let maxNestingDepth = 64
}
