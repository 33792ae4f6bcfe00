internal import LinearRegex

/// Reusable working memory for matching, owned by one worker.
///
/// Compiled patterns are immutable and shared; everything that changes while matching lives
/// here, so matching allocates nothing once the buffers have grown to the largest event seen.
public struct MatchScratch {
    var text: [UInt8] = []
    var regex = RegexScratch()
    /// Space-delimited field bounds: start and end offsets, two entries per field.
    var fields: [Int] = []
    /// Reachable field positions while binding entries to fields.
    var reach: [Bool] = []
    var nextReach: [Bool] = []

    public init() {}
}

@available(*, unavailable)
extension MatchScratch: Sendable {}
