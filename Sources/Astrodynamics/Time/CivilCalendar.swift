/// Proleptic Gregorian calendar arithmetic on day numbers counted from 2000-01-01 (day 0).
///
/// H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" (`days_from_civil`, `civil_from_days`): exact
/// integer arithmetic, valid far beyond the ±292 years an `Epoch` spans.
enum CivilCalendar {
    /// Days from 1970-01-01 to 2000-01-01.
    static let unixDaysAt2000 = 10_957
    /// The Modified Julian Date of 2000-01-01 (JD 2451544.5).
    static let mjdAt2000 = 51_544
    /// Nanoseconds in a day of 86,400 s.
    static let nanosecondsPerDay: Int64 = 86_400_000_000_000
    /// Nanoseconds in a second.
    static let nanosecondsPerSecond: Int64 = 1_000_000_000

    /// Days since 2000-01-01 of a year, month (1–12) and day.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468 - unixDaysAt2000
    }

    /// Year, month and day of a day number.
    static func date(dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + unixDaysAt2000 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Whether `year` is a Gregorian leap year.
    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Days in a month of a year.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The day of the year (1–366) of a date.
    static func dayOfYear(year: Int, month: Int, day: Int) -> Int {
        dayNumber(year: year, month: month, day: day) - dayNumber(year: year, month: 1, day: 1) + 1
    }

    /// `a` divided by `b` rounded towards −∞, and the non-negative remainder (`b` > 0).
    @inline(__always)
    static func floorDivide(_ a: Int64, _ b: Int64) -> (quotient: Int64, remainder: Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }
}
