import Foundation

extension Epoch {
    /// The current instant from the system clock (POSIX time, which counts UTC days of 86,400 s), to the
    /// microsecond. During a leap second the system clock repeats or smears a second; so does this.
    public static func now(leapSeconds: LeapSecondTable = .builtIn) -> Epoch {
        Epoch(date: Date(), leapSeconds: leapSeconds)
    }

    /// The instant a Foundation `Date` (POSIX time: UTC days of 86,400 s) names, to the microsecond. Dates before
    /// 1972 or beyond ±290 years map to J2000 (no clock or record of the gateway holds them).
    public init(date: Date, leapSeconds: LeapSecondTable = .builtIn) {
        let unixMicroseconds = Int64((date.timeIntervalSince1970 * 1e6).rounded())
        let (unixDay, microsecondOfDay) = CivilCalendar.floorDivide(unixMicroseconds, 86_400_000_000)
        let civil = CivilCalendar.date(dayNumber: Int(unixDay) - CivilCalendar.unixDaysAt2000)
        let second = Int(microsecondOfDay / 1_000_000)
        let components = CalendarComponents(
            year: civil.year, month: civil.month, day: civil.day, hour: second / 3600, minute: second / 60 % 60,
            second: second % 60, nanosecond: Int(microsecondOfDay % 1_000_000) * 1000)
        self = (try? Epoch(components, in: .utc, leapSeconds: leapSeconds)) ?? .j2000TAI
    }

    /// The instant as a Foundation `Date` (POSIX time; a leap second 23:59:60 maps to the next day's 00:00:00).
    public func date(leapSeconds: LeapSecondTable = .builtIn) -> Date {
        let c = components(in: .utc, leapSeconds: leapSeconds)
        let day = CivilCalendar.dayNumber(year: c.year, month: c.month, day: c.day) + CivilCalendar.unixDaysAt2000
        let seconds = Double(day) * 86_400 + Double(c.hour * 3600 + c.minute * 60 + c.second)
        return Date(timeIntervalSince1970: seconds + Double(c.nanosecond) / 1e9)
    }
}
