public import TriplineCore

/// Numbers and dates written the way CloudWatch writes them in reasons and messages.
public enum CloudWatchText {
    /// A double as Java's `Double.toString` prints it (CloudWatch is written in Java): `2.0`, `0.5`,
    /// `1.0E7`, `1.5E-4`. Plain decimal for magnitudes in [10⁻³, 10⁷), scientific otherwise, always
    /// with a fraction digit; the shortest digits that round-trip.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        let magnitude = Swift.abs(value)
        let sign = value < 0 ? "-" : ""
        let (digits, pointPosition) = shortestDigits(magnitude)
        if magnitude >= 1e-3, magnitude < 1e7 {
            // pointPosition = number of digits before the decimal point (may be ≤ 0).
            if pointPosition <= 0 {
                return sign + "0." + String(repeating: "0", count: -pointPosition) + digits
            }
            if digits.count <= pointPosition {
                return sign + digits + String(repeating: "0", count: pointPosition - digits.count) + ".0"
            }
            let split = digits.index(digits.startIndex, offsetBy: pointPosition)
            return sign + digits[..<split] + "." + digits[split...]
        }
        let first = digits.prefix(1)
        let rest = digits.dropFirst()
        return sign + first + "." + (rest.isEmpty ? "0" : rest) + "E" + String(pointPosition - 1)
    }

    /// Appends ``number(_:)`` to JSON output (always a valid JSON number for finite values).
    public static func appendNumber(_ value: Double, to out: inout [UInt8]) {
        if value.isFinite {
            out.append(contentsOf: number(value).utf8)
        } else {
            out.append(contentsOf: "null".utf8)
        }
    }

    /// The significant digits (no leading or trailing zeros) and the decimal point's position,
    /// taken from Swift's shortest round-tripping description.
    static func shortestDigits(_ magnitude: Double) -> (String, Int) {
        let text = magnitude.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits = ""
        var pointPosition = 0
        var seenPoint = false
        for character in mantissa {
            if character == "." {
                seenPoint = true
            } else {
                digits.append(character)
                if !seenPoint { pointPosition += 1 }
            }
        }
        while digits.first == "0", digits.count > 1 {
            digits.removeFirst()
            pointPosition -= 1
        }
        while digits.last == "0", digits.count > 1 { digits.removeLast() }
        return (digits, pointPosition + exponent)
    }

    /// `dd/MM/yy HH:mm:ss` in UTC, as datapoints are labelled in reasons: `04/03/25 09:15:00`.
    public static func shortDate(_ time: Timestamp) -> String {
        let iso = Array(time.iso8601)  // yyyy-MM-ddTHH:mm:ss.SSS+0000
        let part = { (range: Range<Int>) in String(iso[range]) }
        return part(8..<10) + "/" + part(5..<7) + "/" + part(2..<4) + " " + part(11..<19)
    }

    /// `EEEE dd MMMM, yyyy HH:mm:ss 'UTC'`, as composite reasons write times: `Friday 22 July, 2022 15:57:45 UTC`.
    public static func longDate(_ time: Timestamp) -> String {
        let iso = Array(time.iso8601)
        let days = (time.milliseconds - ((time.milliseconds % 86_400_000) + 86_400_000) % 86_400_000) / 86_400_000
        let weekday = Int(((days + 4) % 7 + 7) % 7)  // 1970-01-01 was a Thursday
        let month = Int(String(iso[5..<7])) ?? 1
        return weekdays[weekday] + " " + String(iso[8..<10]) + " " + months[month - 1] + ", "
            + String(iso[0..<4]) + " " + String(iso[11..<19]) + " UTC"
    }

    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
}
