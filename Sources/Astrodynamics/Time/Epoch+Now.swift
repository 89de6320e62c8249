import Foundation

extension Epoch {
    /// The current instant from the system clock (POSIX time, which counts UTC days of 86,400 s), to the
    /// microsecond. During a leap second the system clock repeats or smears a second; so does this.
    public static func now(leapSeconds: LeapSecondTable = .builtIn) -> Epoch {
        let unixMicroseconds = Int64((Date().timeIntervalSince1970 * 1e6).rounded())
        let (unixDay, microsecondOfDay) = CivilCalendar.floorDivide(unixMicroseconds, 86_400_000_000)
        let date = CivilCalendar.date(dayNumber: Int(unixDay) - CivilCalendar.unixDaysAt2000)
        let second = Int(microsecondOfDay / 1_000_000)
        let components = CalendarComponents(
            year: date.year, month: date.month, day: date.day, hour: second / 3600, minute: second / 60 % 60,
            second: second % 60, nanosecond: Int(microsecondOfDay % 1_000_000) * 1000)
        // A clock before 1972 or beyond ±290 years is not a clock we can serve from.
        return (try? Epoch(components, in: .utc, leapSeconds: leapSeconds)) ?? .j2000TAI
    }
}
