// Decimal text to Double, exactly: Clinger's fast path when it applies, the stdlib's parser otherwise.

/// Parses decimal text as a number: an optional sign (`+` or `-`), digits, an optional fraction
/// (`.` and digits), and an optional exponent (`e` or `E`, optional sign, digits).
///
/// The result is the correctly rounded `Double`. The common case (at most 19 significant digits whose
/// value fits in 53 bits, times a power of ten up to 10^22 — or 10^37 for short mantissas) is computed
/// without allocating, using exactly representable powers of ten (Clinger's fast path). Everything
/// else is handed to the standard library's `Double(String)`, which allocates a string.
///
/// Unlike the JSON grammar this accepts a leading `+` and leading zeros (`007`), because it is also
/// used for space-delimited log fields. Magnitudes beyond `Double`'s range follow `Double(String)`:
/// `1e400` is `+infinity`, `1e-400` is `0`.
///
/// ```swift
/// parseDecimal("1e+3")   // 1000
/// parseDecimal("-0")     // -0.0
/// parseDecimal("1.")     // nil
/// parseDecimal(".5")     // nil
/// ```
///
/// - Parameter bytes: The text's UTF-8 bytes, with nothing around the number.
/// - Returns: The value, or nil when `bytes` is not exactly one number of that grammar.
public func parseDecimal(_ bytes: UnsafeRawBufferPointer) -> Double? {
    let count = bytes.count
    var index = 0
    guard count > 0 else { return nil }
    let negative = bytes[0] == ASCII.minus
    if negative || bytes[0] == ASCII.plus { index = 1 }

    var mantissa: UInt64 = 0
    var significantDigits = 0
    var exponent = 0
    var tooManyDigits = false

    // Digits go into `mantissa` while there are at most 19 significant ones (< 10^19 < 2^64); with more,
    // the slow path takes over, so the exponent bookkeeping need not be exact then.
    @inline(__always)
    func accumulate(_ byte: UInt8) {
        if significantDigits < 19 {
            mantissa = mantissa &* 10 &+ UInt64(byte &- ASCII.zero)
            if mantissa != 0 { significantDigits &+= 1 }
        } else {
            tooManyDigits = true
        }
    }

    let integerStart = index
    while index < count, ASCII.isDigit(bytes[index]) {
        accumulate(bytes[index])
        index &+= 1
    }
    guard index > integerStart else { return nil }
    if index < count, bytes[index] == ASCII.dot {
        index &+= 1
        let fractionStart = index
        while index < count, ASCII.isDigit(bytes[index]) {
            accumulate(bytes[index])
            exponent &-= 1
            index &+= 1
        }
        guard index > fractionStart else { return nil }
    }
    if index < count, bytes[index] == ASCII.lowerE || bytes[index] == ASCII.upperE {
        index &+= 1
        var exponentNegative = false
        if index < count, bytes[index] == ASCII.plus || bytes[index] == ASCII.minus {
            exponentNegative = bytes[index] == ASCII.minus
            index &+= 1
        }
        let exponentStart = index
        var written = 0
        while index < count, ASCII.isDigit(bytes[index]) {
            // Saturate: anything past a million is infinity or zero anyway.
            if written < 1_000_000 { written = written &* 10 &+ Int(bytes[index] &- ASCII.zero) }
            index &+= 1
        }
        guard index > exponentStart else { return nil }
        exponent &+= exponentNegative ? -written : written
    }
    guard index == count else { return nil }

    if !tooManyDigits, let value = clingerFastPath(mantissa, exponent) {
        return negative ? -value : value
    }
    // Slow path: the grammar is already checked, so the stdlib parser sees only plain decimals.
    return Double(String(decoding: bytes, as: UTF8.self))
}

/// `mantissa × 10^exponent` when it can be computed exactly with one rounding, else nil.
@inline(__always)
private func clingerFastPath(_ mantissa: UInt64, _ exponent: Int) -> Double? {
    if mantissa == 0 { return 0 }
    // Integer to Double conversion rounds correctly on its own.
    if exponent == 0 { return Double(mantissa) }
    let exactLimit: UInt64 = 1 << 53
    guard mantissa <= exactLimit else { return nil }
    if exponent > 0 {
        if exponent <= 22 { return Double(mantissa) * powerOfTen(exponent) }
        // Move the excess into the mantissa while it stays exact: 123e30 = 123e8 × 1e22.
        guard exponent <= 22 + 15 else { return nil }
        var scaled = mantissa
        for _ in 0..<(exponent - 22) {
            let (product, overflow) = scaled.multipliedReportingOverflow(by: 10)
            guard !overflow, product <= exactLimit else { return nil }
            scaled = product
        }
        return Double(scaled) * powerOfTen(22)
    }
    guard exponent >= -22 else { return nil }
    return Double(mantissa) / powerOfTen(-exponent)
}

/// 10^exponent for 0...22, all exactly representable in a Double.
@inline(__always)
private func powerOfTen(_ exponent: Int) -> Double {
    switch exponent {
    case 0: 1e0
    case 1: 1e1
    case 2: 1e2
    case 3: 1e3
    case 4: 1e4
    case 5: 1e5
    case 6: 1e6
    case 7: 1e7
    case 8: 1e8
    case 9: 1e9
    case 10: 1e10
    case 11: 1e11
    case 12: 1e12
    case 13: 1e13
    case 14: 1e14
    case 15: 1e15
    case 16: 1e16
    case 17: 1e17
    case 18: 1e18
    case 19: 1e19
    case 20: 1e20
    case 21: 1e21
    default: 1e22
    }
}

extension EventView {
    /// The value of a number node, exactly and correctly rounded.
    ///
    /// Uses ``parseDecimal(_:)`` on the node's bytes, so it is slightly more lenient than JSON (leading
    /// zeros); validate the line for strictness. No allocation on the common path.
    ///
    /// - Parameter node: A node from this view.
    /// - Returns: The value, or nil unless `node.kind == .number` and its text is a number.
    public func doubleValue(_ node: JSONNode) -> Double? {
        guard node.kind == .number else { return nil }
        return parseDecimal(UnsafeRawBufferPointer(rebasing: bytes[clampedRange(of: node)]))
    }
}
