import Foundation

/// Greenwich sidereal time and the equation of the equinoxes of the IAU 1976/1980 (FK5) system.
enum SiderealTime {
    /// Greenwich mean sidereal time, IAU 1982 (Aoki et al. 1982; Vallado 4th ed. §3.5.2), radians in
    /// [0, 2π), and its rate in radians per UT1 second. The UT1 date is given as whole days since J2000
    /// (JD 2451545.0 UT1) and the nanoseconds since that noon, so the time of day keeps full precision.
    static func greenwichMean1982(ut1DaysSinceJ2000 days: Int64, nanosecondsSinceNoon: Int64)
        -> (angle: Double, ratePerSecond: Double)
    {
        let secondsSinceNoon = Double(nanosecondsSinceNoon) * 1e-9
        let t = (Double(days) + secondsSinceNoon / 86_400) / 36_525
        // 24110.54841 s is GMST at 0h UT1: the polynomial is referred to noon, hence −43200 s.
        let polynomial = (24_110.54841 - 43_200) + (8_640_184.812866 + (0.093104 - 6.2e-6 * t) * t) * t
        var angle = ((polynomial + secondsSinceNoon) * Angle.secondOfTime).truncatingRemainder(dividingBy: Angle.twoPi)
        if angle < 0 { angle += Angle.twoPi }
        let rate =
            (1 + (8_640_184.812866 + (2 * 0.093104 - 3 * 6.2e-6 * t) * t) / (36_525 * 86_400)) * Angle.secondOfTime
        return (angle, rate)
    }

    /// The equation of the equinoxes (radians): Δψ·cos ε̄ + 0.00264″ sin Ω + 0.000063″ sin 2Ω (IAU 1994
    /// Resolution C7; IERS Conventions 1996 ch. 5; SOFA `iauEqeq94`). The two kinematic terms are applied at
    /// all dates, as SOFA does, although the IAU adopted them from 1997-02-27 on: they are a real effect (the
    /// 2.6 mas term is part of the IAU 2000 complementary terms), so the TEME → GCRF result is better with them
    /// before 1997 too. `node` is Ω, the Moon's node (IAU 1980 nutation argument).
    static func equationOfEquinoxes1982(nutationInLongitude dPsi: Double, meanObliquity: Double, node: Double) -> Double
    {
        dPsi * cos(meanObliquity) + (0.00264 * sin(node) + 0.000063 * sin(2 * node)) * Angle.arcsecond
    }
}
