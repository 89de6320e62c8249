import Astrodynamics
import Foundation

/// A geocentric position in ecliptic coordinates referred to the mean ecliptic and equinox of date: what the
/// analytic Sun and Moon theories of Meeus (Astronomical Algorithms, 2nd ed., 1998) give.
struct EclipticCoordinates: Sendable, Equatable {
    /// Ecliptic longitude λ, degrees.
    var longitudeDegrees: Double
    /// Ecliptic latitude β, degrees.
    var latitudeDegrees: Double
    /// Distance from the Earth's centre, km.
    var distanceKilometres: Double

    /// The position in the mean equator and equinox of J2000 (EME2000), km: rotated from the ecliptic to the
    /// mean equator of date by the mean obliquity ε₀ (Meeus eq. 22.2, IAU 1980), then from the mean equator of
    /// date to J2000 by the transposed IAU 1976 precession (Meeus ch. 21, eqs. 21.2–21.4; Lieske et al. 1977).
    func eme2000Kilometres(ttCenturies t: Double) -> SIMD3<Double> {
        let lambda = longitudeDegrees * SkyTime.radiansPerDegree
        let beta = latitudeDegrees * SkyTime.radiansPerDegree
        let ecliptic = SIMD3(cos(beta) * cos(lambda), cos(beta) * sin(lambda), sin(beta)) * distanceKilometres
        let meanOfDate = Matrix3.rotationX(radians: -SkyTime.meanObliquityRadians(ttCenturies: t)) * ecliptic
        return SkyTime.precessionFromJ2000(ttCenturies: t).transposed * meanOfDate
    }
}

/// The time arguments and slowly varying angles the Sun and Moon theories share.
enum SkyTime {
    static let radiansPerDegree = Double.pi / 180
    static let radiansPerArcsecond = Double.pi / 648_000
    /// One astronomical unit, km (IAU 2012 Resolution B2).
    static let astronomicalUnitKilometres = 149_597_870.7

    /// Julian centuries of TT since J2000.0 (TDB − TT, < 2 ms, is negligible for these theories).
    static func ttCenturies(_ epoch: Epoch) -> Double {
        // TT = TAI + 32.184 s (IAU 1991 Resolution A4); Epoch counts TAI nanoseconds from 2000-01-01T12:00:00 TAI.
        Double(epoch.taiNanosecondsSinceJ2000 + 32_184_000_000) / (36_525 * 86_400e9)
    }

    /// The mean obliquity of the ecliptic ε₀ (Meeus eq. 22.2, the IAU 1980 value of Lieske et al. 1977), radians.
    static func meanObliquityRadians(ttCenturies t: Double) -> Double {
        (84_381.448 + (-46.8150 + (-0.00059 + 0.001813 * t) * t) * t) * radiansPerArcsecond
    }

    /// The IAU 1976 precession matrix from the mean equator and equinox of J2000 to those of date,
    /// P = R3(−z)·R2(θ)·R3(−ζ), with ζ, z, θ of Meeus eq. 21.3 (Lieske et al. 1977). (Astrodynamics keeps its own
    /// copy internal to its frame chain.)
    static func precessionFromJ2000(ttCenturies t: Double) -> Matrix3 {
        let zeta = (2306.2181 + (0.30188 + 0.017998 * t) * t) * t * radiansPerArcsecond
        let z = (2306.2181 + (1.09468 + 0.018203 * t) * t) * t * radiansPerArcsecond
        let theta = (2004.3109 + (-0.42665 - 0.041833 * t) * t) * t * radiansPerArcsecond
        return Matrix3.rotationZ(radians: -z) * Matrix3.rotationY(radians: theta) * Matrix3.rotationZ(radians: -zeta)
    }

    /// An angle in degrees reduced to [0, 360).
    static func reduced(_ degrees: Double) -> Double {
        let r = degrees.truncatingRemainder(dividingBy: 360)
        return r < 0 ? r + 360 : r
    }
}
