/// A date and time of day as read in one time scale: the fields of an ISO 8601 or CCSDS epoch.
///
/// `second` is 60 only during a positive UTC leap second (23:59:60). The components carry no scale: an `Epoch`
/// is built from them *in* a scale, and read back *in* a scale.
public struct CalendarComponents: Sendable, Hashable, CustomStringConvertible {
    /// The year (proleptic Gregorian).
    public var year: Int
    /// The month, 1–12.
    public var month: Int
    /// The day of the month, 1–31.
    public var day: Int
    /// The hour, 0–23.
    public var hour: Int
    /// The minute, 0–59.
    public var minute: Int
    /// The second, 0–59, or 60 in a UTC leap second.
    public var second: Int
    /// Nanoseconds into the second, 0–999,999,999.
    public var nanosecond: Int

    /// Components from a calendar date and a time of day.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, nanosecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
    }

    /// Components from a year and a day of the year (1–366); a day beyond the year's end is not corrected here,
    /// `Epoch.init(_:in:)` rejects it.
    public init(year: Int, dayOfYear: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, nanosecond: Int = 0) {
        var month = 1
        var day = dayOfYear
        while month < 12 && day > CivilCalendar.daysInMonth(year: year, month: month) {
            day -= CivilCalendar.daysInMonth(year: year, month: month)
            month += 1
        }
        self.init(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanosecond: nanosecond)
    }

    /// The day of the year, 1–366.
    public var dayOfYear: Int { CivilCalendar.dayOfYear(year: year, month: month, day: day) }

    /// `YYYY-MM-DDThh:mm:ss.fffffffff` (all nine fraction digits; no scale suffix).
    public var description: String {
        ISO8601Text.format(self, fractionDigits: 9, dayOfYear: false, suffix: "")
    }
}
