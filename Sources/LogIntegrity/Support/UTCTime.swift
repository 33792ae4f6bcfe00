/// A point in time to the second, UTC, as CloudTrail writes it (`2026-03-01T01:41:07Z`).
///
/// Ordering is chronological. ``description`` prints the CloudTrail form.
public struct UTCTime: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public var secondsSinceEpoch: Int64

    /// Creates a time from seconds since the Unix epoch.
    public init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let days = UTCTime.daysFromCivil(year, month, day)
        secondsSinceEpoch = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    public static func < (lhs: UTCTime, rhs: UTCTime) -> Bool { lhs.secondsSinceEpoch < rhs.secondsSinceEpoch }

    /// Adds seconds.
    public static func + (lhs: UTCTime, rhs: Int64) -> UTCTime { UTCTime(secondsSinceEpoch: lhs.secondsSinceEpoch + rhs) }
    /// Subtracts seconds.
    public static func - (lhs: UTCTime, rhs: Int64) -> UTCTime { UTCTime(secondsSinceEpoch: lhs.secondsSinceEpoch - rhs) }

    // Howard Hinnant's civil-date algorithms.
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let s = secondsSinceEpoch
        var days = Int(s / 86_400)
        var rem = Int(s % 86_400)
        if rem < 0 {
            rem += 86_400
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d, rem / 3600, rem / 60 % 60, rem % 60)
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public var description: String {
        let c = components
        return "\(UTCTime.pad(c.year, 4))-\(UTCTime.pad(c.month, 2))-\(UTCTime.pad(c.day, 2))T"
            + "\(UTCTime.pad(c.hour, 2)):\(UTCTime.pad(c.minute, 2)):\(UTCTime.pad(c.second, 2))Z"
    }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SSZ` (the digest's own time format).
    init?(cloudTrail text: String) {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x5A,
            let y = UTCTime.digits(b, 0, 4), let mo = UTCTime.digits(b, 5, 2), let d = UTCTime.digits(b, 8, 2),
            let h = UTCTime.digits(b, 11, 2), let mi = UTCTime.digits(b, 14, 2), let s = UTCTime.digits(b, 17, 2),
            UTCTime.valid(y, mo, d, h, mi, s)
        else { return nil }
        self.init(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }

    /// Parses the 16-character stamp of a digest name, `YYYYMMDDTHHMMSSZ`.
    init?(stamp text: Substring) {
        let b = Array(text.utf8)
        guard b.count == 16, b[8] == 0x54, b[15] == 0x5A,
            let y = UTCTime.digits(b, 0, 4), let mo = UTCTime.digits(b, 4, 2), let d = UTCTime.digits(b, 6, 2),
            let h = UTCTime.digits(b, 9, 2), let mi = UTCTime.digits(b, 11, 2), let s = UTCTime.digits(b, 13, 2),
            UTCTime.valid(y, mo, d, h, mi, s)
        else { return nil }
        self.init(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }

    /// Parses ISO 8601 as users and the AWS CLI write it: `2026-03-01`, `2026-03-01T01:41:07Z`,
    /// `2026-03-01T01:41:07.250+00:00`, `2026-03-01 01:41:07+02:00`, `2026-03-01T01:41Z`. Fractions are dropped.
    public init?(iso8601 text: String) {
        let b = Array(text.utf8)
        guard b.count >= 10, b[4] == 0x2D, b[7] == 0x2D,
            let y = UTCTime.digits(b, 0, 4), let mo = UTCTime.digits(b, 5, 2), let d = UTCTime.digits(b, 8, 2)
        else { return nil }
        var h = 0
        var mi = 0
        var s = 0
        var i = 10
        var offset = 0
        if i < b.count {
            guard b[i] == 0x54 || b[i] == 0x20 || b[i] == 0x74, i + 6 <= b.count,
                let hh = UTCTime.digits(b, i + 1, 2), b[i + 3] == 0x3A, let mm = UTCTime.digits(b, i + 4, 2)
            else { return nil }
            h = hh
            mi = mm
            i += 6
            if i < b.count, b[i] == 0x3A {
                guard let ss = UTCTime.digits(b, i + 1, 2) else { return nil }
                s = ss
                i += 3
            }
            if i < b.count, b[i] == 0x2E {
                i += 1
                let start = i
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                if i == start { return nil }
            }
            guard i < b.count else { return nil }  // a time needs a zone: Z or an offset
            if b[i] == 0x5A || b[i] == 0x7A {
                i += 1
            } else if b[i] == 0x2B || b[i] == 0x2D {
                let sign = b[i] == 0x2B ? 1 : -1
                guard let oh = UTCTime.digits(b, i + 1, 2) else { return nil }
                var om = 0
                i += 3
                if i < b.count, b[i] == 0x3A { i += 1 }
                if i < b.count {
                    guard let m2 = UTCTime.digits(b, i, 2) else { return nil }
                    om = m2
                    i += 2
                }
                offset = sign * (oh * 3600 + om * 60)
            } else {
                return nil
            }
            if i != b.count { return nil }
        }
        guard UTCTime.valid(y, mo, d, h, mi, s) else { return nil }
        self.init(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        secondsSinceEpoch -= Int64(offset)
    }

    private static func valid(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> Bool {
        guard (1...12).contains(mo), (0...23).contains(h), (0...59).contains(mi), (0...60).contains(s) else {
            return false
        }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d >= 1 && d <= monthDays[mo - 1]
    }

    private static func digits(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= b.count else { return nil }
        var v = 0
        for i in start..<start + count {
            guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
            v = v * 10 + Int(b[i] - 0x30)
        }
        return v
    }
}
