import CCSDS
import Foundation

extension DemoDataSet {
    /// The TLE epoch nearest to `date` (UTC; the day fraction rounded to 10⁻⁸ day).
    static func tleEpoch(_ date: Date) -> TLEEpoch {
        let (year, startOfYear) = yearStart(of: date)
        let ticks = Int((date.timeIntervalSince(startOfYear) / 86_400 * 1e8).rounded())
        var dayOfYear = ticks / 100_000_000 + 1
        var fraction = ticks % 100_000_000
        var twoDigitYear = year % 100
        if dayOfYear > daysInYear(year) {  // rounded up into the next year
            dayOfYear = 1
            fraction = 0
            twoDigitYear = (year + 1) % 100
        }
        let text =
            String(twoDigitYear).leftPadded(to: 2) + String(dayOfYear).leftPadded(to: 3) + "."
            + String(fraction).leftPadded(to: 8)
        // The text is built to the format's shape, which the initialiser accepts.
        return TLEEpoch(text: text)!
    }

    /// `date` as a CCSDS UTC epoch in whole seconds (the OMM's `CREATION_DATE`).
    static func ccsdsEpoch(_ date: Date) -> CCSDSEpoch {
        let parts = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return CCSDSEpoch(
            year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0,
            minute: parts.minute ?? 0, second: parts.second ?? 0)
    }

    /// The year of `date` (UTC) and the instant it began.
    static func yearStart(of date: Date) -> (year: Int, start: Date) {
        let year = utcCalendar.component(.year, from: date)
        let start = utcCalendar.date(from: DateComponents(year: year, month: 1, day: 1)) ?? date
        return (year, start)
    }

    /// 366 in Gregorian leap years, else 365.
    static func daysInYear(_ year: Int) -> Int {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 366 : 365
    }

    /// The Gregorian calendar in UTC.
    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        return calendar
    }()
}
