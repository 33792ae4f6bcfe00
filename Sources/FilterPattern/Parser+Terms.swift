extension PatternParser {
    /// Parses an unstructured pattern: whitespace-separated terms with optional `?`/`-` prefixes.
    mutating func parseTerms(_ range: Range<Int>) throws(PatternError) -> CompiledPattern {
        var terms: [Term] = []
        var position = range.lowerBound
        while position < range.upperBound {
            while position < range.upperBound, Lexer.isSpace(bytes[position]) { position += 1 }
            guard position < range.upperBound else { break }
            var role = Term.Role.required
            let prefixStart = position
            if bytes[position] == UInt8(ascii: "?") || bytes[position] == UInt8(ascii: "-") {
                role = bytes[position] == UInt8(ascii: "?") ? .optional : .excluded
                position += 1
                if position >= range.upperBound || Lexer.isSpace(bytes[position]) {
                    let sign = role == .optional ? "?" : "-"
                    throw fail(
                        .detachedPrefix, "'\(sign)' must be attached to the term it applies to",
                        prefixStart..<(prefixStart + 1), fix: "write \(sign)TERM with no space after '\(sign)'")
                }
            }
            let matcher: Term.Matcher
            switch bytes[position] {
            case UInt8(ascii: "\""):
                let (value, end) = try scanQuotedTerm(from: position, limit: range.upperBound)
                if value.isEmpty {
                    warnings.append(
                        Diag.warning(.emptyQuotedTerm, "an empty quoted term matches every event", position..<end))
                }
                matcher = .literal(value)
                position = end
            case UInt8(ascii: "%"):
                var close = position + 1
                while close < range.upperBound, bytes[close] != UInt8(ascii: "%") { close += 1 }
                guard close < range.upperBound else {
                    throw fail(
                        .unterminatedRegex, "this regex is never closed", position..<(position + 1),
                        fix: "add a closing '%' after the regular expression")
                }
                matcher = .regex(try compileRegex(position..<(close + 1)))
                position = close + 1
            default:
                let start = position
                var odd: Int?
                while position < range.upperBound, !Lexer.isSpace(bytes[position]) {
                    let byte = bytes[position]
                    if byte == UInt8(ascii: "\"") {
                        throw fail(
                            .quoteInsideTerm, "a '\"' inside a bare term", position..<(position + 1),
                            fix: "quote the whole term: \"\(string(start..<position))...\"")
                    }
                    if odd == nil, !Self.isTermByte(byte) { odd = position }
                    position += 1
                }
                if let odd {
                    warnings.append(
                        Diag.warning(
                            .bareTermCharacters,
                            "CloudWatch documents bare terms as letters, digits and '_' only", odd..<(odd + 1),
                            fix: "quote the term: \"\(string(start..<position))\"",
                            notes: ["Tripline matches it as a literal; CloudWatch may find nothing"]))
                }
                matcher = .literal(Array(bytes[start..<position]))
            }
            if position < range.upperBound, !Lexer.isSpace(bytes[position]) {
                throw fail(
                    .termsNotSeparated, "expected whitespace between terms", position..<(position + 1),
                    fix: "add a space before this character, or put the whole phrase in quotes")
            }
            terms.append(Term(role: role, matcher: matcher))
        }
        return CompiledPattern(text: text, kind: .terms, warnings: warnings, terms: terms)
    }

    /// Scans a quoted term starting at `start`; returns its value and the offset after the quote.
    private func scanQuotedTerm(from start: Int, limit: Int) throws(PatternError) -> ([UInt8], Int) {
        var lexer = Lexer(bytes: bytes, range: start..<limit)
        let token = lexer.next()
        switch token.kind {
        case .quoted(let value): return (value, token.range.upperBound)
        case .error(let diagnostic): throw fail(diagnostic)
        default: throw fail(.unterminatedQuote, "this quoted term is never closed", start..<(start + 1))
        }
    }

    /// Letters, digits and `_`: what CloudWatch documents for an unquoted term.
    static func isTermByte(_ byte: UInt8) -> Bool {
        Lexer.isNameByte(byte) && byte != UInt8(ascii: "-")
    }
}
