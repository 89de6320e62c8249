import Foundation

/// The IAU 1976 precession / IAU 1980 nutation ("FK5") reduction at one date: the chain
/// TEME → TOD → MOD → mean J2000 of Vallado 4th ed. §3.7.3 and Vallado et al. 2006 (AIAA 2006-6753, `teme2eci`).
///
/// The chain's nutation can take corrections dψ, dε — the IERS "celestial pole offsets" w.r.t. IAU 1980 — that
/// move its pole onto the observed celestial pole in the GCRS; with them the chain's output is the GCRF (to
/// ~0.1 mas: IERS Conventions 2003 ch. 5; Vallado 4th ed. Example 3-14 agrees with the IAU 2006 CIO chain to mm).
struct FK5PrecessionNutation {
    /// Julian centuries of TT since J2000.
    let t: Double
    /// P: mean J2000 → mean of date.
    let precession: Matrix3
    /// ε̄, IAU 1980.
    let meanObliquity: Double
    /// Δψ, Δε of the IAU 1980 series, radians.
    let dPsi: Double
    let dEps: Double
    /// Ω, the Moon's node (for the equation of the equinoxes).
    let node: Double

    /// The model at `t` Julian centuries of TT since J2000.
    init(ttCenturies t: Double) {
        self.t = t
        precession = Precession.iau1976(ttCenturies: t)
        meanObliquity = Precession.meanObliquity1980(ttCenturies: t)
        let nutation = Nutation1980.angles(ttCenturies: t)
        dPsi = nutation.dPsi
        dEps = nutation.dEps
        node = nutation.node
    }

    /// N = R1(−ε)·R3(−Δψ)·R1(ε̄), mean of date → true of date, with Δψ, Δε corrected by `correction` (radians).
    func nutation(correction: (dPsi: Double, dEps: Double)) -> Matrix3 {
        Matrix3.rotationX(radians: -(meanObliquity + dEps + correction.dEps))
            * Matrix3.rotationZ(radians: -(dPsi + correction.dPsi)) * Matrix3.rotationX(radians: meanObliquity)
    }

    /// The matrix taking TEME vectors to the chain's J2000 frame (GCRF when `correction` places the pole):
    /// Pᵀ·Nᵀ·R3(−EqE). TEME → TOD turns by the equation of the equinoxes (with its kinematic terms, so that
    /// TEME = R3(−GMST)·PEF exactly as the ITRF path assumes; Vallado et al. 2006 use the geometric term only,
    /// a ≤ 2.7 mas difference).
    func temeToJ2000(correction: (dPsi: Double, dEps: Double)) -> Matrix3 {
        let equation = SiderealTime.equationOfEquinoxes1982(
            nutationInLongitude: dPsi + correction.dPsi, meanObliquity: meanObliquity, node: node)
        return precession.transposed * nutation(correction: correction).transposed
            * Matrix3.rotationZ(radians: -equation)
    }

    /// The pole of the chain in its J2000 frame (X, Y: the third row of N·P), with a correction.
    func pole(correction: (dPsi: Double, dEps: Double)) -> (x: Double, y: Double) {
        let row = CelestialPole.thirdRow(nutation(correction: correction), precession)
        return (row.x, row.y)
    }

    /// The dψ, dε (radians) that move the chain's pole onto the celestial pole at (x, y) in the GCRS.
    ///
    /// The pole's offset is turned into dψ, dε with the linear relation of IERS Conventions 2003 ch. 5:
    /// dX = dψ·sin ε + c·dε, dY = dε − c·dψ·sin ε, c = ψ_A·cos ε₀ − χ_A (second-order terms are below 1 µas for
    /// offsets of 0.2″).
    func correction(toPoleX x: Double, y: Double) -> (dPsi: Double, dEps: Double) {
        let model = pole(correction: (0, 0))
        let dX = x - model.x
        let dY = y - model.y
        let s = sin(meanObliquity)
        let c = Precession.poleOffsetCoupling1976(ttCenturies: t)
        return ((dX - c * dY) / (s * (1 + c * c)), (dY + c * dX) / (1 + c * c))
    }
}

/// The celestial intermediate pole (CIP) in the GCRS.
enum CelestialPole {
    /// X, Y of the CIP from IAU 2006 precession (Fukushima–Williams, frame bias included) and IAU 2000B nutation:
    /// the third row of R1(−ε_A − Δε)·R3(−ψ̄ − Δψ)·R1(φ̄)·R3(γ̄) (IERS Conventions 2010 eq. 5.40; SOFA
    /// `iauFw2xy`). Within 1 mas of IAU 2006/2000A; the EOP dX, dY are added to it.
    static func iau2006B(ttCenturies t: Double) -> (x: Double, y: Double) {
        let angles = Precession.fukushimaWilliams2006(ttCenturies: t)
        let nutation = Nutation2000B.angles(ttCenturies: t)
        let a =
            Matrix3.rotationX(radians: -(angles.eps + nutation.dEps))
            * Matrix3.rotationZ(radians: -(angles.psi + nutation.dPsi))
        let b = Matrix3.rotationX(radians: angles.phi) * Matrix3.rotationZ(radians: angles.gamma)
        let row = thirdRow(a, b)
        return (row.x, row.y)
    }

    /// The third row of a·b.
    @inline(__always)
    static func thirdRow(_ a: Matrix3, _ b: Matrix3) -> SIMD3<Double> {
        a.rows.2.x * b.rows.0 + a.rows.2.y * b.rows.1 + a.rows.2.z * b.rows.2
    }
}
