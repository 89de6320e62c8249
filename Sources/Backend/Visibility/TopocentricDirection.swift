import Foundation

/// Where a sensor must point: azimuth (from north, through east), elevation above the geodetic horizon, and the
/// range to the object.
public struct TopocentricDirection: Sendable, Hashable {
    /// Azimuth, degrees in [0, 360), clockwise from north.
    public var azimuthDegrees: Double
    /// Elevation above the local geodetic horizon (WGS 84 normal), degrees; no refraction.
    public var elevationDegrees: Double
    /// Slant range, km.
    public var rangeKilometres: Double

    /// A direction from its fields.
    public init(azimuthDegrees: Double, elevationDegrees: Double, rangeKilometres: Double) {
        self.azimuthDegrees = azimuthDegrees
        self.elevationDegrees = elevationDegrees
        self.rangeKilometres = rangeKilometres
    }
}

/// A sensor's site in Earth-fixed (ITRF) coordinates with its local geodetic axes: the topocentric geometry.
struct SiteGeometry: Sendable {
    /// The site, km, ITRF.
    let positionKilometres: SIMD3<Double>
    let east: SIMD3<Double>
    let north: SIMD3<Double>
    /// The geodetic up (ellipsoid normal).
    let up: SIMD3<Double>

    init(_ site: GeodeticSite) {
        positionKilometres = site.itrfPositionKilometres
        (east, north, up) = site.eastNorthUp
    }

    /// The direction to a point given in ITRF, km.
    func direction(to itrfKilometres: SIMD3<Double>) -> TopocentricDirection {
        let line = itrfKilometres - positionKilometres
        let range = (line * line).sum().squareRoot()
        let e = (line * east).sum()
        let n = (line * north).sum()
        let u = (line * up).sum()
        var azimuth = atan2(e, n) * 180 / .pi
        if azimuth < 0 { azimuth += 360 }
        return TopocentricDirection(
            azimuthDegrees: azimuth, elevationDegrees: asin(max(-1, min(1, u / range))) * 180 / .pi,
            rangeKilometres: range)
    }

    /// g = d·û − |d|·sin(limit), km, for the line of sight d from the site to `itrfKilometres`: positive exactly
    /// when the elevation exceeds the limit whose sine is given. It is 1 + sin(limit) Lipschitz in the object's
    /// position (the bound the pass finder's steps rest on).
    @inline(__always)
    func elevationMarginKilometres(to itrfKilometres: SIMD3<Double>, sineOfLimit: Double) -> (
        margin: Double, range: Double
    ) {
        let line = itrfKilometres - positionKilometres
        let range = (line * line).sum().squareRoot()
        return ((line * up).sum() - range * sineOfLimit, range)
    }

    /// The rate of change of the elevation's sine for an object at `p` moving at `w` (both ITRF; its sign is that
    /// of the elevation's rate) and, for Newton's method, its own rate with the acceleration approximated by
    /// two-body gravity plus the Coriolis and centrifugal terms of the rotating frame.
    @inline(__always)
    func elevationSineRate(position p: SIMD3<Double>, velocity w: SIMD3<Double>, earthRate: Double) -> (
        value: Double, derivative: Double
    ) {
        let d = p - positionKilometres
        let r2 = (d * d).sum()
        let rho = r2.squareRoot()
        let p2 = (p * p).sum()
        let gravity = -MotionBounds.mu / (p2 * p2.squareRoot()) * p
        let coriolis = -2 * earthRate * SIMD3(-w.y, w.x, 0)
        let centrifugal = earthRate * earthRate * SIMD3(p.x, p.y, 0)
        let a = gravity + coriolis + centrifugal
        let s = (d * up).sum()
        let sDot = (w * up).sum()
        let sDDot = (a * up).sum()
        let rhoDot = (d * w).sum() / rho
        let rhoDDot = ((w * w).sum() + (d * a).sum()) / rho - rhoDot * rhoDot / rho
        let value = sDot / rho - s * rhoDot / r2
        let derivative =
            sDDot / rho - 2 * sDot * rhoDot / r2 - s * rhoDDot / r2 + 2 * s * rhoDot * rhoDot / (r2 * rho)
        return (value, derivative)
    }
}
