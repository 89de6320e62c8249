import Foundation

/// The deep-space (SDP4) part of the propagator, for orbits with periods of 225 minutes or more: lunar-solar
/// secular rates and long-period periodics, and the Earth resonance of 12-hour and 24-hour orbits (Hoots &
/// Roehrich 1980, Spacetrack Report #3, DEEP; Vallado, Crawford, Hujsak & Kelso 2006, AIAA 2006-6753: `dscom`,
/// `dsinit`, `dspace`, `dpper`).
///
/// Built once at initialisation; propagation only reads it. The resonance integrator's position is kept apart,
/// in an `SGP4ResonanceState` owned by the caller, so that the propagator stays an immutable value.
struct SGP4DeepSpace: Sendable {
    /// The satellite's epoch quantities that `dscom` works from.
    struct EpochGeometry {
        /// e.
        var eccentricity: Double
        /// e².
        var eccentricitySquared: Double
        /// √(1 − e²).
        var sqrtOneMinusEccentricitySquared: Double
        /// cos i, sin i.
        var cosInclination, sinInclination: Double
        /// cos ω, sin ω.
        var cosArgumentOfPerigee, sinArgumentOfPerigee: Double
        /// Brouwer mean motion, rad/min.
        var meanMotionRadiansPerMinute: Double
    }

    /// Which Earth-resonance terms apply (dsinit's irez).
    enum Resonance: UInt8, Sendable {
        /// No resonance (irez 0).
        case none
        /// One-day (geosynchronous) resonance: 1200 < period < 1800 min (irez 1).
        case synchronous
        /// Half-day resonance: 680 < period < 760 min and e ≥ 0.5, e.g. Molniya (irez 2).
        case halfDay
    }

    /// The Sun's and the Moon's coefficients.
    let sun: SGP4ThirdBody
    let moon: SGP4ThirdBody
    /// Lunar-solar secular rates of e, i, M, Ω and ω, per minute (dedt, didt, dmdt, dnodt, domdt).
    let eccentricityRate, inclinationRate, meanAnomalyRate, nodeRate, perigeeRate: Double
    /// The resonance in effect.
    let resonance: Resonance
    /// Greenwich sidereal time at epoch, radians (gsto).
    let siderealTimeAtEpochRadians: Double
    /// The resonance angle at epoch (xlamo) and its rate offset (xfact), rad and rad/min.
    let resonanceAngleAtEpochRadians, resonanceRateOffset: Double
    /// Synchronous resonance strengths (del1, del2, del3).
    let del1, del2, del3: Double
    /// Half-day resonance strengths (d2201 … d5433).
    let d2201, d2211, d3210, d3222, d4410, d4422, d5220, d5232, d5421, d5433: Double
    /// The resonance integrator at epoch: λ₀ (xlamo), n₀ and the rates there.
    private(set) var resonanceAtEpoch = SGP4ResonanceState.start

    /// Earth's rotation rate, rad/min (rptim; 7.29211514668855e-5 rad/s).
    static let earthRotationRadiansPerMinute = 4.37526908801129966e-3

    /// Deep-space terms at epoch (dscom followed by dsinit at t = 0).
    ///
    /// `dscom` also returns the lunar-solar periodics "at epoch" (peo, pinco, plo, pgho, pho), but sets them to
    /// zero, and the `dpper` call that `sgp4init` makes next changes nothing; both are left out here.
    init(
        epochDaysSince1950 epoch: Double, eccentricity ecco: Double, inclinationRadians inclo: Double,
        nodeRadians nodeo: Double, argumentOfPerigeeRadians argpo: Double, meanAnomalyRadians mo: Double,
        meanMotionRadiansPerMinute no: Double, meanAnomalyRate mdot: Double, nodeRate nodedot: Double,
        perigeeRate argpdot: Double, siderealTimeAtEpochRadians gsto: Double, xkePerMinute xke: Double
    ) {
        let twoPi = 2.0 * Double.pi
        // dscom, tc = 0.
        let snodm = sin(nodeo)
        let cnodm = cos(nodeo)
        let emsq = ecco * ecco
        let orbit = EpochGeometry(
            eccentricity: ecco, eccentricitySquared: emsq, sqrtOneMinusEccentricitySquared: (1.0 - emsq).squareRoot(),
            cosInclination: cos(inclo), sinInclination: sin(inclo), cosArgumentOfPerigee: cos(argpo),
            sinArgumentOfPerigee: sin(argpo), meanMotionRadiansPerMinute: no)
        let sinim = orbit.sinInclination
        let cosim = orbit.cosInclination

        // The Moon's orbit at epoch, referred to the satellite's node.
        let day = epoch + 18261.5
        let xnodce = (4.5236020 - 9.2422029e-4 * day).truncatingRemainder(dividingBy: twoPi)
        let stem = sin(xnodce)
        let ctem = cos(xnodce)
        let zcosil = 0.91375164 - 0.03568096 * ctem
        let zsinil = (1.0 - zcosil * zcosil).squareRoot()
        let zsinhl = 0.089683511 * stem / zsinil
        let zcoshl = (1.0 - zsinhl * zsinhl).squareRoot()
        let gam = 5.8351514 + 0.0019443680 * day
        var zx = 0.39785416 * stem / zsinil
        let zy = zcoshl * ctem + 0.91744867 * zsinhl * stem
        zx = atan2(zx, zy)
        zx = gam + zx - xnodce
        let zmol = (4.7199672 + 0.22997150 * day - gam).truncatingRemainder(dividingBy: twoPi)
        let zmos = (6.2565837 + 0.017201977 * day).truncatingRemainder(dividingBy: twoPi)

        // Sun: ecliptic obliquity and argument of perigee are constants of dscom.
        let sun = SGP4ThirdBody(
            cosG: 0.1945905, sinG: -0.98088458, cosI: 0.91744867, sinI: 0.39785416, cosH: cnodm, sinH: snodm,
            strength: 2.9864797e-6, meanAnomalyAtEpochRadians: zmos, meanMotionRadiansPerMinute: 1.19459e-5,
            orbitEccentricity: 0.01675, orbit: orbit)
        let moon = SGP4ThirdBody(
            cosG: cos(zx), sinG: sin(zx), cosI: zcosil, sinI: zsinil, cosH: zcoshl * cnodm + zsinhl * snodm,
            sinH: snodm * zcoshl - cnodm * zsinhl, strength: 4.7968065e-7, meanAnomalyAtEpochRadians: zmol,
            meanMotionRadiansPerMinute: 1.5835218e-4, orbitEccentricity: 0.05490, orbit: orbit)
        self.sun = sun
        self.moon = moon

        // dsinit: secular rates. Below 3° or above 177° the node terms are dropped (sgp4fix for 180° inclination).
        let nearEquatorial = inclo < 5.2359877e-2 || inclo > Double.pi - 5.2359877e-2
        var shs = nearEquatorial ? 0.0 : sun.nodeRateTimesSinInclination
        if sinim != 0.0 { shs = shs / sinim }
        let sgs = sun.perigeeRate - cosim * shs
        eccentricityRate = sun.eccentricityRate + moon.eccentricityRate
        inclinationRate = sun.inclinationRate + moon.inclinationRate
        meanAnomalyRate = sun.meanAnomalyRate + moon.meanAnomalyRate
        let shll = nearEquatorial ? 0.0 : moon.nodeRateTimesSinInclination
        var domdt = sgs + moon.perigeeRate
        var dnodt = shs
        if sinim != 0.0 {
            domdt = domdt - cosim / sinim * shll
            dnodt = dnodt + shll / sinim
        }
        perigeeRate = domdt
        nodeRate = dnodt
        siderealTimeAtEpochRadians = gsto

        // dsinit: resonance terms.
        let theta = gsto.truncatingRemainder(dividingBy: twoPi)
        if no < 0.0052359877 && no > 0.0034906585 {
            resonance = .synchronous
        } else if no >= 8.26e-3 && no <= 9.24e-3 && ecco >= 0.5 {
            resonance = .halfDay
        } else {
            resonance = .none
        }
        let rptim = Self.earthRotationRadiansPerMinute
        var del1 = 0.0
        var del2 = 0.0
        var del3 = 0.0
        var d = (
            d2201: 0.0, d2211: 0.0, d3210: 0.0, d3222: 0.0, d4410: 0.0, d4422: 0.0, d5220: 0.0, d5232: 0.0,
            d5421: 0.0, d5433: 0.0
        )
        var xlamo = 0.0
        var xfact = 0.0
        let aonv = resonance == .none ? 0.0 : pow(no / xke, 2.0 / 3.0)
        switch resonance {
        case .none:
            break
        case .halfDay:
            let em = ecco
            let eoc = em * emsq
            let cosisq = cosim * cosim
            let g201 = -0.306 - (em - 0.64) * 0.440
            let g211: Double
            let g310: Double
            let g322: Double
            let g410: Double
            let g422: Double
            let g520: Double
            if em <= 0.65 {
                g211 = 3.616 - 13.2470 * em + 16.2900 * emsq
                g310 = -19.302 + 117.3900 * em - 228.4190 * emsq + 156.5910 * eoc
                g322 = -18.9068 + 109.7927 * em - 214.6334 * emsq + 146.5816 * eoc
                g410 = -41.122 + 242.6940 * em - 471.0940 * emsq + 313.9530 * eoc
                g422 = -146.407 + 841.8800 * em - 1629.014 * emsq + 1083.4350 * eoc
                g520 = -532.114 + 3017.977 * em - 5740.032 * emsq + 3708.2760 * eoc
            } else {
                g211 = -72.099 + 331.819 * em - 508.738 * emsq + 266.724 * eoc
                g310 = -346.844 + 1582.851 * em - 2415.925 * emsq + 1246.113 * eoc
                g322 = -342.585 + 1554.908 * em - 2366.899 * emsq + 1215.972 * eoc
                g410 = -1052.797 + 4758.686 * em - 7193.992 * emsq + 3651.957 * eoc
                g422 = -3581.690 + 16178.110 * em - 24462.770 * emsq + 12422.520 * eoc
                if em > 0.715 {
                    g520 = -5149.66 + 29936.92 * em - 54087.36 * emsq + 31324.56 * eoc
                } else {
                    g520 = 1464.74 - 4664.75 * em + 3763.64 * emsq
                }
            }
            let g533: Double
            let g521: Double
            let g532: Double
            if em < 0.7 {
                g533 = -919.22770 + 4988.6100 * em - 9064.7700 * emsq + 5542.21 * eoc
                g521 = -822.71072 + 4568.6173 * em - 8491.4146 * emsq + 5337.524 * eoc
                g532 = -853.66600 + 4690.2500 * em - 8624.7700 * emsq + 5341.4 * eoc
            } else {
                g533 = -37995.780 + 161616.52 * em - 229838.20 * emsq + 109377.94 * eoc
                g521 = -51752.104 + 218913.95 * em - 309468.16 * emsq + 146349.42 * eoc
                g532 = -40023.880 + 170470.89 * em - 242699.48 * emsq + 115605.82 * eoc
            }
            let sini2 = sinim * sinim
            let f220 = 0.75 * (1.0 + 2.0 * cosim + cosisq)
            let f221 = 1.5 * sini2
            let f321 = 1.875 * sinim * (1.0 - 2.0 * cosim - 3.0 * cosisq)
            let f322 = -1.875 * sinim * (1.0 + 2.0 * cosim - 3.0 * cosisq)
            let f441 = 35.0 * sini2 * f220
            let f442 = 39.3750 * sini2 * sini2
            let f522 =
                9.84375 * sinim
                * (sini2 * (1.0 - 2.0 * cosim - 5.0 * cosisq) + 0.33333333 * (-2.0 + 4.0 * cosim + 6.0 * cosisq))
            let f523 =
                sinim
                * (4.92187512 * sini2 * (-2.0 - 4.0 * cosim + 10.0 * cosisq) + 6.56250012
                    * (1.0 + 2.0 * cosim - 3.0 * cosisq))
            let f542 = 29.53125 * sinim * (2.0 - 8.0 * cosim + cosisq * (-12.0 + 8.0 * cosim + 10.0 * cosisq))
            let f543 = 29.53125 * sinim * (-2.0 - 8.0 * cosim + cosisq * (12.0 + 8.0 * cosim - 10.0 * cosisq))
            // Resonance strengths: Hoots & Roehrich's root22 … root54 (Earth potential coefficients).
            let xno2 = no * no
            let ainv2 = aonv * aonv
            var temp1 = 3.0 * xno2 * ainv2
            var temp = temp1 * 1.7891679e-6
            d.d2201 = temp * f220 * g201
            d.d2211 = temp * f221 * g211
            temp1 = temp1 * aonv
            temp = temp1 * 3.7393792e-7
            d.d3210 = temp * f321 * g310
            d.d3222 = temp * f322 * g322
            temp1 = temp1 * aonv
            temp = 2.0 * temp1 * 7.3636953e-9
            d.d4410 = temp * f441 * g410
            d.d4422 = temp * f442 * g422
            temp1 = temp1 * aonv
            temp = temp1 * 1.1428639e-7
            d.d5220 = temp * f522 * g520
            d.d5232 = temp * f523 * g532
            temp = 2.0 * temp1 * 2.1765803e-9
            d.d5421 = temp * f542 * g521
            d.d5433 = temp * f543 * g533
            xlamo = (mo + nodeo + nodeo - theta - theta).truncatingRemainder(dividingBy: twoPi)
            xfact = mdot + meanAnomalyRate + 2.0 * (nodedot + nodeRate - rptim) - no
        case .synchronous:
            let g200 = 1.0 + emsq * (-2.5 + 0.8125 * emsq)
            let g310 = 1.0 + 2.0 * emsq
            let g300 = 1.0 + emsq * (-6.0 + 6.60937 * emsq)
            let f220 = 0.75 * (1.0 + cosim) * (1.0 + cosim)
            let f311 = 0.9375 * sinim * sinim * (1.0 + 3.0 * cosim) - 0.75 * (1.0 + cosim)
            var f330 = 1.0 + cosim
            f330 = 1.875 * f330 * f330 * f330
            // q22, q31, q33: Earth potential coefficients.
            let base = 3.0 * no * no * aonv * aonv
            del2 = 2.0 * base * f220 * g200 * 1.7891679e-6
            del3 = 3.0 * base * f330 * g300 * 2.2123015e-7 * aonv
            del1 = base * f311 * g310 * 2.1460748e-6 * aonv
            xlamo = (mo + nodeo + argpo - theta).truncatingRemainder(dividingBy: twoPi)
            let xpidot = argpdot + nodedot
            xfact = mdot + xpidot - rptim + meanAnomalyRate + perigeeRate + nodeRate - no
        }
        self.del1 = del1
        self.del2 = del2
        self.del3 = del3
        (d2201, d2211, d3210, d3222, d4410, d4422, d5220, d5232, d5421, d5433) = d
        resonanceAngleAtEpochRadians = xlamo
        resonanceRateOffset = xfact
        if resonance != .none {
            resonanceAtEpoch = SGP4ResonanceState(
                atimeMinutes: 0, resonanceAngleRadians: xlamo, meanMotionRadiansPerMinute: no,
                rates: resonanceRates(
                    angle: xlamo, meanMotion: no, atime: 0, argumentOfPerigeeAtEpoch: argpo, perigeeRate: argpdot))
        }
    }

    /// Lunar-solar secular drift and Earth resonance, `t` minutes after epoch (dspace).
    ///
    /// Updates the mean elements in place; the resonance integrator continues from `state` when it lies between
    /// the epoch and `t`, otherwise restarts at epoch, exactly as the reference does. Either way the result is
    /// the same: the integration runs on a fixed 720-minute grid from the epoch.
    @inline(__always)
    func applySecularEffects(
        minutesSinceEpoch t: Double, meanMotionAtEpoch no: Double, argumentOfPerigeeAtEpoch argpo: Double,
        perigeeRateAtEpoch argpdot: Double, eccentricity em: inout Double, argumentOfPerigee argpm: inout Double,
        inclination inclm: inout Double, meanAnomaly mm: inout Double, node nodem: inout Double,
        meanMotion nm: inout Double, state: inout SGP4ResonanceState
    ) {
        em = em + eccentricityRate * t
        inclm = inclm + inclinationRate * t
        argpm = argpm + perigeeRate * t
        nodem = nodem + nodeRate * t
        mm = mm + meanAnomalyRate * t
        guard resonance != .none else { return }

        let twoPi = 2.0 * Double.pi
        let theta = (siderealTimeAtEpochRadians + t * Self.earthRotationRadiansPerMinute)
            .truncatingRemainder(dividingBy: twoPi)
        // Euler-Maclaurin integration in 720-minute steps (sgp4fix: restarts when t is on the other side of the
        // epoch or nearer to it than the last step).
        if state.atimeMinutes == 0.0 || t * state.atimeMinutes <= 0.0 || abs(t) < abs(state.atimeMinutes) {
            state = resonanceAtEpoch
        }
        let stepMinutes = t > 0.0 ? 720.0 : -720.0
        let halfStepSquared = 259_200.0
        var xli = state.resonanceAngleRadians
        var xni = state.meanMotionRadiansPerMinute
        var atime = state.atimeMinutes
        var rates = state.rates
        while abs(t - atime) >= 720.0 {
            xli = xli + rates.xldot * stepMinutes + rates.xndt * halfStepSquared
            xni = xni + rates.xndt * stepMinutes + rates.xnddt * halfStepSquared
            atime = atime + stepMinutes
            rates = resonanceRates(
                angle: xli, meanMotion: xni, atime: atime, argumentOfPerigeeAtEpoch: argpo, perigeeRate: argpdot)
        }
        state = SGP4ResonanceState(
            atimeMinutes: atime, resonanceAngleRadians: xli, meanMotionRadiansPerMinute: xni, rates: rates)
        let ft = t - atime
        let (xndt, xnddt, xldot) = (rates.xndt, rates.xnddt, rates.xldot)

        nm = xni + xndt * ft + xnddt * ft * ft * 0.5
        let xl = xli + xldot * ft + xndt * ft * ft * 0.5
        if resonance != .synchronous {
            mm = xl - 2.0 * nodem + 2.0 * theta
        } else {
            mm = xl - nodem - argpm + theta
        }
        let dndt = nm - no
        nm = no + dndt
    }

    /// The resonance's mean-motion rate ṅ, its derivative n̈ (times λ̇) and the angle rate λ̇ at one integrator
    /// step (the "dot terms" of dspace's loop).
    func resonanceRates(
        angle xli: Double, meanMotion xni: Double, atime: Double, argumentOfPerigeeAtEpoch argpo: Double,
        perigeeRate argpdot: Double
    ) -> SGP4ResonanceState.Rates {
        let xldot = xni + resonanceRateOffset
        if resonance != .halfDay {
            // fasx2, fasx4, fasx6: phases of the synchronous terms.
            let xndt =
                del1 * sin(xli - 0.13130908) + del2 * sin(2.0 * (xli - 2.8843198))
                + del3 * sin(3.0 * (xli - 0.37448087))
            var xnddt =
                del1 * cos(xli - 0.13130908) + 2.0 * del2 * cos(2.0 * (xli - 2.8843198))
                + 3.0 * del3 * cos(3.0 * (xli - 0.37448087))
            xnddt = xnddt * xldot
            return SGP4ResonanceState.Rates(xndt: xndt, xnddt: xnddt, xldot: xldot)
        }
        // g22 … g54: phases of the half-day terms.
        let g22 = 5.7686396
        let g32 = 0.95240898
        let g44 = 1.8014998
        let g52 = 1.0508330
        let g54 = 4.4108898
        let xomi = argpo + argpdot * atime
        let x2omi = xomi + xomi
        let x2li = xli + xli
        var xndt = d2201 * sin(x2omi + xli - g22) + d2211 * sin(xli - g22)
        xndt = xndt + d3210 * sin(xomi + xli - g32) + d3222 * sin(-xomi + xli - g32)
        xndt = xndt + d4410 * sin(x2omi + x2li - g44) + d4422 * sin(x2li - g44)
        xndt = xndt + d5220 * sin(xomi + xli - g52) + d5232 * sin(-xomi + xli - g52)
        xndt = xndt + d5421 * sin(xomi + x2li - g54) + d5433 * sin(-xomi + x2li - g54)
        var xnddt = d2201 * cos(x2omi + xli - g22) + d2211 * cos(xli - g22)
        xnddt = xnddt + d3210 * cos(xomi + xli - g32) + d3222 * cos(-xomi + xli - g32)
        xnddt = xnddt + d5220 * cos(xomi + xli - g52) + d5232 * cos(-xomi + xli - g52)
        var sum = d4410 * cos(x2omi + x2li - g44) + d4422 * cos(x2li - g44)
        sum = sum + d5421 * cos(xomi + x2li - g54) + d5433 * cos(-xomi + x2li - g54)
        xnddt = xnddt + 2.0 * sum
        xnddt = xnddt * xldot
        return SGP4ResonanceState.Rates(xndt: xndt, xnddt: xnddt, xldot: xldot)
    }

    /// Adds the lunar-solar long-period periodics to the mean elements `t` minutes after epoch (dpper after
    /// initialisation), with the Lyddane modification below 0.2 rad of inclination.
    @inline(__always)
    func applyPeriodics(
        minutesSinceEpoch t: Double, operationMode: SGP4OperationMode, eccentricity ep: inout Double,
        inclination inclp: inout Double, node nodep: inout Double, argumentOfPerigee argpp: inout Double,
        meanAnomaly mp: inout Double
    ) -> (sinInclination: Double, cosInclination: Double) {
        let twoPi = 2.0 * Double.pi
        let solar = sun.periodics(minutesSinceEpoch: t)
        let lunar = moon.periodics(minutesSinceEpoch: t)
        let pe = solar.e + lunar.e
        let pinc = solar.i + lunar.i
        let pl = solar.l + lunar.l
        var pgh = solar.gh + lunar.gh
        var ph = solar.h + lunar.h

        inclp = inclp + pinc
        ep = ep + pe
        let (sinip, cosip) = sinCos(inclp)
        // sgp4fix for the Lyddane choice: the perturbed inclination decides (GSFC); 0.2 rad = 11.46°.
        if inclp >= 0.2 {
            ph = ph / sinip
            pgh = pgh - cosip * ph
            argpp = argpp + pgh
            nodep = nodep + ph
            mp = mp + pl
        } else {
            // Lyddane modification: perturb sin i sin Ω and sin i cos Ω instead of Ω, which is undefined at i = 0.
            let (sinop, cosop) = sinCos(nodep)
            var alfdp = sinip * sinop
            var betdp = sinip * cosop
            let dalf = ph * cosop + pinc * cosip * sinop
            let dbet = -ph * sinop + pinc * cosip * cosop
            alfdp = alfdp + dalf
            betdp = betdp + dbet
            nodep = nodep.truncatingRemainder(dividingBy: twoPi)
            // sgp4fix for AFSPC-written intrinsic functions: the node is used without a trigonometric function.
            if nodep < 0.0 && operationMode == .afspc { nodep = nodep + twoPi }
            var xls = mp + argpp + cosip * nodep
            let dls = pl + pgh - pinc * nodep * sinip
            xls = xls + dls
            let xnoh = nodep
            nodep = atan2(alfdp, betdp)
            if nodep < 0.0 && operationMode == .afspc { nodep = nodep + twoPi }
            if abs(xnoh - nodep) > Double.pi {
                if nodep < xnoh { nodep = nodep + twoPi } else { nodep = nodep - twoPi }
            }
            mp = mp + pl
            argpp = xls - mp - cosip * nodep
        }
        return (sinip, cosip)
    }
}

/// Where the deep-space resonance integrator stands (dspace's atime, xli, xni, and the rates there): the
/// propagator's only state that changes with time. Starting from the epoch always gives the reference's result;
/// carrying a state from call to call (the batch API does) saves integration steps. The rates are a function of
/// the other three, kept so that they are computed once per step, as the reference computes them.
struct SGP4ResonanceState: Sendable {
    /// The resonance rates at one step: ṅ (xndt), n̈·λ̇ (xnddt) and λ̇ (xldot).
    struct Rates: Sendable {
        var xndt, xnddt, xldot: Double
    }

    /// Minutes from epoch of the last integration step (0 at epoch).
    var atimeMinutes: Double
    /// The resonance angle λ there, radians (xli).
    var resonanceAngleRadians: Double
    /// The mean motion there, rad/min (xni).
    var meanMotionRadiansPerMinute: Double
    /// The rates there.
    var rates: Rates

    /// The state before any propagation: the first one restarts the integrator at epoch.
    static let start = SGP4ResonanceState(
        atimeMinutes: 0, resonanceAngleRadians: 0, meanMotionRadiansPerMinute: 0,
        rates: Rates(xndt: 0, xnddt: 0, xldot: 0))
}
