import Astrodynamics
import Foundation

/// The Sun's geocentric position from the truncated VSOP87 theory: 0.39″ at worst against JPL DE421 at 200 instants
/// over 2020–2030 (`SkyTests`; the issue asks for 0.01° = 36″), radius vector to 2·10⁻⁶.
///
/// Meeus, *Astronomical Algorithms* 2nd ed. (1998) ch. 25 "higher accuracy": the Earth's heliocentric L, B, R from
/// VSOP87D truncated to Appendix III's 195 terms (`Sun+VSOP87.swift`), turned geocentric (λ = L + 180°, β = −B),
/// the conversion to the FK5 system (eq. 32.3) and, for the apparent direction, annual aberration −20.4898″/R
/// (eq. 25.10). Nutation is not applied: the result, referred to the mean ecliptic and equinox of date, is rotated
/// to EME2000 (`EclipticCoordinates.eme2000Kilometres`), and the frame chain that takes it to TEME or ITRF carries
/// the nutation. The IERS frame bias between EME2000 and the GCRF (23 mas) is far below the theory's error.
public enum Sun {
    /// Which position: where the Sun is, or where it is seen.
    public enum Correction: Sendable, Hashable {
        /// The geometric position at the same instant (no light time, no aberration): what Earth-shadow
        /// geometry uses (and skyfield's `is_sunlit`).
        case geometric
        /// The apparent direction: the geometric one displaced by annual aberration (−20.4898″/R in longitude,
        /// Meeus eq. 25.10): what an observer's Sun elevation (twilight) uses.
        case apparent
    }

    /// The Sun's geocentric position in EME2000, km.
    public static func positionEME2000Kilometres(at epoch: Epoch, correction: Correction = .geometric) -> SIMD3<Double>
    {
        let t = SkyTime.ttCenturies(epoch)
        return eclipticOfDate(ttCenturies: t, correction: correction).eme2000Kilometres(ttCenturies: t)
    }

    /// The Sun's geocentric ecliptic coordinates referred to the mean ecliptic and equinox of date (FK5).
    static func eclipticOfDate(ttCenturies t: Double, correction: Correction) -> EclipticCoordinates {
        let tau = t / 10
        let l = series(earthLongitudeSeries, tau)
        let b = series(earthLatitudeSeries, tau)
        let radius = series(earthRadiusSeries, tau)
        var longitude = l * 180 / .pi + 180
        var latitude = -b * 180 / .pi
        // Meeus eq. 32.3: VSOP87's dynamical ecliptic and equinox to FK5.
        let lambdaPrime = (longitude - (1.397 + 0.000_31 * t) * t) * SkyTime.radiansPerDegree
        let beta = latitude * SkyTime.radiansPerDegree
        longitude += (-0.090_33 + 0.039_16 * (cos(lambdaPrime) + sin(lambdaPrime)) * tan(beta)) / 3600
        latitude += 0.039_16 * (cos(lambdaPrime) - sin(lambdaPrime)) / 3600
        if correction == .apparent { longitude -= 20.4898 / 3600 / radius }
        return EclipticCoordinates(
            longitudeDegrees: SkyTime.reduced(longitude), latitudeDegrees: latitude,
            distanceKilometres: radius * SkyTime.astronomicalUnitKilometres)
    }

    /// Σₖ τᵏ·Σ A·cos(B + C·τ), in radians or AU (the series' amplitudes are in 10⁻⁸ of those).
    private static func series(_ powers: [[VSOP87Term]], _ tau: Double) -> Double {
        var total = 0.0
        var power = 1.0
        for terms in powers {
            var sum = 0.0
            for term in terms { sum += term.amplitude * cos(term.phase + term.frequency * tau) }
            total += sum * power
            power *= tau
        }
        return total / 1e8
    }
}
