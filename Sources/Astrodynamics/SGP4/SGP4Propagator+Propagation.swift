import CMath
import Foundation

extension SGP4Propagator {
    /// The state `minutesSinceEpoch` minutes after the element set's epoch (negative: before it), in TEME, km and
    /// km/s (`sgp4`).
    ///
    /// - Throws: `SGP4Error` when a check of the reference fails at that time (codes 1–4 and 6). The reference
    ///   still computes a state when the satellite has decayed (code 6); this API reports the error instead.
    public func propagate(minutesSinceEpoch: Double) throws(SGP4Error) -> CartesianState {
        var resonance = SGP4ResonanceState.start
        return try state(minutesSinceEpoch: minutesSinceEpoch, resonance: &resonance)
    }

    /// The state at `t` minutes since epoch (`sgp4`); `resonance` is the deep-space integrator's position, read and
    /// advanced (unused near Earth).
    @inline(__always)
    func state(minutesSinceEpoch t: Double, resonance: inout SGP4ResonanceState) throws(SGP4Error)
        -> CartesianState
    {
        // Secular gravity and atmospheric drag.
        let xmdf = meanAnomaly0 + meanAnomalyRate * t
        let argpdf = argumentOfPerigee0 + argumentOfPerigeeRate * t
        let nodedf = node0 + nodeRate * t
        var argpm = argpdf
        var mm = xmdf
        let t2 = t * t
        var nodem = nodedf + nodeDragCoefficient * t2
        var tempa = 1.0 - c1 * t
        var tempe = bstar * c4 * t
        var templ = t2Coefficient * t2
        if model == .nearEarth {
            let delomg = perigeeDragCoefficient * t
            let delmtemp = 1.0 + eta * cos(xmdf)
            let delm = anomalyDragCoefficient * (delmtemp * delmtemp * delmtemp - delta0Cubed)
            let temp = delomg + delm
            mm = xmdf + temp
            argpm = argpdf - temp
            let t3 = t2 * t
            let t4 = t3 * t
            tempa = tempa - d2 * t2 - d3 * t3 - d4 * t4
            tempe = tempe + bstar * c5 * (sin(mm) - sinMeanAnomaly0)
            templ = templ + t3Coefficient * t3 + t4 * (t4Coefficient + t * t5Coefficient)
        }

        if model == .deepSpace {
            return try deepSpaceState(
                minutesSinceEpoch: t, tempa: tempa, tempe: tempe, templ: templ, argumentOfPerigee: argpm,
                meanAnomaly: mm, node: nodem, resonance: &resonance)
        }

        // Near Earth: mean elements with drag.
        let nm0 = meanMotion0
        // Fails at initialisation or never: the epoch propagation there checks the same n.
        if !(nm0 > 0.0) { throw .nonPositiveMeanMotion }
        // (xke / n)^⅔ is ao, computed once at initialisation with the same expression.
        let am = semiMajorAxis0 * tempa * tempa
        let nm = xke / pow(am, 1.5)
        var em = eccentricity0 - tempe
        // The eccentricity tolerance of the reference (sgp4fix); the semi-major axis test stays disabled.
        if em >= 1.0 || em < -0.001 { throw .meanElementsOutOfRange }
        if em < 1.0e-6 { em = 1.0e-6 }  // sgp4fix: avoids a division by zero
        mm = mm + meanMotion0 * templ
        let twoPi = 2.0 * Double.pi
        let xlm = remainder2Pi(mm + argpm + nodem)
        nodem = remainder2Pi(nodem)
        argpm = remainder2Pi(argpm)
        mm = remainder2Pi(xlm - argpm - nodem)

        return try osculatingState(
            semiMajorAxis: am, eccentricity: em, inclination: inclination0, node: nodem, argumentOfPerigee: argpm,
            meanAnomaly: mm, meanMotion: nm, sinInclination: sinInclination0, cosInclination: cosInclination0,
            aycof: aycof, xlcof: xlcof, con41: con41, x1mth2: x1mth2, x7thm1: x7thm1)
    }

    /// The deep-space continuation of `state`: lunar-solar secular terms and resonance, mean elements with drag,
    /// lunar-solar periodics, then the common short-period part.
    @inline(never)
    func deepSpaceState(
        minutesSinceEpoch t: Double, tempa: Double, tempe: Double, templ: Double, argumentOfPerigee argpm0: Double,
        meanAnomaly mm0: Double, node nodem0: Double, resonance: inout SGP4ResonanceState
    ) throws(SGP4Error) -> CartesianState {
        guard let deepSpace else { throw .nonPositiveMeanMotion }  // unreachable: the model says deep space
        var argpm = argpm0
        var mm = mm0
        var nodem = nodem0
        var nm = meanMotion0
        var em = eccentricity0
        var inclm = inclination0
        deepSpace.applySecularEffects(
            minutesSinceEpoch: t, meanMotionAtEpoch: meanMotion0, argumentOfPerigeeAtEpoch: argumentOfPerigee0,
            perigeeRateAtEpoch: argumentOfPerigeeRate, eccentricity: &em, argumentOfPerigee: &argpm,
            inclination: &inclm, meanAnomaly: &mm, node: &nodem, meanMotion: &nm, state: &resonance)
        if nm <= 0.0 { throw .nonPositiveMeanMotion }
        // Without resonance the mean motion is still n₀, and (xke / n₀)^⅔ is ao.
        let am = (nm == meanMotion0 ? semiMajorAxis0 : pow(xke / nm, 2.0 / 3.0)) * tempa * tempa
        nm = xke / pow(am, 1.5)
        em = em - tempe
        if em >= 1.0 || em < -0.001 { throw .meanElementsOutOfRange }
        if em < 1.0e-6 { em = 1.0e-6 }
        mm = mm + meanMotion0 * templ
        let twoPi = 2.0 * Double.pi
        let xlm = (mm + argpm + nodem).truncatingRemainder(dividingBy: twoPi)
        nodem = nodem.truncatingRemainder(dividingBy: twoPi)
        argpm = argpm.truncatingRemainder(dividingBy: twoPi)
        mm = (xlm - argpm - nodem).truncatingRemainder(dividingBy: twoPi)

        // Lunar-solar periodics.
        var ep = em
        var xincp = inclm
        var nodep = nodem
        var argpp = argpm
        var mp = mm
        var (sinip, cosip) = deepSpace.applyPeriodics(
            minutesSinceEpoch: t, operationMode: operationMode, eccentricity: &ep, inclination: &xincp,
            node: &nodep, argumentOfPerigee: &argpp, meanAnomaly: &mp)
        if xincp < 0.0 {
            xincp = -xincp
            nodep = nodep + Double.pi
            argpp = argpp - Double.pi
            sinip = sin(xincp)
            cosip = cos(xincp)
        }
        if ep < 0.0 || ep > 1.0 { throw .perturbedEccentricityOutOfRange }

        // Long-period J3 coefficients and short-period inclination functions at the perturbed inclination.
        let aycof = -0.5 * j3OverJ2 * sinip
        let xlcofDivisor = abs(cosip + 1.0) > 1.5e-12 ? 1.0 + cosip : 1.5e-12  // sgp4fix: 180° inclination
        let xlcof = -0.25 * j3OverJ2 * sinip * (3.0 + 5.0 * cosip) / xlcofDivisor
        let cosisq = cosip * cosip
        return try osculatingState(
            semiMajorAxis: am, eccentricity: ep, inclination: xincp, node: nodep, argumentOfPerigee: argpp,
            meanAnomaly: mp, meanMotion: nm, sinInclination: sinip, cosInclination: cosip, aycof: aycof,
            xlcof: xlcof, con41: 3.0 * cosisq - 1.0, x1mth2: 1.0 - cosisq, x7thm1: 7.0 * cosisq - 1.0)
    }

    /// Long-period J3 periodics, Kepler's equation, short-period J2 periodics and the TEME state: the part of
    /// `sgp4` shared by both models.
    @inline(__always)
    func osculatingState(
        semiMajorAxis am: Double, eccentricity ep: Double, inclination xincp: Double, node nodep: Double,
        argumentOfPerigee argpp: Double, meanAnomaly mp: Double, meanMotion nm: Double, sinInclination sinip: Double,
        cosInclination cosip: Double, aycof: Double, xlcof: Double, con41: Double, x1mth2: Double, x7thm1: Double
    ) throws(SGP4Error) -> CartesianState {
        // Long-period periodics, in the equinoctial-like axn = e cos ω, ayn = e sin ω.
        let (sinArgpp, cosArgpp) = sinCos(argpp)
        let axnl = ep * cosArgpp
        var temp = 1.0 / (am * (1.0 - ep * ep))
        let aynl = ep * sinArgpp + temp * aycof
        let xl = mp + argpp + nodep + temp * xlcof * axnl

        // Kepler's equation for E + ω, Newton steps limited to 0.95 rad (sgp4fix), at most 10.
        let u = remainder2Pi(xl - nodep)
        var eo1 = u
        var tem5 = 9999.9
        var iterations = 1
        var sineo1 = 0.0
        var coseo1 = 0.0
        var step = Double.infinity  // the previous Newton step, whose rotation gives sin and cos of the new eo1
        while abs(tem5) >= 1.0e-12 && iterations <= 10 {
            if abs(step) <= 0.05 {
                // sin(E + δ), cos(E + δ) from those of E and a short Taylor series of δ (error < 1e-19): the
                // same values as a library call to ~1 ulp, for a fraction of its cost.
                let (sinStep, cosStep) = smallAngleSinCos(step)
                (sineo1, coseo1) = (sineo1 * cosStep + coseo1 * sinStep, coseo1 * cosStep - sineo1 * sinStep)
            } else {
                (sineo1, coseo1) = sinCos(eo1)
            }
            tem5 = 1.0 - coseo1 * axnl - sineo1 * aynl
            tem5 = (u - aynl * coseo1 + axnl * sineo1 - eo1) / tem5
            if abs(tem5) >= 0.95 { tem5 = tem5 > 0.0 ? 0.95 : -0.95 }
            eo1 = eo1 + tem5
            step = tem5
            iterations += 1
        }

        // Short-period preliminary quantities.
        let ecose = axnl * coseo1 + aynl * sineo1
        let esine = axnl * sineo1 - aynl * coseo1
        let el2 = axnl * axnl + aynl * aynl
        let pl = am * (1.0 - el2)
        if pl < 0.0 { throw .negativeSemiLatusRectum }
        let rl = am * (1.0 - ecose)
        let rdotl = am.squareRoot() * esine / rl
        let rvdotl = pl.squareRoot() / rl
        let betal = (1.0 - el2).squareRoot()
        temp = esine / (1.0 + betal)
        let sinu = am / rl * (sineo1 - aynl - axnl * temp)
        let cosu = am / rl * (coseo1 - axnl + aynl * temp)
        let sin2u = (cosu + cosu) * sinu
        let cos2u = 1.0 - 2.0 * sinu * sinu
        temp = 1.0 / pl
        let temp1 = 0.5 * j2 * temp
        let temp2 = temp1 * temp

        // Short-period periodics.
        let mrt = rl * (1.0 - 1.5 * temp2 * betal * con41) + 0.5 * temp1 * x1mth2 * cos2u
        // u' = u − δu with δu of order J2 (< 1e-3 rad): sin u' and cos u' follow from sin u and cos u (the
        // normalised sinu, cosu) by a small rotation, which spares the reference's atan2 and one sincos.
        let deltaU = 0.25 * temp2 * x7thm1 * sin2u
        let xnode = nodep + 1.5 * temp2 * cosip * sin2u
        let deltaInclination = 1.5 * temp2 * cosip * sinip * cos2u
        let mvt = rdotl - nm * temp1 * x1mth2 * sin2u / xke
        let rvdot = rvdotl + nm * temp1 * (x1mth2 * cos2u + 1.5 * con41) / xke

        // Orientation vectors.
        let (sinsu, cossu) = rotated(sin: sinu, cos: cosu, by: -deltaU)
        let (snod, cnod) = sinCos(xnode)
        let (sini, cosi) = rotated(sin: sinip, cos: cosip, by: deltaInclination)
        let xmx = -snod * cosi
        let xmy = cnod * cosi
        let ux = xmx * sinsu + cnod * cossu
        let uy = xmy * sinsu + snod * cossu
        let uz = sini * sinsu
        let vx = xmx * cossu - cnod * sinsu
        let vy = xmy * cossu - snod * sinsu
        let vz = sini * cossu

        // sgp4fix for decaying satellites: below one Earth radius.
        if mrt < 1.0 { throw .decayed }
        let radius = earthRadiusKilometres
        let speed = velocityKilometresPerSecondPerUnit
        return CartesianState(
            positionKilometres: SIMD3((mrt * ux) * radius, (mrt * uy) * radius, (mrt * uz) * radius),
            velocityKilometresPerSecond: SIMD3(
                (mvt * ux + rvdot * vx) * speed, (mvt * uy + rvdot * vy) * speed, (mvt * uz + rvdot * vz) * speed))
    }
}

/// sin x and cos x from one call (glibc `sincos`, which shares its argument reduction and returns the same values
/// as `sin` and `cos`; gcc makes the same substitution in the reference C++ code at -O2).
@inline(__always)
func sinCos(_ x: Double) -> (sin: Double, cos: Double) {
    var s = 0.0
    var c = 0.0
    essor_sincos(x, &s, &c)
    return (s, c)
}

/// fmod(x, 2π) as the reference computes it, without the library call when |x| < 2π (where fmod returns x).
@inline(__always)
func remainder2Pi(_ x: Double) -> Double {
    let twoPi = 2.0 * Double.pi
    return abs(x) < twoPi ? x : x.truncatingRemainder(dividingBy: twoPi)
}

/// sin δ and cos δ for |δ| ≤ 0.05 by their Taylor series to δ⁹ and δ⁸ (truncation below 1e-19 absolute).
@inline(__always)
func smallAngleSinCos(_ d: Double) -> (sin: Double, cos: Double) {
    let d2 = d * d
    // Horner form with the inverse factorials as constants (multiplications, no division on this path).
    let sine = d * (1.0 + d2 * (-1.0 / 6.0 + d2 * (1.0 / 120.0 + d2 * (-1.0 / 5040.0 + d2 * (1.0 / 362_880.0)))))
    let cosine = 1.0 + d2 * (-0.5 + d2 * (1.0 / 24.0 + d2 * (-1.0 / 720.0 + d2 * (1.0 / 40_320.0))))
    return (sine, cosine)
}

/// sin(x + δ) and cos(x + δ) from a (not necessarily normalised) pair proportional to (sin x, cos x): by the small
/// rotation for |δ| ≤ 0.05, else by the library from atan2.
@inline(__always)
func rotated(sin s: Double, cos c: Double, by delta: Double) -> (sin: Double, cos: Double) {
    guard abs(delta) <= 0.05 else { return sinCos(atan2(s, c) + delta) }
    let inverseNorm = 1.0 / (s * s + c * c).squareRoot()
    let (sinX, cosX) = (s * inverseNorm, c * inverseNorm)
    let (sinDelta, cosDelta) = smallAngleSinCos(delta)
    return (sinX * cosDelta + cosX * sinDelta, cosX * cosDelta - sinX * sinDelta)
}
