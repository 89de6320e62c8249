import Foundation

/// The lunar or solar part of SDP4's third-body perturbations (Hoots & Roehrich 1980, Spacetrack Report #3, DEEP;
/// Vallado et al. 2006, AIAA 2006-6753, `dscom`/`dpper`): the long-period periodic coefficients, and the rates the
/// body adds to the secular drift of the elements.
///
/// `dscom` evaluates the same expressions twice, once for the Sun and once for the Moon, with different
/// orientation angles and strengths; here that is one initialiser called twice. Operation order follows the
/// reference.
struct SGP4ThirdBody: Sendable {
    // Long-period periodic coefficients (dscom's se2…sh3 for the Sun, ee2…xh3 for the Moon).
    /// Eccentricity, f₂ and f₃ terms.
    let e2, e3: Double
    /// Inclination, f₂ and f₃ terms.
    let i2, i3: Double
    /// Mean longitude, f₂, f₃ and sin f terms.
    let l2, l3, l4: Double
    /// Argument of perigee (ω, before the node correction), f₂, f₃ and sin f terms.
    let gh2, gh3, gh4: Double
    /// Node, f₂ and f₃ terms.
    let h2, h3: Double
    /// The body's mean anomaly at the element epoch (zmos, zmol), radians.
    let meanAnomalyAtEpochRadians: Double
    /// The body's mean motion (zns, znl), rad/min.
    let meanMotionRadiansPerMinute: Double
    /// The eccentricity of the body's apparent orbit (zes, zel).
    let orbitEccentricity: Double

    // Secular rates the body contributes (dsinit's ses…shs and the lunar counterparts), per minute.
    /// de/dt.
    let eccentricityRate: Double
    /// di/dt.
    let inclinationRate: Double
    /// dM/dt.
    let meanAnomalyRate: Double
    /// d(ω)/dt before the node correction (sghs, sghl).
    let perigeeRate: Double
    /// dΩ/dt × sin i (shs, shll before the division by sin i).
    let nodeRateTimesSinInclination: Double

    /// The coefficients for one body, given its orientation relative to the satellite's orbit (dscom's loop body
    /// and the matching part of dsinit).
    ///
    /// - Parameters: `cosG`/`sinG`, `cosI`/`sinI`, `cosH`/`sinH`: the body's argument of perigee, inclination and
    ///   node with respect to the satellite's node (zcosg…zsinh); `strength`: c1ss or c1l; `orbit`: the satellite's
    ///   epoch geometry.
    init(
        cosG: Double, sinG: Double, cosI: Double, sinI: Double, cosH: Double, sinH: Double, strength: Double,
        meanAnomalyAtEpochRadians: Double, meanMotionRadiansPerMinute: Double, orbitEccentricity: Double,
        orbit: SGP4DeepSpace.EpochGeometry
    ) {
        let cosim = orbit.cosInclination
        let sinim = orbit.sinInclination
        let cosomm = orbit.cosArgumentOfPerigee
        let sinomm = orbit.sinArgumentOfPerigee
        let emsq = orbit.eccentricitySquared
        let betasq = 1.0 - emsq

        let a1 = cosG * cosH + sinG * cosI * sinH
        let a3 = -sinG * cosH + cosG * cosI * sinH
        let a7 = -cosG * sinH + sinG * cosI * cosH
        let a8 = sinG * sinI
        let a9 = sinG * sinH + cosG * cosI * cosH
        let a10 = cosG * sinI
        let a2 = cosim * a7 + sinim * a8
        let a4 = cosim * a9 + sinim * a10
        let a5 = -sinim * a7 + cosim * a8
        let a6 = -sinim * a9 + cosim * a10

        let x1 = a1 * cosomm + a2 * sinomm
        let x2 = a3 * cosomm + a4 * sinomm
        let x3 = -a1 * sinomm + a2 * cosomm
        let x4 = -a3 * sinomm + a4 * cosomm
        let x5 = a5 * sinomm
        let x6 = a6 * sinomm
        let x7 = a5 * cosomm
        let x8 = a6 * cosomm

        let z31 = 12.0 * x1 * x1 - 3.0 * x3 * x3
        let z32 = 24.0 * x1 * x2 - 6.0 * x3 * x4
        let z33 = 12.0 * x2 * x2 - 3.0 * x4 * x4
        var z1 = 3.0 * (a1 * a1 + a2 * a2) + z31 * emsq
        var z2 = 6.0 * (a1 * a3 + a2 * a4) + z32 * emsq
        var z3 = 3.0 * (a3 * a3 + a4 * a4) + z33 * emsq
        let z11 = -6.0 * a1 * a5 + emsq * (-24.0 * x1 * x7 - 6.0 * x3 * x5)
        let z12 = -6.0 * (a1 * a6 + a3 * a5) + emsq * (-24.0 * (x2 * x7 + x1 * x8) - 6.0 * (x3 * x6 + x4 * x5))
        let z13 = -6.0 * a3 * a6 + emsq * (-24.0 * x2 * x8 - 6.0 * x4 * x6)
        let z21 = 6.0 * a2 * a5 + emsq * (24.0 * x1 * x5 - 6.0 * x3 * x7)
        let z22 = 6.0 * (a4 * a5 + a2 * a6) + emsq * (24.0 * (x2 * x5 + x1 * x6) - 6.0 * (x4 * x7 + x3 * x8))
        let z23 = 6.0 * a4 * a6 + emsq * (24.0 * x2 * x6 - 6.0 * x4 * x8)
        z1 = z1 + z1 + betasq * z31
        z2 = z2 + z2 + betasq * z32
        z3 = z3 + z3 + betasq * z33

        let s3 = strength * (1.0 / orbit.meanMotionRadiansPerMinute)
        let s2 = -0.5 * s3 / orbit.sqrtOneMinusEccentricitySquared
        let s4 = s3 * orbit.sqrtOneMinusEccentricitySquared
        let s1 = -15.0 * orbit.eccentricity * s4
        let s5 = x1 * x3 + x2 * x4
        let s6 = x2 * x3 + x1 * x4
        let s7 = x2 * x4 - x1 * x3

        let ze = orbitEccentricity
        e2 = 2.0 * s1 * s6
        e3 = 2.0 * s1 * s7
        i2 = 2.0 * s2 * z12
        i3 = 2.0 * s2 * (z13 - z11)
        l2 = -2.0 * s3 * z2
        l3 = -2.0 * s3 * (z3 - z1)
        l4 = -2.0 * s3 * (-21.0 - 9.0 * emsq) * ze
        gh2 = 2.0 * s4 * z32
        gh3 = 2.0 * s4 * (z33 - z31)
        gh4 = -18.0 * s4 * ze
        h2 = -2.0 * s2 * z22
        h3 = -2.0 * s2 * (z23 - z21)
        self.meanAnomalyAtEpochRadians = meanAnomalyAtEpochRadians
        self.meanMotionRadiansPerMinute = meanMotionRadiansPerMinute
        self.orbitEccentricity = orbitEccentricity

        let zn = meanMotionRadiansPerMinute
        eccentricityRate = s1 * zn * s5
        inclinationRate = s2 * zn * (z11 + z13)
        meanAnomalyRate = -zn * s3 * (z1 + z3 - 14.0 - 6.0 * emsq)
        perigeeRate = s4 * zn * (z31 + z33 - 6.0)
        nodeRateTimesSinInclination = -zn * s2 * (z21 + z23)
    }

    /// The body's long-period periodic perturbations `minutes` after epoch (dpper's ses…shs or sel…shll): of
    /// eccentricity, inclination, mean longitude, argument of perigee (before the node correction) and node
    /// (× sin i).
    @inline(__always)
    func periodics(minutesSinceEpoch minutes: Double) -> (e: Double, i: Double, l: Double, gh: Double, h: Double) {
        let zm = meanAnomalyAtEpochRadians + meanMotionRadiansPerMinute * minutes
        let zf = zm + 2.0 * orbitEccentricity * sin(zm)
        let (sinzf, coszf) = sinCos(zf)
        let f2 = 0.5 * sinzf * sinzf - 0.25
        let f3 = -0.5 * sinzf * coszf
        return (
            e2 * f2 + e3 * f3,
            i2 * f2 + i3 * f3,
            l2 * f2 + l3 * f3 + l4 * sinzf,
            gh2 * f2 + gh3 * f3 + gh4 * sinzf,
            h2 * f2 + h3 * f3
        )
    }
}
