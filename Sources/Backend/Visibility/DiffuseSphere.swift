import Foundation

/// The visual magnitude of a diffusely (Lambert) reflecting sphere: the object model of the magnitude limit.
///
/// m = m☉ − 2.5·log₁₀( p·(D/2)²·Φ(α) / (ρ²·r☉²) ), with p the geometric albedo, D the diameter, ρ the range to the
/// observer, r☉ the distance to the Sun in AU and Φ(α) = [sin α + (π − α)·cos α]/π the Lambert sphere's phase law
/// (Russell 1916, ApJ 43:173, eq. for a Lambert sphere; the same model as McCue, Williams & Morford 1971,
/// Planet. Space Sci. 19:851, "Optical characteristics of artificial satellites", and Hejduk 2011, AMOS,
/// "Specular and diffuse components in spherical satellite photometric modeling"). m☉ = −26.74 (V; Allen's
/// Astrophysical Quantities, 4th ed., §14.7).
public enum DiffuseSphere {
    /// The Sun's apparent visual magnitude at 1 AU.
    public static let sunMagnitude = -26.74

    /// Lambert's phase law Φ(α), 1 at full phase (α = 0), 0 at α = π.
    @inline(__always)
    public static func phaseFunction(phaseAngleRadians a: Double) -> Double {
        max((sin(a) + (Double.pi - a) * cos(a)) / Double.pi, 0)
    }

    /// The visual magnitude of a sphere of `diameterMetres` and geometric `albedo` at `rangeKilometres` from the
    /// observer, `sunDistanceKilometres` from the Sun, seen at phase angle `phaseAngleRadians` (Sun–object–observer).
    public static func visualMagnitude(
        diameterMetres: Double, albedo: Double, rangeKilometres: Double, sunDistanceKilometres: Double,
        phaseAngleRadians: Double
    ) -> Double {
        let radiusKilometres = diameterMetres / 2000
        let sunDistanceAU = sunDistanceKilometres / 149_597_870.7
        let flux =
            albedo * radiusKilometres * radiusKilometres * phaseFunction(phaseAngleRadians: phaseAngleRadians)
            / (rangeKilometres * rangeKilometres * sunDistanceAU * sunDistanceAU)
        return flux > 0 ? sunMagnitude - 2.5 * log10(flux) : .infinity
    }

    /// |dΦ/dα| / Φ at `a` (per radian): how fast the magnitude can change with the phase angle, 2.5/ln 10 times
    /// this. Increasing in α (it grows as 3/(π − α) near π).
    static func logarithmicPhaseSlope(phaseAngleRadians a: Double) -> Double {
        let phi = (sin(a) + (Double.pi - a) * cos(a))
        return phi > 1e-12 ? (Double.pi - a) * sin(a) / phi : .infinity
    }
}
