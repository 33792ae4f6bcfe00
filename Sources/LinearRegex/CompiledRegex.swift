/// A CloudWatch Logs `%...%` regex, parsed, checked against the limits and compiled for matching.
///
/// Matching has search semantics: ``matches(_:scratch:)`` is true when a match occurs anywhere in the
/// subject, and `^` and `$` anchor to the start and end of the subject. It runs in time linear in the
/// subject length times the program size, whatever the regex, so untrusted patterns are safe.
///
/// ```swift
/// let regex = try CompiledRegex("[Ee]rror \\d{3}")
/// regex.matches(Array("fatal Error 503".utf8))  // true
/// regex.requiredLiteral                          // Array("rror ".utf8)
/// ```
///
/// A compiled regex is immutable and `Sendable`; share it between threads and give each thread its
/// own ``RegexScratch``.
public struct CompiledRegex: Sendable {
    /// How a subject is checked.
    enum Strategy: Sendable {
        /// The regex is a literal: search for it.
        case substring(ByteSearch)
        /// `^literal`: compare a prefix.
        case prefix([UInt8])
        /// `literal$`: compare a suffix.
        case suffix([UInt8])
        /// `^literal$`: compare the whole subject.
        case exact([UInt8])
        /// Run the Pike VM, after the prefilter when there is one.
        case machine(prefilter: ByteSearch?)
    }

    let program: RegexProgram
    let strategy: Strategy
    let startBytes: ByteClass?

    /// The longest byte string every match must contain, or `[]` when there is none.
    ///
    /// Sound: whenever ``matches(_:scratch:)`` is true, the subject contains these bytes. Use it to
    /// skip events cheaply before running the matcher.
    public let requiredLiteral: [UInt8]

    /// Whether the body is plain text with no operators at all (not even escapes), such as `AUTHORIZED`.
    ///
    /// Such a regex behaves like a quoted term, so a caller can suggest writing one instead.
    public let isPlainLiteral: Bool

    /// The number of instructions in the compiled program, at most ``RegexLimits/maxProgramSize``.
    public var programSize: Int { program.count }

    /// Parses and compiles a regex body: the bytes between the `%` delimiters.
    ///
    /// Never traps; hostile input (a 1 MiB body, 100,000 `[`) is rejected in time linear in its length.
    ///
    /// - Parameter body: The UTF-8 bytes of the regex, without the `%` delimiters.
    /// - Throws: ``RegexError`` naming the first problem and its byte offset in `body`.
    /// - Complexity: O(*n* + *s*) for a body of *n* bytes compiling to *s* instructions.
    public init(_ body: some Collection<UInt8>) throws(RegexError) {
        let bytes = Array(body)
        var parser = RegexParser(bytes)
        let ast = try parser.parse()
        program = RegexCompiler.compile(ast)
        precondition(program.count <= RegexLimits.maxProgramSize, "the parser bounds the program size")
        startBytes = program.startBytes()
        requiredLiteral = LiteralAnalysis.requiredLiteral(ast)
        isPlainLiteral = bytes.allSatisfy(RegexParser.isLiteral)
        if let literal = ast.literalBytes {
            let alternative = ast.alternatives[0]
            switch (alternative.anchoredStart, alternative.anchoredEnd) {
            case (true, true): strategy = .exact(literal)
            case (true, false): strategy = .prefix(literal)
            case (false, true): strategy = .suffix(literal)
            case (false, false): strategy = literal.isEmpty ? .prefix([]) : .substring(ByteSearch(literal))
            }
        } else {
            strategy = .machine(prefilter: requiredLiteral.isEmpty ? nil : ByteSearch(requiredLiteral))
        }
    }

    /// Parses and compiles a regex body given as a string.
    ///
    /// - Parameter body: The regex, without the `%` delimiters.
    /// - Throws: ``RegexError`` naming the first problem and its UTF-8 byte offset in `body`.
    public init(_ body: String) throws(RegexError) {
        try self.init(Array(body.utf8))
    }

    /// Whether the regex matches anywhere in `subject`.
    ///
    /// - Parameters:
    ///   - subject: The bytes to search; any bytes, not necessarily valid UTF-8.
    ///   - scratch: Reusable VM memory; it grows on first use and never allocates afterwards.
    /// - Returns: `true` when some substring of `subject` matches.
    /// - Complexity: O(*n* × *s*) for a subject of *n* bytes and ``programSize`` *s*; O(*n*) when the
    ///   regex is a literal, optionally anchored.
    public func matches(_ subject: UnsafeRawBufferPointer, scratch: inout RegexScratch) -> Bool {
        switch strategy {
        case .substring(let search):
            return search.isFound(in: subject)
        case .prefix(let literal):
            return subject.hasPrefix(literal)
        case .suffix(let literal):
            return subject.hasSuffix(literal)
        case .exact(let literal):
            return subject.count == literal.count && subject.hasPrefix(literal)
        case .machine(let prefilter):
            if let prefilter, !prefilter.isFound(in: subject) {
                return false
            }
            return runMachine(subject, scratch: &scratch)
        }
    }

    /// Whether the regex matches anywhere in `subject`, using a fresh scratch.
    ///
    /// Convenient for tests and one-off checks; hot loops should use ``matches(_:scratch:)``.
    ///
    /// - Parameter subject: The bytes to search.
    /// - Returns: `true` when some substring of `subject` matches.
    /// - Complexity: O(*n* × *s*), as ``matches(_:scratch:)``, plus a copy when `subject` is not contiguous.
    public func matches(_ subject: some Collection<UInt8>) -> Bool {
        var scratch = RegexScratch()
        if let result = subject.withContiguousStorageIfAvailable({ buffer in
            matches(UnsafeRawBufferPointer(buffer), scratch: &scratch)
        }) {
            return result
        }
        return Array(subject).withUnsafeBytes { matches($0, scratch: &scratch) }
    }

    /// Runs the Pike VM with the scratch's buffers.
    private func runMachine(_ subject: UnsafeRawBufferPointer, scratch: inout RegexScratch) -> Bool {
        scratch.reserve(programSize: program.count)
        return program.instructions.withUnsafeBufferPointer { instructions in
            scratch.withThreadLists { stack, current, next in
                let vm = PikeVM(
                    program: instructions, subject: subject, stack: stack,
                    isAnchoredStart: program.isAnchoredStart, startBytes: startBytes
                )
                return vm.run(current: current, next: next)
            }
        }
    }
}
