/// Earth-orientation parameters (EOP) from the IERS, tabulated once a day at 0h UTC, interpolated linearly at
/// any instant: UT1−UTC, the excess length of day, polar motion (xp, yp) and the celestial pole offsets.
///
/// Load it from an IERS `finals2000A.all`/`.data`/`.daily` (`init(finalsFile:)`) or an EOP C04 series
/// (`init(c04File:)`). The table is a few arrays of `Double` indexed by MJD (one row per day, no search).
///
/// Interpolation is linear, as IERS Gazette 13 allows for this accuracy and as astropy and Vallado do; UT1−UTC
/// is interpolated across a leap second by removing the 1 s jump from the later row (so UT1 stays continuous).
/// Outside the table the nearest end row is held constant: check `covers(_:)` to warn about it.
public struct EarthOrientationData: Sendable {
    /// Which nutation model the table's celestial pole offsets refer to.
    public enum PoleOffsetModel: String, Sendable {
        /// dX, dY of the CIP w.r.t. IAU 2006/2000A precession-nutation (finals2000A, C04).
        case iau2000A
        /// dψ, dε w.r.t. IAU 1976 precession / IAU 1980 nutation (the older `finals.all`, `finals.data`).
        case iau1980
    }

    /// One day of the table, at 0h UTC.
    public struct Row: Sendable, Equatable {
        /// Modified Julian Date (UTC) of the row.
        public var modifiedJulianDate: Int
        /// UT1−UTC, seconds.
        public var ut1MinusUTCSeconds: Double
        /// Length of day minus 86,400 s, seconds.
        public var lengthOfDayExcessSeconds: Double
        /// Polar motion x, arcseconds.
        public var polarMotionXArcseconds: Double
        /// Polar motion y, arcseconds.
        public var polarMotionYArcseconds: Double
        /// dX (IAU 2000A) or dψ (IAU 1980), arcseconds (see `PoleOffsetModel`).
        public var poleOffset1Arcseconds: Double
        /// dY (IAU 2000A) or dε (IAU 1980), arcseconds.
        public var poleOffset2Arcseconds: Double

        /// A row.
        public init(
            modifiedJulianDate: Int, ut1MinusUTCSeconds: Double, lengthOfDayExcessSeconds: Double,
            polarMotionXArcseconds: Double, polarMotionYArcseconds: Double, poleOffset1Arcseconds: Double = 0,
            poleOffset2Arcseconds: Double = 0
        ) {
            self.modifiedJulianDate = modifiedJulianDate
            self.ut1MinusUTCSeconds = ut1MinusUTCSeconds
            self.lengthOfDayExcessSeconds = lengthOfDayExcessSeconds
            self.polarMotionXArcseconds = polarMotionXArcseconds
            self.polarMotionYArcseconds = polarMotionYArcseconds
            self.poleOffset1Arcseconds = poleOffset1Arcseconds
            self.poleOffset2Arcseconds = poleOffset2Arcseconds
        }
    }

    /// The values at one instant.
    public struct Parameters: Sendable, Equatable {
        /// UT1−UTC, seconds (on the UTC day of the instant: during a leap second, before the jump).
        public var ut1MinusUTCSeconds: Double
        /// Length of day minus 86,400 s, seconds.
        public var lengthOfDayExcessSeconds: Double
        /// Polar motion x, arcseconds.
        public var polarMotionXArcseconds: Double
        /// Polar motion y, arcseconds.
        public var polarMotionYArcseconds: Double
        /// dX or dψ, arcseconds, per `poleOffsetModel`.
        public var poleOffset1Arcseconds: Double
        /// dY or dε, arcseconds, per `poleOffsetModel`.
        public var poleOffset2Arcseconds: Double
    }

    /// The model of the pole offsets in the table.
    public let poleOffsetModel: PoleOffsetModel
    /// The leap seconds used to place instants on UTC days.
    public let leapSeconds: LeapSecondTable
    /// MJD of the first row; row `i` is day `firstModifiedJulianDate + i`.
    public let firstModifiedJulianDate: Int
    let ut1MinusUTC: [Double]
    let lengthOfDayExcess: [Double]
    let polarMotionX: [Double]
    let polarMotionY: [Double]
    let poleOffset1: [Double]
    let poleOffset2: [Double]

    /// A table from consecutive daily rows (throws `TimeError.invalidComponents` when empty or not daily).
    public init(
        rows: [Row], poleOffsetModel: PoleOffsetModel = .iau2000A, leapSeconds: LeapSecondTable = .builtIn
    ) throws {
        guard let first = rows.first else { throw TimeError.invalidComponents("an EOP table needs at least one row") }
        for (offset, row) in rows.enumerated() where row.modifiedJulianDate != first.modifiedJulianDate + offset {
            throw TimeError.invalidComponents("EOP rows must be consecutive days: MJD \(row.modifiedJulianDate)")
        }
        self.poleOffsetModel = poleOffsetModel
        self.leapSeconds = leapSeconds
        firstModifiedJulianDate = first.modifiedJulianDate
        ut1MinusUTC = rows.map(\.ut1MinusUTCSeconds)
        lengthOfDayExcess = rows.map(\.lengthOfDayExcessSeconds)
        polarMotionX = rows.map(\.polarMotionXArcseconds)
        polarMotionY = rows.map(\.polarMotionYArcseconds)
        poleOffset1 = rows.map(\.poleOffset1Arcseconds)
        poleOffset2 = rows.map(\.poleOffset2Arcseconds)
    }

    /// The number of daily rows.
    public var count: Int { ut1MinusUTC.count }
    /// MJD of the last row.
    public var lastModifiedJulianDate: Int { firstModifiedJulianDate + count - 1 }

    /// Row `index` of the table.
    public func row(_ index: Int) -> Row {
        Row(
            modifiedJulianDate: firstModifiedJulianDate + index, ut1MinusUTCSeconds: ut1MinusUTC[index],
            lengthOfDayExcessSeconds: lengthOfDayExcess[index], polarMotionXArcseconds: polarMotionX[index],
            polarMotionYArcseconds: polarMotionY[index], poleOffset1Arcseconds: poleOffset1[index],
            poleOffset2Arcseconds: poleOffset2[index])
    }

    /// Whether the instant lies between the first and the last row (no clamping needed).
    public func covers(_ epoch: Epoch) -> Bool {
        let (day, fraction) = utcDayAndFraction(epoch)
        let index = day + CivilCalendar.mjdAt2000 - firstModifiedJulianDate
        return index >= 0 && (index < count - 1 || (index == count - 1 && fraction == 0))
    }

    /// The parameters at an instant, interpolated linearly in UTC between the rows around it.
    public func parameters(at epoch: Epoch) -> Parameters {
        let (day, fraction) = utcDayAndFraction(epoch)
        let (i, f) = position(utcDay: day, fraction: fraction)
        return Parameters(
            ut1MinusUTCSeconds: ut1MinusUTCSeconds(index: i, fraction: f),
            lengthOfDayExcessSeconds: EarthOrientationData.linear(lengthOfDayExcess, i, f),
            polarMotionXArcseconds: EarthOrientationData.linear(polarMotionX, i, f),
            polarMotionYArcseconds: EarthOrientationData.linear(polarMotionY, i, f),
            poleOffset1Arcseconds: EarthOrientationData.linear(poleOffset1, i, f),
            poleOffset2Arcseconds: EarthOrientationData.linear(poleOffset2, i, f))
    }

    /// UT1−UTC at an instant, seconds.
    public func ut1MinusUTCSeconds(at epoch: Epoch) -> Double {
        let (day, fraction) = utcDayAndFraction(epoch)
        return ut1MinusUTCSeconds(utcDay: day, fraction: fraction)
    }

    /// UT1−UTC on UTC day `utcDay` (days since 2000-01-01) at `fraction` of that day.
    func ut1MinusUTCSeconds(utcDay: Int, fraction: Double) -> Double {
        let (i, f) = position(utcDay: utcDay, fraction: fraction)
        return ut1MinusUTCSeconds(index: i, fraction: f)
    }

    /// Linear interpolation of UT1−UTC, without the leap-second jump between the two rows: the later row is
    /// brought to the earlier row's UTC by removing the whole-second difference (astropy `IERS._interpolate`
    /// does the same).
    private func ut1MinusUTCSeconds(index i: Int, fraction f: Double) -> Double {
        let v0 = ut1MinusUTC[i]
        guard f > 0 else { return v0 }
        var step = ut1MinusUTC[i + 1] - v0
        step -= step.rounded()
        return v0 + f * step
    }

    /// The UTC day number and fraction of day of an instant (leap-second days are 86,401 s long).
    func utcDayAndFraction(_ epoch: Epoch) -> (day: Int, fraction: Double) {
        epoch.dayAndFraction(in: .utc, leapSeconds: leapSeconds, eop: nil)
    }

    /// Row index and weight of the next row; clamped to the table (weight 0 at the ends).
    @inline(__always)
    func position(utcDay: Int, fraction: Double) -> (index: Int, fraction: Double) {
        let index = utcDay + CivilCalendar.mjdAt2000 - firstModifiedJulianDate
        if index < 0 { return (0, 0) }
        if index >= count - 1 { return (count - 1, 0) }
        return (index, fraction)
    }

    @inline(__always)
    static func linear(_ values: [Double], _ i: Int, _ f: Double) -> Double {
        f > 0 ? values[i] + f * (values[i + 1] - values[i]) : values[i]
    }
}
