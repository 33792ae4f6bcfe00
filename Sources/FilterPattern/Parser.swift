internal import LinearRegex

// The grammar this parser accepts (kept true; `ws` is optional whitespace, `ws1` at least one):
//
//   pattern           = ws , [ term-pattern | json-pattern | delimited-pattern ] , ws ;
//   term-pattern      = term , { ws1 , term } ;
//   term              = [ "?" | "-" ] , ( quoted | regex | bare-term ) ;
//   quoted            = '"' , { char - '"' | '\"' | '\\' } , '"' ;
//   regex             = "%" , regex-body , "%" ;                        (* LinearRegex *)
//   bare-term         = { char - ws - '"' }- ;    (* beyond [A-Za-z0-9_]: accepted, warned *)
//
//   json-pattern      = "{" , ws , or-expr , ws , "}" ;
//   or-expr           = and-expr , { ws , "||" , ws , and-expr } ;
//   and-expr          = primary , { ws , "&&" , ws , primary } ;
//   primary           = "(" , ws , or-expr , ws , ")" | condition ;     (* depth <= 64 *)
//   condition         = selector , ws , ( cmp-op , ws , value
//                                       | "IS" , ws1 , ( "NULL" | "TRUE" | "FALSE" )
//                                       | "NOT" , ws1 , "EXISTS" ) ;
//   selector          = "$" , segment , { segment } ;
//   segment           = "." , name | ".*" | "[" , digits , "]" | "[*]" | [ "." ] , "['" , key , "']" ;
//   cmp-op            = "=" | "!=" | "<" | "<=" | ">" | ">=" ;
//   value             = quoted | regex | number | bare-value ;
//   bare-value        = { letter | digit | "_" | "." | "*" | "+" | "-" }- ;
//
//   delimited-pattern = "[" , ws , field , { ws , "," , ws , field } , ws , "]" ;
//   field             = "..." | name | f-or ;
//   f-or              = f-and , { ws , "||" , ws , f-and } ;
//   f-and             = f-cond , { ws , "&&" , ws , f-cond } ;
//   f-cond            = name , ws , cmp-op , ws , value ;        (* name: the field's own *)

/// Parses and checks a filter pattern, producing a ``CompiledPattern`` or the first error.
struct PatternParser {
    let text: String
    let bytes: [UInt8]
    var warnings: [PatternDiagnostic] = []
    var regexCount = 0
    var wildcardSelectorCount = 0

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    mutating func parse() throws(PatternError) -> CompiledPattern {
        try checkLength()
        var start = 0
        var end = bytes.count
        while start < end, Lexer.isSpace(bytes[start]) { start += 1 }
        while end > start, Lexer.isSpace(bytes[end - 1]) { end -= 1 }
        guard start < end else {
            if !bytes.isEmpty {
                warnings.append(
                    Diag.warning(.emptyPattern, "a blank pattern matches every event", 0..<bytes.count))
            }
            return CompiledPattern(text: text, kind: .matchAll, warnings: warnings)
        }
        switch bytes[start] {
        case UInt8(ascii: "{"):
            guard bytes[end - 1] == UInt8(ascii: "}"), end - start >= 2 else {
                throw fail(
                    .jsonPatternUnclosed, "a pattern that begins with '{' must end with '}'", end..<end,
                    fix: "add '}' at the end, or quote the term (\"{...\") to match text")
            }
            return try parseJSON(start..<end)
        case UInt8(ascii: "["):
            guard bytes[end - 1] == UInt8(ascii: "]"), end - start >= 2 else {
                throw fail(
                    .delimitedPatternUnclosed, "a pattern that begins with '[' must end with ']'", end..<end,
                    fix: "add ']' at the end, or quote the term (\"[ERROR]\") to match text")
            }
            return try parseDelimited(start..<end)
        default:
            return try parseTerms(start..<end)
        }
    }

    /// Rejects patterns over 1024 characters before looking at them, whatever their size.
    private func checkLength() throws(PatternError) {
        var count = 0
        var offset = 0
        for scalar in text.unicodeScalars {
            count += 1
            if count > PatternLimits.maxPatternLength {
                throw fail(
                    .patternTooLong,
                    "the pattern is longer than CloudWatch's limit of \(PatternLimits.maxPatternLength) characters",
                    offset..<bytes.count,
                    fix: "shorten it here, or split it into several metric filters",
                    notes: ["the pattern has \(text.unicodeScalars.count) characters"])
            }
            offset += UTF8.width(scalar)
        }
    }

    func fail(
        _ id: DiagnosticID, _ message: String, _ span: Range<Int>, fix: String? = nil, notes: [String] = []
    ) -> PatternError {
        PatternError(Diag.error(id, message, span, fix: fix, notes: notes), pattern: text)
    }

    func fail(_ diagnostic: PatternDiagnostic) -> PatternError {
        PatternError(diagnostic, pattern: text)
    }

    /// Compiles the body of `%...%` at `range` (delimiters included) and counts it toward the quota.
    mutating func compileRegex(_ range: Range<Int>) throws(PatternError) -> CompiledRegex {
        let body = bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]
        guard !body.isEmpty else {
            throw fail(.emptyRegex, "an empty regex is not allowed", range, fix: "write a regular expression between the '%' signs")
        }
        regexCount += 1
        if regexCount > PatternLimits.maxRegexes {
            throw fail(
                .regexQuotaExceeded,
                "a pattern may hold at most \(PatternLimits.maxRegexes) regular expressions", range,
                fix: "combine them with '|' inside one %regex%, or use quoted terms",
                notes: ["CloudWatch Logs quota: 2 regexes per filter pattern, 5 regex patterns per log group"])
        }
        let regex: CompiledRegex
        do {
            regex = try CompiledRegex(body)
        } catch {
            let at = range.lowerBound + 1 + error.offset
            throw fail(
                .regexInvalid, "invalid regex: \(error.message)", at..<(at + max(1, error.length)),
                fix: error.fixIt, notes: ["regex error: \(error.code.rawValue)"])
        }
        if regex.isPlainLiteral {
            warnings.append(
                Diag.warning(
                    .plainRegex, "this regex is a plain literal", range,
                    fix: "use a quoted term or value instead; it does not count toward the regex quota"))
        }
        return regex
    }

    /// The text of `range` as a string, for messages.
    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}
