/// The mean elements SGP4/SDP4 starts from: one element set in the units the propagator uses (radians, minutes,
/// Earth radii), with its epoch as a two-part Julian date.
///
/// The fields are those of Vallado's `sgp4init` (Vallado, Crawford, Hujsak & Kelso 2006, AIAA 2006-6753) and of
/// python-sgp4's `Satrec` (`satnum`, `jdsatepoch`, `jdsatepochF`, `bstar`, `ndot`, `nddot`, `ecco`, `argpo`,
/// `inclo`, `nodeo`, `mo`, `no_kozai`): a `TLE` converts to these with `init(tle:)` (`Products/`) exactly as
/// python-sgp4's `twoline2rv` does, so minutes since epoch and states agree with it.
///
/// The elements are mean elements in the SGP4 sense (Kozai mean motion, TEME frame of epoch): they are not
/// osculating elements and only make sense to SGP4.
///
/// Elements read from a TLE also remember the epoch `twoline2rv` initialises SGP4 with (see
/// `epochDaysSince1950`); it takes part in equality, since it can change a deep-space state in the last bits.
public struct SGP4Elements: Sendable, Equatable {
    /// The NORAD catalogue number (informational: SGP4 does not use it).
    public var catalogueNumber: Int
    /// The epoch's Julian date at 0 h UTC of its day (a whole number + 0.5), python-sgp4's `jdsatepoch`.
    public var epochJulianDay: Double
    /// The epoch's fraction of the day since 0 h UTC (0 ≤ f < 1), python-sgp4's `jdsatepochF`. Kept apart from
    /// `epochJulianDay` so that it carries full precision.
    public var epochJulianDayFraction: Double
    /// The SGP4 drag term B*, per Earth radius.
    public var bstarPerEarthRadius: Double
    /// Half the first time derivative of the mean motion (ṅ/2), rad/min²: the TLE field converted as
    /// python-sgp4 converts it into `ndot` (without the factor 2). SGP4 does not use it.
    public var meanMotionDotOver2RadiansPerMinuteSquared: Double
    /// A sixth of the second time derivative of the mean motion (n̈/6), rad/min³: python-sgp4's `nddot`. SGP4
    /// does not use it.
    public var meanMotionDdotOver6RadiansPerMinuteCubed: Double
    /// Eccentricity e, 0 ≤ e < 1.
    public var eccentricity: Double
    /// Argument of perigee ω, radians.
    public var argumentOfPerigeeRadians: Double
    /// Inclination i, radians (0–π).
    public var inclinationRadians: Double
    /// Right ascension of the ascending node Ω, radians.
    public var rightAscensionOfAscendingNodeRadians: Double
    /// Mean anomaly M, radians.
    public var meanAnomalyRadians: Double
    /// Mean motion n as distributed in TLEs (Kozai's definition), rad/min; SGP4 recovers Brouwer's from it.
    public var meanMotionKozaiRadiansPerMinute: Double

    /// Elements from their values (units as the labels say).
    public init(
        catalogueNumber: Int, epochJulianDay: Double, epochJulianDayFraction: Double, bstarPerEarthRadius: Double,
        meanMotionDotOver2RadiansPerMinuteSquared: Double = 0, meanMotionDdotOver6RadiansPerMinuteCubed: Double = 0,
        eccentricity: Double, argumentOfPerigeeRadians: Double, inclinationRadians: Double,
        rightAscensionOfAscendingNodeRadians: Double, meanAnomalyRadians: Double,
        meanMotionKozaiRadiansPerMinute: Double
    ) {
        self.catalogueNumber = catalogueNumber
        self.epochJulianDay = epochJulianDay
        self.epochJulianDayFraction = epochJulianDayFraction
        self.bstarPerEarthRadius = bstarPerEarthRadius
        self.meanMotionDotOver2RadiansPerMinuteSquared = meanMotionDotOver2RadiansPerMinuteSquared
        self.meanMotionDdotOver6RadiansPerMinuteCubed = meanMotionDdotOver6RadiansPerMinuteCubed
        self.eccentricity = eccentricity
        self.argumentOfPerigeeRadians = argumentOfPerigeeRadians
        self.inclinationRadians = inclinationRadians
        self.rightAscensionOfAscendingNodeRadians = rightAscensionOfAscendingNodeRadians
        self.meanAnomalyRadians = meanAnomalyRadians
        self.meanMotionKozaiRadiansPerMinute = meanMotionKozaiRadiansPerMinute
    }

    /// The epoch exactly as `twoline2rv` hands it to `sgp4init`, for elements read from a TLE, with the Julian
    /// date it belongs to (see `epochDaysSince1950`); nil otherwise.
    var twoLineEpoch: TwoLineEpoch?

    /// `twoline2rv`'s epoch: days since 1949 December 31 0 h UTC, from the day of year through `days2mdhms` and
    /// `jday`, for the two-part Julian date it was computed with.
    struct TwoLineEpoch: Sendable, Equatable {
        let julianDay: Double
        let julianDayFraction: Double
        let daysSince1950: Double
    }

    /// The epoch as days since 1949 December 31 0 h UTC, the time origin of `sgp4init` (it places the Sun, the
    /// Moon and Greenwich for the deep-space terms).
    ///
    /// `jdsatepoch + jdsatepochF − 2433281.5`, evaluated in that order, except for elements read from a TLE and
    /// not changed since: python-sgp4's `twoline2rv` initialises from the unrounded fraction of `days2mdhms` and
    /// `jday`, and stores the fraction rounded to the TLE's eight digits as `jdsatepochF`; the two can differ in
    /// the last bit, which moves a deep-space state by up to a few 0.1 mm over a week.
    var epochDaysSince1950: Double {
        if let twoLineEpoch, twoLineEpoch.julianDay == epochJulianDay,
            twoLineEpoch.julianDayFraction == epochJulianDayFraction
        {
            return twoLineEpoch.daysSince1950
        }
        return (epochJulianDay + epochJulianDayFraction) - 2_433_281.5
    }

    /// Minutes from the epoch to the Julian date `julianDay + fraction` (UTC), computed as python-sgp4's
    /// `Satrec.sgp4(jd, fr)` does: whole days and fractions apart, so that precision is kept.
    public func minutesSinceEpoch(julianDay: Double, fraction: Double) -> Double {
        (julianDay - epochJulianDay) * 1440.0 + (fraction - epochJulianDayFraction) * 1440.0
    }
}
