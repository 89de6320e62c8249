/// The epoch of a TLE: columns 19–32 of line 1, `YYDDD.DDDDDDDD` — a two-digit year and the day of the year
/// with its fraction (CelesTrak, "Frequently Asked Questions: Two-Line Element Set Format",
/// https://celestrak.org/columns/v04n03/).
///
/// The text is kept exactly as written, so that writing a parsed TLE reproduces it. Two-digit years 57–99 are
/// 1957–1999 and 00–56 are 2000–2056 (the same FAQ; python-sgp4's `twoline2rv` applies the same rule).
/// The day fraction is held as an integer count of 10⁻⁸ day (864 µs), so the conversion to a CCSDS epoch with
/// microseconds is exact: `ccsdsEpoch` has six fraction digits.
public struct TLEEpoch: Sendable, Hashable, CustomStringConvertible {
    /// Columns 19–32 exactly as written (14 characters).
    public let text: String
    /// The four-digit year, 1957–2056.
    public let year: Int
    /// The day of the year, 1–366 (day 1 is 1 January, 00:00 is its start).
    public let dayOfYear: Int
    /// The fraction of the day in units of 10⁻⁸ day (0–99,999,999); one unit is 864 µs.
    public let dayFractionHundredMillionths: Int

    /// Units of 10⁻⁸ day in a day.
    static let ticksPerDay = 100_000_000

    /// The text as written.
    public var description: String { text }

    /// Reads columns 19–32 (`YYDDD.DDDDDDDD`, 14 characters; fewer fraction digits followed by blanks are
    /// accepted, and blanks before the day digits read as zeros). Returns nil when the text is malformed or the
    /// day is 0 or above 366.
    public init?(text: String) {
        var text = text
        guard let parsed = text.withUTF8({ TLEEpoch.parse($0) }) else { return nil }
        self = parsed
    }

    /// An epoch from its parts; `text` must be what the parts spell.
    init(text: String, year: Int, dayOfYear: Int, ticks: Int) {
        self.text = text
        self.year = year
        self.dayOfYear = dayOfYear
        self.dayFractionHundredMillionths = ticks
    }

    /// The four-digit year of a two-digit TLE year (57 → 1957, 56 → 2056).
    static func fullYear(_ twoDigits: Int) -> Int { twoDigits < 57 ? 2000 + twoDigits : 1900 + twoDigits }

    /// Parses the 14 bytes of columns 19–32.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> TLEEpoch? {
        guard bytes.count == 14 else { return nil }
        let y0 = bytes[0] &- 48
        let y1 = bytes[1] &- 48
        guard y0 < 10, y1 < 10 else { return nil }
        var day = 0
        var seenDigit = false
        for index in 2..<5 {
            let byte = bytes[index]
            if byte == 32, !seenDigit { continue }
            let digit = byte &- 48
            guard digit < 10 else { return nil }
            seenDigit = true
            day = day * 10 + Int(digit)
        }
        guard seenDigit, bytes[5] == UInt8(ascii: "."), day >= 1, day <= 366 else { return nil }
        var ticks = 0
        var scale = 10_000_000
        var ended = false
        for index in 6..<14 {
            let byte = bytes[index]
            if byte == 32 {
                ended = true
                continue
            }
            let digit = byte &- 48
            guard digit < 10, !ended else { return nil }
            ticks += Int(digit) * scale
            scale /= 10
        }
        let year = fullYear(Int(y0) * 10 + Int(y1))
        return TLEEpoch(
            text: String(decoding: bytes, as: UTF8.self), year: year, dayOfYear: day, ticks: ticks)
    }

    /// Whether the day of the year exists in the year (366 only in leap years).
    public var isDayValid: Bool { dayOfYear <= (CCSDSEpoch.isLeap(year) ? 366 : 365) }

    /// The epoch as a CCSDS calendar epoch with six fraction digits (microseconds), exact:
    /// 10⁻⁸ day = 864 µs. A day 366 in a common year (seen in some historical sets) rolls over to 1 January.
    public var ccsdsEpoch: CCSDSEpoch {
        var year = year
        var day = dayOfYear
        if day > (CCSDSEpoch.isLeap(year) ? 366 : 365) {
            day = 1
            year += 1
        }
        let (month, dayOfMonth) = CCSDSEpoch.monthAndDay(year: year, dayOfYear: day)
        let microseconds = dayFractionHundredMillionths * 864
        let seconds = microseconds / 1_000_000
        let micro = microseconds % 1_000_000
        var digits = [UInt8](repeating: 48, count: 6)
        var rest = micro
        for index in stride(from: 5, through: 0, by: -1) {
            digits[index] = UInt8(48 + rest % 10)
            rest /= 10
        }
        return CCSDSEpoch(
            year: year, month: month, day: dayOfMonth, hour: seconds / 3600, minute: (seconds / 60) % 60,
            second: seconds % 60, fractionDigits: String(decoding: digits, as: UTF8.self), form: .calendar)
    }

    /// The TLE epoch nearest to a CCSDS epoch (UTC): the time of day is rounded to the nearest 10⁻⁸ day
    /// (864 µs; halves round up). Returns nil when the year is outside 1957–2056 (the two-digit year cannot
    /// carry it); `exact` tells whether no rounding was needed.
    public static func nearest(to epoch: CCSDSEpoch) -> (epoch: TLEEpoch, exact: Bool)? {
        var year = Int(epoch.year)
        var day = CCSDSEpoch.dayOfYear(year: year, month: Int(epoch.month), day: Int(epoch.day))
        let secondOfDay = Int(epoch.hour) * 3600 + Int(epoch.minute) * 60 + Int(epoch.second)
        // Time of day in units of 10^-k s, k ≤ 12 digits kept exactly; later digits only break ties.
        var kept = 0
        var fraction = 0
        var sticky = false
        for byte in epoch.fractionDigits.utf8 {
            let digit = Int(byte &- 48)
            if kept < 12 {
                fraction = fraction * 10 + digit
                kept += 1
            } else if digit != 0 {
                sticky = true
            }
        }
        var power = 1
        for _ in 0..<kept { power *= 10 }
        let total = secondOfDay * power + fraction
        // ticks = total × 10^6 / (864 × 10^kept)
        let numerator: Int
        let denominator: Int
        if kept <= 6 {
            var scale = 1
            for _ in 0..<(6 - kept) { scale *= 10 }
            numerator = total * scale
            denominator = 864
        } else {
            var scale = 1
            for _ in 0..<(kept - 6) { scale *= 10 }
            numerator = total
            denominator = 864 * scale
        }
        var ticks = numerator / denominator
        let remainder = numerator % denominator
        if remainder * 2 >= denominator { ticks += 1 }
        let exact = remainder == 0 && !sticky
        while ticks >= ticksPerDay {
            ticks -= ticksPerDay
            day += 1
            if day > (CCSDSEpoch.isLeap(year) ? 366 : 365) {
                day = 1
                year += 1
            }
        }
        guard (1957...2056).contains(year) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(14)
        let yy = year % 100
        bytes.append(UInt8(48 + yy / 10))
        bytes.append(UInt8(48 + yy % 10))
        bytes.append(UInt8(48 + day / 100))
        bytes.append(UInt8(48 + (day / 10) % 10))
        bytes.append(UInt8(48 + day % 10))
        bytes.append(UInt8(ascii: "."))
        var divisor = 10_000_000
        while divisor > 0 {
            bytes.append(UInt8(48 + (ticks / divisor) % 10))
            divisor /= 10
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return (TLEEpoch(text: text, year: year, dayOfYear: day, ticks: ticks), exact)
    }
}
