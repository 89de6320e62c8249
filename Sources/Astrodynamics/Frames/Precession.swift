import Foundation

/// Precession models and mean obliquities.
enum Precession {
    /// The IAU 1976 precession matrix from the mean equator and equinox of J2000 to those of date,
    /// P = R3(−z)·R2(θ)·R3(−ζ) (Lieske et al. 1977; Vallado 4th ed. §3.7.3), at `t` Julian
    /// centuries of TT since J2000.
    static func iau1976(ttCenturies t: Double) -> Matrix3 {
        let zeta = (2306.2181 + (0.30188 + 0.017998 * t) * t) * t * Angle.arcsecond
        let z = (2306.2181 + (1.09468 + 0.018203 * t) * t) * t * Angle.arcsecond
        let theta = (2004.3109 + (-0.42665 - 0.041833 * t) * t) * t * Angle.arcsecond
        return Matrix3.rotationZ(radians: -z) * Matrix3.rotationY(radians: theta) * Matrix3.rotationZ(radians: -zeta)
    }

    /// The IAU 1980 mean obliquity of the ecliptic, radians (Lieske et al. 1977).
    static func meanObliquity1980(ttCenturies t: Double) -> Double {
        (84381.448 + (-46.8150 + (-0.00059 + 0.001813 * t) * t) * t) * Angle.arcsecond
    }

    /// ψ_A·cos ε₀ − χ_A (radians) of IAU 1976 precession (Lieske et al. 1977): the rotation about the pole that
    /// couples celestial pole offsets dX, dY with dψ, dε (IERS Conventions 2003 ch. 5, relation between dX, dY and δψ, δε).
    static func poleOffsetCoupling1976(ttCenturies t: Double) -> Double {
        let psiA = (5038.7784 + (-1.07259 - 0.001147 * t) * t) * t
        let chiA = (10.5526 + (-2.38064 - 0.001125 * t) * t) * t
        return (psiA * cos(84381.448 * Angle.arcsecond) - chiA) * Angle.arcsecond
    }

    /// The IAU 2006 bias-precession Fukushima–Williams angles γ̄, φ̄, ψ̄ and the IAU 2006 mean obliquity ε_A,
    /// radians (Hilton et al. 2006; IERS Conventions 2010 eq. 5.40 and 5.39).
    static func fukushimaWilliams2006(ttCenturies t: Double) -> (gamma: Double, phi: Double, psi: Double, eps: Double) {
        let gamma =
            (-0.052928 + (10.556378 + (0.4932044 + (-0.00031238 + (-0.000002788 + 0.0000000260 * t) * t) * t) * t) * t)
        let phi =
            (84381.412819 + (-46.811016 + (0.0511268 + (0.00053289 + (-0.000000440 - 0.0000000176 * t) * t) * t) * t)
                * t)
        let psi =
            (-0.041775 + (5038.481484 + (1.5584175 + (-0.00018522 + (-0.000026452 - 0.0000000148 * t) * t) * t) * t) * t)
        let eps =
            (84381.406 + (-46.836769 + (-0.0001831 + (0.00200340 + (-0.000000576 - 0.0000000434 * t) * t) * t) * t) * t)
        return (gamma * Angle.arcsecond, phi * Angle.arcsecond, psi * Angle.arcsecond, eps * Angle.arcsecond)
    }

    /// The IERS 2003 frame bias matrix B, from the GCRS to the mean equator and equinox of J2000 (the dynamical
    /// "EME2000"): dψ_B = −41.775 mas, dε_B = −6.8192 mas, dα₀ = −14.6 mas, B = R1(−dε_B)·R2(dψ_B·sin ε₀)·R3(dα₀)
    /// (IERS Conventions 2003 §5.4.4; SOFA `iauBi00`/`iauBp00`).
    static let frameBias: Matrix3 = {
        let dPsi = -41.775 * Angle.milliarcsecond
        let dEps = -6.8192 * Angle.milliarcsecond
        let dRA = -14.6 * Angle.milliarcsecond
        let eps0 = 84381.448 * Angle.arcsecond
        return Matrix3.rotationX(radians: -dEps) * Matrix3.rotationY(radians: dPsi * sin(eps0))
            * Matrix3.rotationZ(radians: dRA)
    }()
}
