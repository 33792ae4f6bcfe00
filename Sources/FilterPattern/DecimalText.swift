/// Parses a field's text as a number, the way a numeric condition reads it.
enum DecimalText {
    /// The value of `text` when it is a number: optional sign, digits, optional fraction,
    /// optional exponent. Nothing else is accepted: not `0x10`, `inf` or surrounding spaces.
    /// - Complexity: O(n); allocates only for numbers outside the exact fast path.
    static func parse(_ text: UnsafeRawBufferPointer) -> Double? {
        let count = text.count
        guard count > 0, count <= 400 else { return nil }
        var index = 0
        var negative = false
        if text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: "-") {
            negative = text[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var exact = true
        var sawDigit = false
        while index < count, isDigit(text[index]) {
            accumulate(text[index], &mantissa, &digits, &exact, &scale, fraction: false)
            sawDigit = true
            index += 1
        }
        if index < count, text[index] == UInt8(ascii: ".") {
            index += 1
            var fractionDigits = 0
            while index < count, isDigit(text[index]) {
                accumulate(text[index], &mantissa, &digits, &exact, &scale, fraction: true)
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits > 0 else { return nil }
            sawDigit = true
        }
        guard sawDigit else { return nil }
        var exponent = 0
        if index < count, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponentDigits = 0
            while index < count, isDigit(text[index]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(text[index] - 0x30) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard index == count else { return nil }
        let power = scale + exponent
        if exact, mantissa < (1 << 53), abs(power) <= 22 {
            // Clinger's fast path: both operands are exact doubles, so one rounding is correct.
            var value = Double(mantissa)
            value = power < 0 ? value / powersOfTen[-power] : value * powersOfTen[power]
            return negative ? -value : value
        }
        var string = String(decoding: text, as: UTF8.self)
        if string.hasPrefix("+") { string.removeFirst() }
        return Double(string)
    }

    @inline(__always)
    private static func accumulate(
        _ byte: UInt8, _ mantissa: inout UInt64, _ digits: inout Int, _ exact: inout Bool, _ scale: inout Int,
        fraction: Bool
    ) {
        if mantissa == 0, byte == UInt8(ascii: "0") {
            if fraction { scale -= 1 }
            return
        }
        if digits < 19 {
            mantissa = mantissa * 10 + UInt64(byte - 0x30)
            digits += 1
            if fraction { scale -= 1 }
        } else {
            exact = false
            if !fraction { scale += 1 }
        }
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
        1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}

/// CloudWatch's number syntax, for other modules that read numbers out of definitions.
public enum NumberLiteral {
    /// The value of `text` when it is a number as patterns write them (`1`, `-2.5`, `+1e3`, `.5`).
    public static func parse(_ text: String) -> Double? {
        PatternParser.parseNumber(Array(text.utf8))
    }
}
