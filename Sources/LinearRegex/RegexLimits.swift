/// The limits that keep compiling and matching an untrusted regex cheap.
///
/// Both are enforced while parsing, before any program is built: a body such as `a{1000}b{1000}...`
/// is rejected from arithmetic on its bounds, not after expanding it.
public enum RegexLimits {
    /// The largest compiled program, in instructions (``RegexError/Code/programTooLarge``).
    ///
    /// Matching costs at most this many steps per subject character.
    public static let maxProgramSize = 20_000

    /// The largest bound allowed in a `{m,n}` repetition (``RegexError/Code/repetitionTooLarge``).
    public static let maxRepetition = 1_000
}
