import CCSDS
import Foundation

extension SGP4Elements {
    /// The SGP4 elements of a two-line element set, converted exactly as python-sgp4 2.27's
    /// `Satrec.twoline2rv` converts the lines (Vallado's `twoline2rv`), so that the two agree to the last bit:
    ///
    /// - epoch: `epochJulianDay` is the Julian date of 0 h UTC of the epoch's day (a day 366 in a common year is
    ///   1 January of the next), `epochJulianDayFraction` the day fraction `0.DDDDDDDD` as written (python-sgp4's
    ///   `jdsatepoch`, `jdsatepochF`); `sgp4init` gets the epoch as `twoline2rv` computes it (see
    ///   `epochDaysSince1950`);
    /// - angles: degrees × π/180; mean motion: rev/day ÷ (1440 / 2π) → rad/min;
    /// - ṅ/2 ÷ (1440² / 2π) → rad/min², n̈/6 ÷ (1440³ / 2π) → rad/min³ (no factor 2 or 6 is applied, as in
    ///   python-sgp4's `ndot` and `nddot`);
    /// - B* and n̈/6 as the C code reads `±NNNNN±E`: the value 0.NNNNN times 10^E.
    public init(tle: TLE) {
        let xpdotp = 1440.0 / (2.0 * Double.pi)  // rev/day per rad/min
        let radiansPerDegree = Double.pi / 180.0
        let (day, fraction) = Self.julianDate(of: tle.epoch)
        let ndot = tle.meanMotionDotOver2RevolutionsPerDaySquared / (xpdotp * 1440.0)
        let nddot = Self.asReadByVallado(tle.meanMotionDdotOver6RevolutionsPerDayCubed) / (xpdotp * 1440.0 * 1440.0)
        self.init(
            catalogueNumber: tle.catalogueNumber, epochJulianDay: day, epochJulianDayFraction: fraction,
            bstarPerEarthRadius: Self.asReadByVallado(tle.bstarPerEarthRadius),
            meanMotionDotOver2RadiansPerMinuteSquared: ndot, meanMotionDdotOver6RadiansPerMinuteCubed: nddot,
            eccentricity: tle.eccentricity,
            argumentOfPerigeeRadians: tle.argumentOfPerigeeDegrees * radiansPerDegree,
            inclinationRadians: tle.inclinationDegrees * radiansPerDegree,
            rightAscensionOfAscendingNodeRadians: tle.rightAscensionOfAscendingNodeDegrees * radiansPerDegree,
            meanAnomalyRadians: tle.meanAnomalyDegrees * radiansPerDegree,
            meanMotionKozaiRadiansPerMinute: tle.meanMotionRevolutionsPerDay / xpdotp)
        twoLineEpoch = TwoLineEpoch(
            julianDay: day, julianDayFraction: fraction, daysSince1950: Self.twoLineEpochDaysSince1950(tle.epoch))
    }

    /// The two-part Julian date (UTC) of a TLE epoch: 0 h of the day, and the fraction of the day.
    ///
    /// The day is Vallado's `jday` for 1 January of the year plus the days elapsed, which is what `jday` gives for
    /// the month and day `days2mdhms` finds (also for day 366 of a common year); the fraction is the correctly
    /// rounded `0.DDDDDDDD` that python-sgp4 stores in `jdsatepochF`.
    static func julianDate(of epoch: TLEEpoch) -> (day: Double, fraction: Double) {
        let year = epoch.year
        // jday(year, 1, 1) = 367 y − ⌊7 y / 4⌋ + ⌊275 / 9⌋ + 1 + 1721013.5, for years 1957–2056.
        let januaryFirst = 367 * year - (7 * year) / 4 + 30 + 1 + 1_721_013
        let day = Double(januaryFirst + epoch.dayOfYear - 1) + 0.5
        return (day, Double(epoch.dayFractionHundredMillionths) / 100_000_000.0)
    }

    /// The epoch `twoline2rv` passes to `sgp4init`, days since 1949 December 31 0 h UTC: the epoch's day of year
    /// as the double `sscanf` reads (`DDD.DDDDDDDD`, correctly rounded), split by `days2mdhms` into month, day, hour,
    /// minute and seconds, joined again by `jday` into a day and a fraction, then `(jd + fraction) − 2433281.5`.
    static func twoLineEpochDaysSince1950(_ epoch: TLEEpoch) -> Double {
        let year = epoch.year
        let days = Double(epoch.dayOfYear * 100_000_000 + epoch.dayFractionHundredMillionths) / 100_000_000.0
        // days2mdhms (the leap rule is the reference's: every fourth year, right for 1957–2056).
        let dayOfYear = Int(days.rounded(.down))
        func length(_ month: Int) -> Int {
            switch month {
            case 2: year % 4 == 0 ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        }
        var month = 1
        var daysBefore = 0
        while dayOfYear > daysBefore + length(month), month < 12 {
            daysBefore += length(month)
            month += 1
        }
        let day = dayOfYear - daysBefore
        var temp = (days - Double(dayOfYear)) * 24.0
        let hour = temp.rounded(.down)
        temp = (temp - hour) * 60.0
        let minute = temp.rounded(.down)
        let second = (temp - minute) * 60.0
        // jday.
        let y = Double(year)
        let m = Double(month)
        var jd =
            367.0 * y - ((7 * (y + ((m + 9) / 12.0).rounded(.down))) * 0.25).rounded(.down)
            + (275 * m / 9.0).rounded(.down) + Double(day) + 1_721_013.5
        var fraction = (second + minute * 60.0 + hour * 3600.0) / 86400.0
        if abs(fraction) > 1.0 {
            let whole = fraction.rounded(.down)
            jd += whole
            fraction -= whole
        }
        return (jd + fraction) - 2_433_281.5
    }

    /// An exponential TLE field `±NNNNN±E` (held as the correctly rounded N × 10^(E−5)) as Vallado's C code
    /// computes it: `strtod("±.NNNNN") * pow(10, E)`, which can differ from the correctly rounded value in the last
    /// bit. The normalised mantissa (10000–99999) is recovered; zero stays zero.
    static func asReadByVallado(_ value: Double) -> Double {
        guard value != 0, value.isFinite else { return value }
        let magnitude = abs(value)
        var exponent = Int((log10(magnitude)).rounded(.down)) + 1
        var mantissa = (magnitude * pow(10.0, Double(5 - exponent))).rounded()
        if mantissa >= 100_000 {
            exponent += 1
            mantissa = (magnitude * pow(10.0, Double(5 - exponent))).rounded()
        } else if mantissa < 10_000 {
            exponent -= 1
            mantissa = (magnitude * pow(10.0, Double(5 - exponent))).rounded()
        }
        // Only when the field really was N × 10^(E−5), correctly rounded, as the TLE reader produces it.
        let power = exponent - 5
        let correctlyRounded = power >= 0 ? mantissa * pow(10.0, Double(power)) : mantissa / pow(10.0, Double(-power))
        guard correctlyRounded == magnitude, (-9...9).contains(exponent) else { return value }
        let read = (mantissa / 100_000.0) * pow(10.0, Double(exponent))
        return value < 0 ? -read : read
    }
}

extension SGP4Propagator {
    /// A propagator for a two-line element set: `SGP4Elements(tle:)`, then `init(elements:gravityModel:
    /// operationMode:)`. The defaults are python-sgp4's: WGS-72, improved mode.
    public init(
        tle: TLE, gravityModel: SGP4GravityModel = .wgs72, operationMode: SGP4OperationMode = .improved
    ) throws(SGP4Error) {
        try self.init(elements: SGP4Elements(tle: tle), gravityModel: gravityModel, operationMode: operationMode)
    }
}
