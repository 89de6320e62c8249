import Foundation

// Readings of an instant on the uniform scales (TAI, TT, GPS, TDB, UT1): nanoseconds since 2000-01-01T12:00:00
// *as shown by that scale's clock*. A reading is what calendar components, Julian dates and ISO text are made
// from; UTC, which has leap seconds, is handled day by day in Epoch+Calendar.swift.
extension Epoch {
    /// TT − TAI = 32.184 s exactly (IAU 1991 Resolution A4; IERS Conventions 2010 §10.1).
    static let ttMinusTAINanoseconds: Int64 = 32_184_000_000
    /// TAI − GPS = 19 s exactly (IS-GPS-200: GPS time was UTC at 1980-01-06, when TAI−UTC was 19 s).
    static let taiMinusGPSNanoseconds: Int64 = 19_000_000_000

    /// TDB − TT in seconds at `ttCenturiesSinceJ2000` Julian centuries of TT from J2000.
    ///
    /// USNO Circular 179 (Kaplan 2005) eq. 2.6, the leading terms of Fairhead & Bretagnon (1990): the 1.657 ms
    /// annual term and six smaller ones; accurate to about 10 µs over 1600–2200 for a geocentric clock. (TDB
    /// and TT differ by the same amount whichever of the two is used as the argument, to 10⁻¹² s.)
    public static func tdbMinusTTSeconds(ttCenturiesSinceJ2000 t: Double) -> Double {
        0.001_657 * sin(628.3076 * t + 6.2401)
            + 0.000_022 * sin(575.3385 * t + 4.2970)
            + 0.000_014 * sin(1256.6152 * t + 6.1969)
            + 0.000_005 * sin(606.9777 * t + 4.0212)
            + 0.000_005 * sin(52.9691 * t + 0.4444)
            + 0.000_002 * sin(21.3299 * t + 5.5431)
            + 0.000_010 * t * sin(628.3076 * t + 4.2490)
    }

    /// TT nanoseconds since 2000-01-01T12:00:00 TT (JD 2451545.0 TT).
    var ttNanosecondsSinceJ2000: Int64 { taiNanosecondsSinceJ2000 + Epoch.ttMinusTAINanoseconds }

    /// Julian centuries of TT since J2000 (the argument of precession, nutation and TDB).
    var ttCenturiesSinceJ2000: Double {
        Double(ttNanosecondsSinceJ2000) / (36_525 * Double(CivilCalendar.nanosecondsPerDay))
    }

    /// The reading of a uniform scale; `.utc` gives the count of 86,400-s days plus the time of day, which
    /// repeats the first second of the next day during a leap second.
    func reading(in scale: TimeScale, leapSeconds: LeapSecondTable, eop: EarthOrientationData?) -> Int64 {
        let t = taiNanosecondsSinceJ2000
        switch scale {
        case .tai: return t
        case .tt: return t + Epoch.ttMinusTAINanoseconds
        case .gps: return t - Epoch.taiMinusGPSNanoseconds
        case .tdb:
            let tt = t + Epoch.ttMinusTAINanoseconds
            return tt
                + Epoch.nanoseconds(fromSeconds: Epoch.tdbMinusTTSeconds(ttCenturiesSinceJ2000: ttCenturiesSinceJ2000))
        case .utc:
            let day = leapSeconds.utcDay(containingTAIMidnightNanoseconds: t + Epoch.halfDayNanoseconds)
            return Int64(day.day) * CivilCalendar.nanosecondsPerDay + (t + Epoch.halfDayNanoseconds - day.start)
                - Epoch.halfDayNanoseconds
        case .ut1:
            let day = leapSeconds.utcDay(containingTAIMidnightNanoseconds: t + Epoch.halfDayNanoseconds)
            let secondOfDay = t + Epoch.halfDayNanoseconds - day.start
            // UT1−UTC on this UTC day's side of a leap second, so that UT1 stays continuous (Epoch+UT1 notes).
            let dut1 =
                eop?.ut1MinusUTCSeconds(utcDay: day.day, fraction: Double(secondOfDay) / Double(day.length)) ?? 0
            return Int64(day.day) * CivilCalendar.nanosecondsPerDay + secondOfDay - Epoch.halfDayNanoseconds
                + Epoch.nanoseconds(fromSeconds: dut1)
        }
    }

    /// The instant whose reading in a uniform scale is `reading` (for TDB and UT1 to within a nanosecond:
    /// their offsets are rounded to whole nanoseconds, so a few readings have no exact instant).
    static func fromReading(
        _ reading: Int64, in scale: TimeScale, leapSeconds: LeapSecondTable, eop: EarthOrientationData?
    ) -> Epoch {
        switch scale {
        case .tai: return Epoch(taiNanosecondsSinceJ2000: reading)
        case .tt: return Epoch(taiNanosecondsSinceJ2000: reading - ttMinusTAINanoseconds)
        case .gps: return Epoch(taiNanosecondsSinceJ2000: reading + taiMinusGPSNanoseconds)
        case .tdb, .ut1, .utc:
            // Fixed-point iteration: the offset from TAI changes by < 1e-9 s/s (TDB) or is piecewise smooth
            // (UT1, UTC), so two or three steps land on the nanosecond.
            var guess = Epoch(taiNanosecondsSinceJ2000: reading + (scale == .tdb ? -ttMinusTAINanoseconds : 0))
            if scale != .tdb {
                let naiveDay = Int(
                    CivilCalendar.floorDivide(reading + halfDayNanoseconds, CivilCalendar.nanosecondsPerDay).quotient)
                guess = guess.adding(
                    nanoseconds: Int64(leapSeconds.offset(onDay: naiveDay)) * CivilCalendar.nanosecondsPerSecond)
            }
            for _ in 0..<6 {
                let error = reading - guess.reading(in: scale, leapSeconds: leapSeconds, eop: eop)
                if error == 0 { break }
                guess = guess.adding(nanoseconds: error)
            }
            return guess
        }
    }

    /// Twelve hours, the offset between the J2000 origin (noon) and the start of 2000-01-01.
    static let halfDayNanoseconds: Int64 = 43_200_000_000_000
}
