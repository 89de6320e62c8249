import Foundation

/// The Earth's shadow: a spherical Earth of radius 6378.1366 km (IERS 2010 conventional value) hiding the centre
/// of the Sun, whose position is the geometric one at the same instant.
///
/// An object is sunlit unless the segment from it toward the Sun's centre passes through the sphere. This is the
/// conical shadow of a point Sun at its true distance — between the umbra and the penumbra (the Sun half hidden)
/// — and it is exactly skyfield's `is_sunlit` convention (`positionlib.ICRF.is_sunlit`: the line to the Sun's
/// centre against a sphere of `ERAD`), which the oracle compares with.
public enum EarthShadow {
    /// The sphere's radius, km.
    public static let earthRadiusKilometres = 6378.1366

    /// Whether an object at `object` (geocentric, km) sees the centre of a Sun at `sun` (same frame).
    public static func isSunlit(objectKilometres object: SIMD3<Double>, sunKilometres sun: SIMD3<Double>) -> Bool {
        marginKilometres(objectKilometres: object, sunKilometres: sun) > 0
    }

    /// The distance from the Earth's centre to the ray from the object toward the Sun, minus the radius, km:
    /// positive when sunlit. Continuous, and 1-Lipschitz in the object's position up to the Sun direction's
    /// change (the ray's closest point is the object itself when the Sun is not behind the Earth).
    @inline(__always)
    public static func marginKilometres(objectKilometres p: SIMD3<Double>, sunKilometres sun: SIMD3<Double>) -> Double {
        let toSun = sun - p
        let s = toSun / (toSun * toSun).sum().squareRoot()
        let along = (p * s).sum()
        let p2 = (p * p).sum()
        // along ≥ 0: the Sun is on the far side of the object from the Earth's centre; the ray moves away.
        let distance = along >= 0 ? p2.squareRoot() : max(p2 - along * along, 0).squareRoot()
        return distance - earthRadiusKilometres
    }
}
