/// A CCSDS epoch as written in a message, kept exactly: calendar (`YYYY-MM-DDThh:mm:ss.f…`) or day-of-year
/// (`YYYY-DDDThh:mm:ss.f…`) form, any number of fraction digits, optional trailing `Z`.
///
/// The epoch carries no time scale: the message's `TIME_SYSTEM` gives it one (CCSDS 502.0-B-3 §7.5.10).
/// Two epochs compare by the instant they name (within one time scale), not by their spelling.
public struct CCSDSEpoch: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Which of the two CCSDS forms the epoch was written in.
    public enum Form: UInt8, Sendable, Hashable {
        /// `YYYY-MM-DDThh:mm:ss`.
        case calendar
        /// `YYYY-DDDThh:mm:ss`.
        case dayOfYear
    }

    /// The year, 0000–9999.
    public var year: Int16
    /// The month, 1–12.
    public var month: UInt8
    /// The day of the month, 1–31.
    public var day: UInt8
    /// The hour, 0–23 (24 only for 24:00:00).
    public var hour: UInt8
    /// The minute, 0–59.
    public var minute: UInt8
    /// The whole second, 0–60 (60 during a leap second).
    public var second: UInt8
    /// The form the epoch is written in.
    public var form: Form
    /// Whether a trailing `Z` was written.
    public var hasZuluSuffix: Bool
    /// The digits after the decimal point exactly as written ("" when there is no fraction; "000" is kept).
    public var fractionDigits: String

    /// Creates an epoch from its parts; `fractionDigits` must hold decimal digits only.
    public init(
        year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
        fractionDigits: String = "", form: Form = .calendar, hasZuluSuffix: Bool = false
    ) {
        self.year = Int16(year)
        self.month = UInt8(month)
        self.day = UInt8(day)
        self.hour = UInt8(hour)
        self.minute = UInt8(minute)
        self.second = UInt8(second)
        self.fractionDigits = fractionDigits
        self.form = form
        self.hasZuluSuffix = hasZuluSuffix
    }

    /// The day of the year, 1–366.
    public var dayOfYear: Int {
        CCSDSEpoch.dayOfYear(year: Int(year), month: Int(month), day: Int(day))
    }

    /// The fraction of the second as a number in [0, 1).
    public var fractionOfSecond: Double {
        guard !fractionDigits.isEmpty else { return 0 }
        return Double("0." + fractionDigits) ?? 0
    }

    /// Days since 2000-01-01 (proleptic Gregorian calendar) of the epoch's date.
    public var daysSinceJ2000Date: Int {
        CCSDSEpoch.daysFromCivil(year: Int(year), month: Int(month), day: Int(day)) - 10_957
    }

    /// Seconds since 2000-01-01T00:00:00 in the epoch's own scale, ignoring leap seconds (for spans and ordering
    /// within a message; the astrodynamics library does exact time-scale work).
    public var secondsSinceJ2000: Double {
        Double(daysSinceJ2000Date) * 86_400 + Double(hour) * 3_600 + Double(minute) * 60 + Double(second)
            + fractionOfSecond
    }

    /// The epoch as written.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes the epoch's text to `bytes` without building an intermediate string.
    public func append(to bytes: inout [UInt8]) {
        @inline(__always) func two(_ value: UInt8) {
            bytes.append(48 + value / 10)
            bytes.append(48 + value % 10)
        }
        let y = Int(year)
        bytes.append(UInt8(48 + y / 1000))
        bytes.append(UInt8(48 + (y / 100) % 10))
        bytes.append(UInt8(48 + (y / 10) % 10))
        bytes.append(UInt8(48 + y % 10))
        bytes.append(UInt8(ascii: "-"))
        switch form {
        case .calendar:
            two(month)
            bytes.append(UInt8(ascii: "-"))
            two(day)
        case .dayOfYear:
            let doy = dayOfYear
            bytes.append(UInt8(48 + doy / 100))
            bytes.append(UInt8(48 + (doy / 10) % 10))
            bytes.append(UInt8(48 + doy % 10))
        }
        bytes.append(UInt8(ascii: "T"))
        two(hour)
        bytes.append(UInt8(ascii: ":"))
        two(minute)
        bytes.append(UInt8(ascii: ":"))
        two(second)
        if !fractionDigits.isEmpty {
            bytes.append(UInt8(ascii: "."))
            bytes.append(contentsOf: fractionDigits.utf8)
        }
        if hasZuluSuffix { bytes.append(UInt8(ascii: "Z")) }
    }

    /// Orders by instant: date, time of day, then fraction (compared digit by digit, so that "5" equals "50").
    public static func < (lhs: CCSDSEpoch, rhs: CCSDSEpoch) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// Equality by spelling (form, fraction digits and suffix included): two epochs that name the same instant
    /// but are written differently are different values of the model. Use `sameInstant(as:)` for instants.
    public static func == (lhs: CCSDSEpoch, rhs: CCSDSEpoch) -> Bool {
        lhs.year == rhs.year && lhs.month == rhs.month && lhs.day == rhs.day && lhs.hour == rhs.hour
            && lhs.minute == rhs.minute && lhs.second == rhs.second && lhs.form == rhs.form
            && lhs.hasZuluSuffix == rhs.hasZuluSuffix && lhs.fractionDigits == rhs.fractionDigits
    }

    /// Hashes the spelling, consistently with `==`.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(year)
        hasher.combine(month)
        hasher.combine(day)
        hasher.combine(hour)
        hasher.combine(minute)
        hasher.combine(second)
        hasher.combine(form)
        hasher.combine(hasZuluSuffix)
        hasher.combine(fractionDigits)
    }

    /// Whether the two epochs name the same instant, whatever their spelling.
    public func sameInstant(as other: CCSDSEpoch) -> Bool {
        CCSDSEpoch.compare(self, other) == 0
    }

    /// Three-way comparison by instant.
    static func compare(_ lhs: CCSDSEpoch, _ rhs: CCSDSEpoch) -> Int {
        let left = (Int(lhs.year), Int(lhs.month), Int(lhs.day), Int(lhs.hour), Int(lhs.minute), Int(lhs.second))
        let right = (Int(rhs.year), Int(rhs.month), Int(rhs.day), Int(rhs.hour), Int(rhs.minute), Int(rhs.second))
        if left < right { return -1 }
        if left > right { return 1 }
        let a = Array(lhs.fractionDigits.utf8)
        let b = Array(rhs.fractionDigits.utf8)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 48
            let y = index < b.count ? b[index] : 48
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }
}

extension CCSDSEpoch {
    /// Day of the year (1–366) of a Gregorian date.
    static func dayOfYear(year: Int, month: Int, day: Int) -> Int {
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        guard (1...12).contains(month) else { return day }
        return cumulative[month - 1] + day + (month > 2 && isLeap(year) ? 1 : 0)
    }

    /// Whether `year` is a Gregorian leap year.
    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Days in a month of a year.
    static func daysInMonth(year: Int, month: Int) -> Int {
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return month == 2 && isLeap(year) ? 29 : lengths[month - 1]
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Month and day of a day of the year.
    static func monthAndDay(year: Int, dayOfYear: Int) -> (month: Int, day: Int) {
        var remaining = dayOfYear
        for month in 1...12 {
            let length = daysInMonth(year: year, month: month)
            if remaining <= length { return (month, remaining) }
            remaining -= length
        }
        return (12, 31)
    }
}
