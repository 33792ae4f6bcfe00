/// A point in time as milliseconds since the Unix epoch (UTC), the resolution CloudTrail and
/// CloudWatch use. Time enters the core as a value, never from a clock.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public init(seconds: Int64) { self.milliseconds = seconds &* 1000 }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// Adds whole seconds.
    public func adding(seconds: Int64) -> Timestamp { Timestamp(milliseconds: milliseconds &+ seconds &* 1000) }

    /// The start of the `period`-second bucket that holds this time (buckets align to the epoch).
    public func floor(toPeriod period: Int64) -> Timestamp {
        let size = period * 1000
        let remainder = ((milliseconds % size) + size) % size
        return Timestamp(milliseconds: milliseconds - remainder)
    }

    /// ISO 8601 with milliseconds, as CloudWatch prints times: `2024-01-01T00:05:00.000+0000`.
    public var iso8601: String { ISO8601.format(self, zone: "+0000") }

    /// ISO 8601 with a `Z`: `2024-01-01T00:05:00.000Z`.
    public var iso8601Z: String { ISO8601.format(self, zone: "Z") }

    public var description: String { iso8601Z }

    /// Parses CloudTrail's `eventTime` (`2024-01-01T00:05:00Z`, optional fraction, `Z` or `±hh:mm`).
    public init?(iso8601 text: some Collection<UInt8>) {
        guard let value = ISO8601.parse(Array(text)) else { return nil }
        self = value
    }

    /// Parses from a borrowed buffer, without copying it (the per-event path).
    public init?(iso8601 text: UnsafeRawBufferPointer) {
        guard let value = ISO8601.parse(text) else { return nil }
        self = value
    }

    public init?(iso8601 text: String) { self.init(iso8601: text.utf8) }
}

/// Calendar arithmetic for UTC, without Foundation (days from civil, Howard Hinnant's algorithm).
enum ISO8601 {
    static func format(_ time: Timestamp, zone: String) -> String {
        let milliseconds = ((time.milliseconds % 1000) + 1000) % 1000
        let seconds = (time.milliseconds - milliseconds) / 1000
        let days = Int64((Double(seconds) / 86_400).rounded(.down))
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(milliseconds, 3))\(zone)"
    }

    static func parse<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Timestamp? where Bytes.Index == Int {
        var index = 0
        func number(_ width: Int) -> Int64? {
            guard index + width <= bytes.count else { return nil }
            var value: Int64 = 0
            for _ in 0..<width {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
                index += 1
            }
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
            let day = number(2), index < bytes.count, bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: " ")
        else { return nil }
        index += 1
        guard let hour = number(2), expect(UInt8(ascii: ":")), let minute = number(2), expect(UInt8(ascii: ":")),
            let second = number(2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var milliseconds: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if digits < 3 { milliseconds = milliseconds * 10 + Int64(bytes[index] - 0x30) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            var scale = digits
            while scale < 3 {
                milliseconds *= 10
                scale += 1
            }
        }
        var offset: Int64 = 0
        if expect(UInt8(ascii: "Z")) {
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2) else { return nil }
            _ = expect(UInt8(ascii: ":"))
            guard let minutes = number(2) else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Timestamp(milliseconds: seconds * 1000 + milliseconds)
    }

    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
