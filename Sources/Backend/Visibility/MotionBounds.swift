import Astrodynamics
import Foundation

/// Bounds on how fast an object can move, from its mean elements, for the whole search window: the constants
/// the pass finder's step sizes are proved with.
///
/// From the Kozai mean motion n and eccentricity e: a = (μ/n²)^⅓, perigee and apogee radii a(1 ∓ e), the largest
/// inertial speed at perigee by vis-viva. SGP4's osculating values depart from the mean ones by J2 short-period
/// terms (≲ 20 km in radius) and drag; the radii are widened by 50 km and the speed by 2 % + 50 m/s.
struct MotionBounds: Sendable {
    /// μ (WGS 72, as SGP4), km³/s².
    static let mu = 398_600.8
    /// The Earth's rotation rate, rad/s (IERS value of ω).
    static let earthRate = 7.292_115e-5

    /// The smallest geocentric distance, km.
    let perigeeRadius: Double
    /// The largest geocentric distance, km.
    let apogeeRadius: Double
    /// The largest inertial speed, km/s.
    let inertialSpeed: Double
    /// The largest speed relative to the rotating Earth (ITRF): inertial speed + ω·r_apogee, km/s.
    let earthFixedSpeed: Double
    /// The largest acceleration relative to the rotating Earth: gravity (J2 included by 1 %) + Coriolis +
    /// centrifugal, km/s².
    let earthFixedAcceleration: Double
    /// The orbital period, minutes.
    let periodMinutes: Double

    init(elements: SGP4Elements) {
        let n = elements.meanMotionKozaiRadiansPerMinute / 60
        let a = pow(Self.mu / (n * n), 1.0 / 3.0)
        let e = min(max(elements.eccentricity, 0), 0.99)
        perigeeRadius = max(a * (1 - e) - 50, 6378)
        apogeeRadius = a * (1 + e) + 50
        let vp = (Self.mu * (2 / perigeeRadius - 1 / (a + 50))).squareRoot()
        inertialSpeed = vp * 1.02 + 0.05
        earthFixedSpeed = inertialSpeed + Self.earthRate * apogeeRadius
        earthFixedAcceleration =
            1.01 * Self.mu / (perigeeRadius * perigeeRadius) + 2 * Self.earthRate * earthFixedSpeed
            + Self.earthRate * Self.earthRate * apogeeRadius
        periodMinutes = 2 * .pi / elements.meanMotionKozaiRadiansPerMinute
    }

    /// The shortest time an object can stay above an elevation limit during a pass whose highest elevation is
    /// at least `excessDegrees` above it, seconds: the pass finder's finest step.
    ///
    /// Near the top of a pass g (`SiteGeometry.elevationMarginKilometres`) is at its maximum g* and
    /// |g̈| ≤ (1 + k)·|a| + k·|w|²/ρ (k = sin limit, a and w the Earth-fixed acceleration and velocity, ρ the
    /// range), so g stays positive for at least 2·√(2g*/|g̈|max). At elevation limit + δ, g* ≥ ρ·(sin(limit + δ) −
    /// sin limit), with ρ at least the slant range to the perigee sphere at elevation limit + 1°.
    func shortestPassSeconds(
        siteRadiusKilometres siteRadius: Double, limitDegrees: Double, excessDegrees: Double
    ) -> Double {
        let k = sin(limitDegrees * .pi / 180)
        let elevation = (limitDegrees + 1) * .pi / 180
        let r = max(perigeeRadius, siteRadius + 50)
        let projection = siteRadius * sin(elevation)
        let rangeLow =
            0.9 * (-projection + (projection * projection + r * r - siteRadius * siteRadius).squareRoot())
        let gStar = rangeLow * (sin((limitDegrees + excessDegrees) * .pi / 180) - k)
        let curvature =
            (1 + k) * earthFixedAcceleration + k * earthFixedSpeed * earthFixedSpeed / rangeLow
        return 2 * (2 * gStar / curvature).squareRoot()
    }
}
