/// Changes of frame between TEME, GCRF, EME2000 and ITRF at an instant, with or without Earth-orientation data.
///
/// TEME is the hub (SGP4's output):
/// - **TEME → GCRF**: the IAU 1976/1980 FK5 reduction of Vallado 4th ed. §3.7.3 and Vallado et al. 2006
///   (AIAA 2006-6753, `teme2eci`): TEME → TOD by the equation of the equinoxes, TOD → MOD by the 106-term
///   IAU 1980 nutation, MOD → J2000 by IAU 1976 precession. The nutation carries the corrections dψ, dε that put
///   the chain's pole on the true celestial pole in the GCRS: from an IAU 1980 EOP file as given, otherwise
///   computed (`EarthOrientationData.nutationCorrectionsIAU1980`) from the IAU 2006/2000B pole plus the EOP dX, dY
///   — and from the model alone (dX = dY = 0) without EOP, which leaves ≤ 1 mas. The frame bias is thereby part
///   of the corrections: the output is the GCRF, not the FK5 J2000 frame.
/// - **TEME → EME2000**: see `EME2000Realization`; by default GCRF followed by the IERS 2003 frame bias matrix.
/// - **TEME → ITRF**: R3(GMST IAU-82 of UT1), then polar motion W = R1(−yp)·R2(−xp) (no s′, as Vallado et al. 2006
///   and astropy). The velocity includes Earth rotation, ω × r with ω = dGMST/dt·(1 − LOD/86400 s).
///   Without EOP, UT1 = UTC and xp = yp = 0: up to 0.9 s of Earth rotation, ~0.5 km in LEO and ~3 km in GEO.
///
/// Velocities between inertial frames are rotated only (precession–nutation rates, ~10⁻¹¹ rad/s, move a GEO
/// velocity by < 1 mm/s).
public struct FrameTransformer: Sendable {
    /// What "EME2000" (mean equator and equinox of J2000) means.
    public enum EME2000Realization: Sendable, Hashable {
        /// The dynamical mean J2000 frame of the IERS: GCRF rotated by the frame bias B (ξ₀ = −16.6 mas,
        /// η₀ = −6.8 mas, dα₀ = −14.6 mas; IERS Conventions 2003 §5.4.4). What Orekit and current STK call
        /// EME2000/J2000; consistent to ~1 mas with astropy/ERFA's `bp06` bias.
        case frameBias
        /// The FK5 chain without any EOP or model correction (Vallado's `teme2eci` with dψ = dε = 0): the IAU 1976
        /// and 1980 models' own J2000 frame. It differs from `frameBias` by the IAU 1976/1980 model errors, growing
        /// with the precession-rate error (~3 mas/yr): 17 mas in 1995, 30 mas in 2016, 36 mas in 2026 (1.3 m in
        /// LEO, 7.5 m in GEO).
        case iau1976Uncorrected
    }

    /// The Earth-orientation data, if any.
    public let eop: EarthOrientationData?
    /// The meaning of EME2000.
    public let eme2000Realization: EME2000Realization

    /// A transformer; `eop` nil means UT1 = UTC, no polar motion, LOD = 0 and model-only pole corrections.
    public init(eop: EarthOrientationData? = nil, eme2000: EME2000Realization = .frameBias) {
        self.eop = eop
        eme2000Realization = eme2000
    }

    /// The state, given in `from` at `epoch`, in `to`.
    public func transform(_ state: CartesianState, from: Frame, to: Frame, at epoch: Epoch) -> CartesianState {
        from == to ? state : rotation(from: from, to: to, at: epoch).apply(state)
    }

    /// The change of frame from `from` to `to` at `epoch`.
    public func rotation(from: Frame, to: Frame, at epoch: Epoch) -> FrameRotation {
        if from == to { return .identity }
        let toTarget = rotationFromTEME(to: to, at: epoch)
        if from == .teme { return toTarget }
        return rotationFromTEME(to: from, at: epoch).inverse.followed(by: toTarget)
    }

    /// TEME → `frame`.
    func rotationFromTEME(to frame: Frame, at epoch: Epoch) -> FrameRotation {
        switch frame {
        case .teme: .identity
        case .gcrf, .eme2000: FrameRotation(matrix: temeToInertial(frame, at: epoch))
        case .itrf: temeToITRF(at: epoch)
        }
    }

    /// The TEME → GCRF or EME2000 matrix.
    func temeToInertial(_ frame: Frame, at epoch: Epoch) -> Matrix3 {
        switch (frame, eme2000Realization) {
        case (.eme2000, .frameBias): return Precession.frameBias * temeToGCRF(at: epoch)
        case (.eme2000, .iau1976Uncorrected):
            let chain = FK5PrecessionNutation(ttCenturies: epoch.ttCenturiesSinceJ2000)
            return chain.temeToJ2000(correction: (0, 0))
        default: return temeToGCRF(at: epoch)
        }
    }

    /// The TEME → GCRF matrix: the FK5 chain with its pole corrected (type comment).
    func temeToGCRF(at epoch: Epoch) -> Matrix3 {
        let t = epoch.ttCenturiesSinceJ2000
        let chain = FK5PrecessionNutation(ttCenturies: t)
        let correction: (dPsi: Double, dEps: Double)
        if let eop, eop.poleOffsetModel == .iau1980 {
            let p = eop.parameters(at: epoch)
            correction = (p.poleOffset1Arcseconds * Angle.arcsecond, p.poleOffset2Arcseconds * Angle.arcsecond)
        } else {
            let p = eop?.parameters(at: epoch)
            let pole = CelestialPole.iau2006B(ttCenturies: t)
            correction = chain.correction(
                toPoleX: pole.x + (p?.poleOffset1Arcseconds ?? 0) * Angle.arcsecond,
                y: pole.y + (p?.poleOffset2Arcseconds ?? 0) * Angle.arcsecond)
        }
        return chain.temeToJ2000(correction: correction)
    }

    /// TEME → PEF (GMST) → ITRF (polar motion), with Earth's rotation for velocities.
    func temeToITRF(at epoch: Epoch) -> FrameRotation {
        let p = eop?.parameters(at: epoch)
        let leapSeconds = eop?.leapSeconds ?? .builtIn
        let ut1 = epoch.reading(in: .ut1, leapSeconds: leapSeconds, eop: eop)
        let (days, sinceNoon) = CivilCalendar.floorDivide(ut1, CivilCalendar.nanosecondsPerDay)
        let gmst = SiderealTime.greenwichMean1982(ut1DaysSinceJ2000: days, nanosecondsSinceNoon: sinceNoon)
        // UT1 seconds per SI second: 1 − LOD/86400 (Vallado 4th ed. §3.7.3, ω⊕ with LOD).
        let rate = gmst.ratePerSecond * (1 - (p?.lengthOfDayExcessSeconds ?? 0) / 86_400)
        let polarMotion =
            Matrix3.rotationX(radians: -(p?.polarMotionYArcseconds ?? 0) * Angle.arcsecond)
            * Matrix3.rotationY(radians: -(p?.polarMotionXArcseconds ?? 0) * Angle.arcsecond)
        return FrameRotation(
            matrix: polarMotion * Matrix3.rotationZ(radians: gmst.angle),
            angularVelocityRadiansPerSecond: polarMotion * SIMD3(0, 0, rate))
    }
}
