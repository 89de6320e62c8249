import Astrodynamics
import Foundation

/// The Moon's geocentric position from the truncated ELP-2000/82 theory of Meeus, *Astronomical Algorithms*
/// 2nd ed. (1998) ch. 47: the mean arguments L′, D, M, M′, F (eqs. 47.1–47.5), the 60 periodic terms of the
/// longitude and distance (table 47.A) and the 60 of the latitude (table 47.B), the eccentricity factor E
/// (eq. 47.6) and the additive terms of A₁, A₂, A₃. Meeus gives its accuracy as 10″ in longitude and 4″ in
/// latitude; against JPL DE421 at 200 instants over 2020–2030 the direction is within 8.3″ (0.0023°; the issue asks
/// for 0.1°) and the distance within 9.5 km (`SkyTests`).
///
/// The theory's coordinates are geometric, referred to the mean ecliptic and equinox of date; they are rotated
/// to EME2000 (`EclipticCoordinates.eme2000Kilometres`). Light time (1.3 s, ≤ 1.4 km of lunar motion) and
/// aberration (≤ 0.7″ for the Moon's direction) are below the theory's error and not applied.
public enum Moon {
    /// The Moon's geocentric position in EME2000, km.
    public static func positionEME2000Kilometres(at epoch: Epoch) -> SIMD3<Double> {
        let t = SkyTime.ttCenturies(epoch)
        return eclipticOfDate(ttCenturies: t).eme2000Kilometres(ttCenturies: t)
    }

    /// The Moon's geocentric ecliptic coordinates referred to the mean ecliptic and equinox of date.
    static func eclipticOfDate(ttCenturies t: Double) -> EclipticCoordinates {
        let d = SkyTime.radiansPerDegree
        // Meeus eqs. 47.1–47.5, degrees.
        let meanLongitude =
            218.316_4477 + (481_267.881_234_21 + (-0.001_5786 + (1 / 538_841 - t / 65_194_000) * t) * t) * t
        let elongation =
            297.850_1921 + (445_267.111_4034 + (-0.001_8819 + (1 / 545_868 - t / 113_065_000) * t) * t) * t
        let sunAnomaly = 357.529_1092 + (35_999.050_2909 + (-0.000_1536 + t / 24_490_000) * t) * t
        let moonAnomaly =
            134.963_3964 + (477_198.867_5055 + (0.008_7414 + (1 / 69_699 - t / 14_712_000) * t) * t) * t
        let latitudeArgument =
            93.272_0950 + (483_202.017_5233 + (-0.003_6539 + (-1 / 3_526_000 + t / 863_310_000) * t) * t) * t
        let a1 = (119.75 + 131.849 * t) * d
        let a2 = (53.09 + 479_264.290 * t) * d
        let a3 = (313.45 + 481_266.484 * t) * d
        // Meeus eq. 47.6: terms with the Sun's anomaly M are multiplied by E (|M coefficient| 1) or E² (2).
        let e = 1 - (0.002_516 + 0.000_0074 * t) * t
        let arguments = SIMD4(elongation, sunAnomaly, moonAnomaly, latitudeArgument) * d
        let lPrime = SkyTime.reduced(meanLongitude) * d
        let mPrime = arguments[2]
        let f = arguments[3]

        var sumL = 0.0
        var sumR = 0.0
        for term in longitudeDistanceTerms {
            let angle = (term.multipliers * arguments).sum()
            let factor = eccentricityFactor(term.multipliers[1], e)
            sumL += factor * term.longitude * sin(angle)
            sumR += factor * term.distance * cos(angle)
        }
        var sumB = 0.0
        for term in latitudeTerms {
            sumB +=
                eccentricityFactor(term.multipliers[1], e) * term.latitude * sin((term.multipliers * arguments).sum())
        }
        // Meeus ch. 47: additive terms (Venus: A₁; Jupiter: A₂; flattening of the Earth: L′ − F, L′).
        sumL += 3958 * sin(a1) + 1962 * sin(lPrime - f) + 318 * sin(a2)
        sumB +=
            -2235 * sin(lPrime) + 382 * sin(a3) + 175 * sin(a1 - f) + 175 * sin(a1 + f) + 127 * sin(lPrime - mPrime)
            - 115 * sin(lPrime + mPrime)
        return EclipticCoordinates(
            longitudeDegrees: SkyTime.reduced(meanLongitude + sumL / 1e6), latitudeDegrees: sumB / 1e6,
            distanceKilometres: 385_000.56 + sumR / 1000)
    }

    private static func eccentricityFactor(_ sunMultiplier: Double, _ e: Double) -> Double {
        switch abs(sunMultiplier) {
        case 1: e
        case 2: e * e
        default: 1
        }
    }
}

/// One term of Meeus table 47.A: multipliers of D, M, M′, F; Σl coefficient (10⁻⁶ degree, sine) and Σr
/// coefficient (10⁻³ km, cosine).
struct LunarLongitudeDistanceTerm {
    var multipliers: SIMD4<Double>
    var longitude: Double
    var distance: Double

    init(_ d: Double, _ m: Double, _ mPrime: Double, _ f: Double, _ longitude: Double, _ distance: Double) {
        multipliers = SIMD4(d, m, mPrime, f)
        self.longitude = longitude
        self.distance = distance
    }
}

/// One term of Meeus table 47.B: multipliers of D, M, M′, F and the Σb coefficient (10⁻⁶ degree, sine).
struct LunarLatitudeTerm {
    var multipliers: SIMD4<Double>
    var latitude: Double

    init(_ d: Double, _ m: Double, _ mPrime: Double, _ f: Double, _ latitude: Double) {
        multipliers = SIMD4(d, m, mPrime, f)
        self.latitude = latitude
    }
}
