extension Epoch {
    /// The Julian date of the instant read in `scale`, in two parts: `day` is the Julian date of the preceding
    /// midnight (a whole number + 0.5, exact in a `Double`) and `fraction` the part of that day elapsed, in [0, 1).
    ///
    /// The split keeps the full resolution (about 10 µs per `Double` JD near 2000 becomes ~10 ps in the fraction)
    /// and is what SGP4 (`jdsatepoch`, `jdsatepochF`) and SOFA-style routines take. A UTC day with a leap second
    /// lasts 86,401 s, so its fraction advances more slowly that day (SOFA `iauDtf2d` convention) and the UTC
    /// Julian date never repeats. `eop` gives UT1−UTC for `.ut1`.
    public func julianDate(
        in scale: TimeScale, leapSeconds: LeapSecondTable = .builtIn, eop: EarthOrientationData? = nil
    ) -> (day: Double, fraction: Double) {
        let (dayNumber, fraction) = dayAndFraction(in: scale, leapSeconds: leapSeconds, eop: eop)
        return (Double(dayNumber) + 2_451_544.5, fraction)
    }

    /// The Modified Julian Date (JD − 2400000.5) in `scale`, as a whole day and a fraction in [0, 1).
    public func modifiedJulianDate(
        in scale: TimeScale, leapSeconds: LeapSecondTable = .builtIn, eop: EarthOrientationData? = nil
    ) -> (day: Int, fraction: Double) {
        let (dayNumber, fraction) = dayAndFraction(in: scale, leapSeconds: leapSeconds, eop: eop)
        return (dayNumber + CivilCalendar.mjdAt2000, fraction)
    }

    /// Days since 2000-01-01 in `scale` and the fraction of the day.
    func dayAndFraction(in scale: TimeScale, leapSeconds: LeapSecondTable, eop: EarthOrientationData?) -> (Int, Double)
    {
        if scale == .utc {
            let t = taiNanosecondsSinceJ2000 + Epoch.halfDayNanoseconds
            let day = leapSeconds.utcDay(containingTAIMidnightNanoseconds: t)
            return (day.day, Double(t - day.start) / Double(day.length))
        }
        let reading = self.reading(in: scale, leapSeconds: leapSeconds, eop: eop) + Epoch.halfDayNanoseconds
        let (day, ns) = CivilCalendar.floorDivide(reading, CivilCalendar.nanosecondsPerDay)
        return (Int(day), Double(ns) / Double(CivilCalendar.nanosecondsPerDay))
    }

    /// The instant whose Julian date in `scale` is `day + fraction` (any split), rounded to the nanosecond.
    /// Throws for a UTC date before 1972 or out of range.
    public init(
        julianDate day: Double, fraction: Double, in scale: TimeScale, leapSeconds: LeapSecondTable = .builtIn,
        eop: EarthOrientationData? = nil
    ) throws {
        // Re-split as (days since 2000-01-01 midnight, fraction in [0, 1)) without losing the fraction's bits.
        let midnightDays = day - 2_451_544.5
        let wholeA = midnightDays.rounded(.down)
        let sum = (midnightDays - wholeA) + fraction
        let wholeB = sum.rounded(.down)
        let dayNumber = wholeA + wholeB
        let dayFraction = sum - wholeB
        guard abs(dayNumber) <= Double(Epoch.maximumDayNumber) else {
            throw TimeError.outOfRange("Julian date \(day) + \(fraction)")
        }
        let dayIndex = Int(dayNumber)
        if scale == .utc {
            guard dayIndex >= leapSeconds.firstDay else { throw TimeError.utcBefore1972("JD \(day) + \(fraction)") }
            let length =
                CivilCalendar.nanosecondsPerDay
                + Int64(leapSeconds.offset(onDay: dayIndex + 1) - leapSeconds.offset(onDay: dayIndex))
                * CivilCalendar.nanosecondsPerSecond
            let start =
                Int64(dayIndex) * CivilCalendar.nanosecondsPerDay
                + Int64(leapSeconds.offset(onDay: dayIndex)) * CivilCalendar.nanosecondsPerSecond
            let elapsed = Int64((dayFraction * Double(length)).rounded())
            self.init(taiNanosecondsSinceJ2000: start + elapsed - Epoch.halfDayNanoseconds)
        } else {
            let elapsed = Int64((dayFraction * Double(CivilCalendar.nanosecondsPerDay)).rounded())
            let reading = Int64(dayIndex) * CivilCalendar.nanosecondsPerDay + elapsed - Epoch.halfDayNanoseconds
            self = Epoch.fromReading(reading, in: scale, leapSeconds: leapSeconds, eop: eop)
        }
    }
}
