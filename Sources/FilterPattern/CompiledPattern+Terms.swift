internal import LinearRegex

extension CompiledPattern {
    /// Applies CloudWatch's term rules: every plain term present and no `-` term present; the
    /// `?` terms count only when the pattern has nothing else, and then any one of them suffices.
    func matchesTerms(_ line: UnsafeRawBufferPointer, regexScratch: inout RegexScratch) -> Bool {
        var hasMandatory = false
        for term in terms where term.role != .optional {
            hasMandatory = true
            let found = Self.occurs(term.matcher, in: line, regexScratch: &regexScratch)
            if found != (term.role == .required) { return false }
        }
        if hasMandatory { return true }
        for term in terms where Self.occurs(term.matcher, in: line, regexScratch: &regexScratch) {
            return true
        }
        return false
    }

    /// Case-sensitive substring search, or a regex search.
    static func occurs(_ matcher: Term.Matcher, in line: UnsafeRawBufferPointer, regexScratch: inout RegexScratch)
        -> Bool
    {
        switch matcher {
        case .literal(let literal):
            return literal.withUnsafeBytes { ByteSearch.contains(line, $0) }
        case .regex(let regex):
            return regex.matches(line, scratch: &regexScratch)
        }
    }
}
