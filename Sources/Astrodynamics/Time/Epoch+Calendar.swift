// Calendar components <-> instants. UTC days last 86,400 s plus the leap second (if any) at their end: day d
// starts at TAI (d·86 400 + ΔAT(d)) s, where ΔAT(d) is TAI−UTC on that day (leap-second table). A positive leap
// second is the second 23:59:60 of the day before ΔAT grows (IERS Bulletin C; ITU-R TF.460-6).
extension Epoch {
    /// The instant named by calendar components read in `scale`.
    ///
    /// Throws `TimeError.invalidComponents` for a field out of range (including second 60 outside a UTC
    /// leap second), `.utcBefore1972` for a UTC date before 1972-01-01, `.outOfRange` beyond ±290 years from
    /// 2000. `24:00:00` (with zero minutes, seconds and nanoseconds) names the start of the next day.
    /// `eop` gives UT1−UTC for `.ut1` (UT1 = UTC without it).
    public init(
        _ components: CalendarComponents, in scale: TimeScale, leapSeconds: LeapSecondTable = .builtIn,
        eop: EarthOrientationData? = nil
    ) throws {
        let c = components
        guard (1...12).contains(c.month) else { throw TimeError.invalidComponents("month \(c.month) is not 1–12") }
        guard (1...CivilCalendar.daysInMonth(year: c.year, month: c.month)).contains(c.day) else {
            throw TimeError.invalidComponents("\(c.year)-\(c.month) has no day \(c.day)")
        }
        let endOfDay = c.hour == 24 && c.minute == 0 && c.second == 0 && c.nanosecond == 0
        guard (0...23).contains(c.hour) || endOfDay else {
            throw TimeError.invalidComponents("hour \(c.hour) is not 0–23")
        }
        guard (0...59).contains(c.minute) else { throw TimeError.invalidComponents("minute \(c.minute) is not 0–59") }
        guard (0...60).contains(c.second) else { throw TimeError.invalidComponents("second \(c.second) is not 0–60") }
        guard (0..<1_000_000_000).contains(c.nanosecond) else {
            throw TimeError.invalidComponents("nanosecond \(c.nanosecond) is not 0–999999999")
        }
        let day = CivilCalendar.dayNumber(year: c.year, month: c.month, day: c.day)
        guard abs(day) <= Epoch.maximumDayNumber else {
            throw TimeError.outOfRange("year \(c.year) is more than 290 years from 2000")
        }
        let secondOfDay =
            (Int64(c.hour) * 3_600 + Int64(c.minute) * 60 + Int64(c.second)) * CivilCalendar.nanosecondsPerSecond
            + Int64(c.nanosecond)
        if scale == .utc {
            guard day >= leapSeconds.firstDay else { throw TimeError.utcBefore1972(c.description) }
            let offset = leapSeconds.offset(onDay: day)
            let length =
                CivilCalendar.nanosecondsPerDay
                + Int64(leapSeconds.offset(onDay: day + 1) - offset) * CivilCalendar.nanosecondsPerSecond
            guard c.second < 60 || (c.hour == 23 && c.minute == 59 && secondOfDay < length) else {
                throw TimeError.invalidComponents("\(c.description) UTC is not in a leap second")
            }
            guard secondOfDay < length || endOfDay else {
                throw TimeError.invalidComponents("\(c.description) UTC falls in a removed (negative) leap second")
            }
            let start =
                Int64(day) * CivilCalendar.nanosecondsPerDay + Int64(offset) * CivilCalendar.nanosecondsPerSecond
            // 24:00:00 is the next day's 00:00:00, whatever this day's length.
            let elapsed = endOfDay ? length : secondOfDay
            self.init(taiNanosecondsSinceJ2000: start + elapsed - Epoch.halfDayNanoseconds)
        } else {
            guard c.second < 60 else { throw TimeError.invalidComponents("second 60 exists only in UTC") }
            let reading = Int64(day) * CivilCalendar.nanosecondsPerDay + secondOfDay - Epoch.halfDayNanoseconds
            self = Epoch.fromReading(reading, in: scale, leapSeconds: leapSeconds, eop: eop)
        }
    }

    /// The calendar date and time of day of the instant read in `scale`.
    ///
    /// UTC instants before 1972 use TAI−UTC = 10 s (see `LeapSecondTable`). `eop` gives UT1−UTC for `.ut1`.
    public func components(
        in scale: TimeScale, leapSeconds: LeapSecondTable = .builtIn, eop: EarthOrientationData? = nil
    ) -> CalendarComponents {
        components(in: scale, roundedToNanoseconds: 1, leapSeconds: leapSeconds, eop: eop)
    }

    /// The components rounded (half up) to a multiple of `quantum` nanoseconds (a divisor of 10⁹), carrying into
    /// seconds, minutes, days and the leap second as the scale requires: what formatting with fewer than nine
    /// fraction digits shows.
    func components(
        in scale: TimeScale, roundedToNanoseconds quantum: Int64, leapSeconds: LeapSecondTable,
        eop: EarthOrientationData?
    ) -> CalendarComponents {
        func rounded(_ value: Int64) -> Int64 {
            quantum == 1 ? value : CivilCalendar.floorDivide(value + quantum / 2, quantum).quotient * quantum
        }
        if scale == .utc {
            // UTC seconds start on whole TAI seconds (TAI−UTC is a whole number of seconds), so rounding the TAI
            // count rounds the UTC reading, leap second included.
            let t = rounded(taiNanosecondsSinceJ2000) + Epoch.halfDayNanoseconds
            let day = leapSeconds.utcDay(containingTAIMidnightNanoseconds: t)
            return Epoch.civil(day: day.day, secondOfDayNanoseconds: t - day.start)
        }
        let reading = rounded(self.reading(in: scale, leapSeconds: leapSeconds, eop: eop)) + Epoch.halfDayNanoseconds
        let (day, secondOfDay) = CivilCalendar.floorDivide(reading, CivilCalendar.nanosecondsPerDay)
        return Epoch.civil(day: Int(day), secondOfDayNanoseconds: secondOfDay)
    }

    /// Components of a day number and a time of day (≥ 86,400 s only in a UTC leap second: 23:59:60…).
    static func civil(day: Int, secondOfDayNanoseconds: Int64) -> CalendarComponents {
        let date = CivilCalendar.date(dayNumber: day)
        let (seconds, nanosecond) = CivilCalendar.floorDivide(
            secondOfDayNanoseconds, CivilCalendar.nanosecondsPerSecond)
        if seconds >= 86_400 {
            return CalendarComponents(
                year: date.year, month: date.month, day: date.day, hour: 23, minute: 59,
                second: 60 + Int(seconds - 86_400), nanosecond: Int(nanosecond))
        }
        return CalendarComponents(
            year: date.year, month: date.month, day: date.day, hour: Int(seconds / 3_600),
            minute: Int(seconds % 3_600 / 60), second: Int(seconds % 60), nanosecond: Int(nanosecond))
    }

    /// The largest |day number| accepted: ±290 years of days, inside the ±292 years an Int64 of ns holds.
    static let maximumDayNumber = 105_900
}
