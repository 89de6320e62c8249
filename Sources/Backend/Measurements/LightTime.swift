import Astrodynamics

/// Where a signal met the object and the sensor: the light-time solution of one measurement, received at the sensor
/// at the time tag t.
///
/// Positions are in one quasi-inertial frame (the simulator uses TEME; its rotation over the ≤ 0.3 s of a signal's
/// flight, ~10⁻¹² rad, is neglected). Ranges are Euclidean (no relativistic delay, no atmosphere).
public struct LightTimeSolution: Sendable, Equatable {
    /// The object when it reflected or emitted the signal, at t − τ_down.
    public var object: CartesianState
    /// The sensor at reception, t.
    public var sensorAtReception: CartesianState
    /// The sensor at emission, t − τ_down − τ_up (two-way only).
    public var sensorAtEmission: CartesianState?
    /// τ_down: the object-to-sensor light time, seconds.
    public var downlegSeconds: Double
    /// τ_up: the sensor-to-object light time of a two-way measurement, seconds (0 for one-way).
    public var uplegSeconds: Double
    /// The object (at t − τ_down) as seen from the sensor (at t), km: the astrometric line of sight.
    public var lineOfSightKilometres: SIMD3<Double>
    /// The range observable, km: c·τ_down one-way; c·(τ_up + τ_down)/2, half the round-trip light time, two-way.
    public var rangeKilometres: Double
    /// d(range)/dt at the time tag, km/s (exact for the light-time geometry, not a finite difference).
    public var rangeRateKilometresPerSecond: Double
}

/// Light-time iteration for one- and two-way measurements (Montenbruck & Gill 2000, "Satellite Orbits", ch. 6: the
/// light-time equations of one- and two-way ranging).
///
/// One-way (down leg): find τ with |r_obj(t − τ) − r_sen(t)| = c·τ by fixed-point iteration; each step multiplies
/// the error by about |ṙ|/c ≈ 3·10⁻⁵, so the initial guess (from the object's state at t extrapolated linearly) and
/// two evaluations of the object reach 10⁻¹¹ s. Two-way adds the up leg: |r_obj(t − τ_down) − r_sen(t − τ_down −
/// τ_up)| = c·τ_up, iterated on the sensor alone.
///
/// Range rate by differentiating the light-time equations (b = d(t − τ_down)/dt, e = d(t − τ_down − τ_up)/dt, û the
/// unit vectors from sensor to object): b = (c + û_d·v_sen(t)) / (c + û_d·v_obj); e = b·(c − û_u·v_obj) /
/// (c − û_u·v_sen(emission)); one-way ρ̇ = c(1 − b), two-way ρ̇ = c(1 − e)/2, evaluated in the forms
/// c(1 − b) = c·û_d·(v_obj − v_sen)/(c + û_d·v_obj) and 1 − e = (û_u·(v_obj − v_sen(emission)) + (1 − b)(c − û_u·v_obj))
/// / (c − û_u·v_sen(emission)), which do not lose digits to 1 − b ≈ 10⁻⁵. The object's velocity is SGP4's, which is
/// not exactly the derivative of SGP4's position (measured on the test sets: up to 2 cm/s in LEO, 7 cm/s in GEO,
/// a few mm/s along the line of sight), far below a radar's Doppler noise.
public enum LightTime {
    /// The speed of light in vacuum, km/s (SI definition).
    public static let speedOfLightKilometresPerSecond = 299_792.458
    /// The iteration stops when τ changes by less than this, seconds: the object's position is then within
    /// |v|·10⁻¹⁰ s (< 1 µm) of the exact solution.
    public static let toleranceSeconds = 1e-10
    /// Evaluations of the object before giving up on convergence (never reached for Earth orbits).
    static let maximumIterations = 8

    /// Solves the light time of a measurement received at t.
    ///
    /// - Parameters:
    ///   - object: the object's state at t + offset seconds (offsets are negative).
    ///   - sensor: the sensor's state at t + offset seconds.
    ///   - twoWay: whether the sensor also emitted the signal (a radar's round trip).
    public static func solve<Failure: Error>(
        object: (Double) throws(Failure) -> CartesianState, sensor: (Double) -> CartesianState, twoWay: Bool
    ) throws(Failure) -> LightTimeSolution {
        let c = speedOfLightKilometresPerSecond
        let receiver = sensor(0)
        let atReception = try object(0)
        // Initial guess: the object moving in a straight line from its state at t (error ~ a·τ²/2c, < 10⁻¹¹ s).
        var tau = length(atReception.positionKilometres - receiver.positionKilometres) / c
        for _ in 0..<2 {
            let moved = atReception.positionKilometres - atReception.velocityKilometresPerSecond * tau
            tau = length(moved - receiver.positionKilometres) / c
        }
        var state = try object(-tau)
        for _ in 0..<maximumIterations {
            let next = length(state.positionKilometres - receiver.positionKilometres) / c
            let change = abs(next - tau)
            if change <= toleranceSeconds { break }
            tau = next
            state = try object(-tau)
        }
        let lineOfSight = state.positionKilometres - receiver.positionKilometres
        let down = length(lineOfSight)
        let downUnit = lineOfSight / down
        let v = state.velocityKilometresPerSecond
        // 1 − b, without cancellation.
        let oneMinusB = dot(downUnit, v - receiver.velocityKilometresPerSecond) / (c + dot(downUnit, v))
        guard twoWay else {
            return LightTimeSolution(
                object: state, sensorAtReception: receiver, sensorAtEmission: nil, downlegSeconds: down / c,
                uplegSeconds: 0, lineOfSightKilometres: lineOfSight, rangeKilometres: down,
                rangeRateKilometresPerSecond: c * oneMinusB)
        }
        var up = tau
        var emitter = sensor(-tau - up)
        for _ in 0..<maximumIterations {
            let next = length(state.positionKilometres - emitter.positionKilometres) / c
            let change = abs(next - up)
            up = next
            emitter = sensor(-tau - up)
            if change <= toleranceSeconds { break }
        }
        let upLine = state.positionKilometres - emitter.positionKilometres
        let upRange = length(upLine)
        let upUnit = upLine / upRange
        let emitterVelocity = emitter.velocityKilometresPerSecond
        let oneMinusE =
            (dot(upUnit, v - emitterVelocity) + oneMinusB * (c - dot(upUnit, v))) / (c - dot(upUnit, emitterVelocity))
        return LightTimeSolution(
            object: state, sensorAtReception: receiver, sensorAtEmission: emitter, downlegSeconds: down / c,
            uplegSeconds: upRange / c, lineOfSightKilometres: lineOfSight, rangeKilometres: (down + upRange) / 2,
            rangeRateKilometresPerSecond: c * oneMinusE / 2)
    }

    @inline(__always)
    static func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        (a * b).sum()
    }

    @inline(__always)
    static func length(_ a: SIMD3<Double>) -> Double {
        dot(a, a).squareRoot()
    }
}
