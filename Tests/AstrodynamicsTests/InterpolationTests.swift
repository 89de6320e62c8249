import Foundation
import Testing

@testable import Astrodynamics

/// Interpolation of a two-body LEO orbit sampled every 60 s against the exact Kepler solution.
@Suite struct InterpolationTests {
    /// An eccentric LEO orbit (perigee ≈ 330 km, apogee ≈ 600 km, 51.6°): μ = 398600.4418 km³/s².
    struct KeplerOrbit {
        let mu = 398_600.4418
        let semiMajorAxisKilometres = 6843.0
        let eccentricity = 0.02
        let inclination = 51.6 * Double.pi / 180
        let node = 30 * Double.pi / 180
        let perigee = 40 * Double.pi / 180
        let meanAnomalyAtZero = 0.3

        /// The exact state at `t` s, by Newton's method on Kepler's equation.
        func state(at t: Double) -> CartesianState {
            let a = semiMajorAxisKilometres
            let e = eccentricity
            let n = (mu / (a * a * a)).squareRoot()
            let m = meanAnomalyAtZero + n * t
            var anomaly = m
            for _ in 0..<30 { anomaly -= (anomaly - e * sin(anomaly) - m) / (1 - e * cos(anomaly)) }
            let c = cos(anomaly)
            let s = sin(anomaly)
            let root = (1 - e * e).squareRoot()
            let p = SIMD3(a * (c - e), a * root * s, 0)
            let rate = n / (1 - e * c)
            let v = SIMD3(-a * s * rate, a * root * c * rate, 0)
            // Perifocal to inertial: R3(−Ω) R1(−i) R3(−ω).
            let rotation =
                Matrix3.rotationZ(radians: -node) * Matrix3.rotationX(radians: -inclination)
                * Matrix3.rotationZ(radians: -perigee)
            return CartesianState(positionKilometres: rotation * p, velocityKilometresPerSecond: rotation * v)
        }
    }

    static let orbit = KeplerOrbit()
    /// Samples every 60 s for 3 hours (about two revolutions).
    static let samples: EphemerisSamples = {
        let times = (0...180).map { Double($0) * 60 }
        let states = times.map { orbit.state(at: $0) }
        return try! EphemerisSamples(
            secondsSinceReference: times, positionsKilometres: states.map(\.positionKilometres),
            velocitiesKilometresPerSecond: states.map(\.velocityKilometresPerSecond))
    }()
    /// Mid-sample times (where interpolation is worst) plus irregular ones, across the whole span, ends included.
    static let checkTimes: [Double] = (0..<180).map { Double($0) * 60 + 30 } + (0...50).map { Double($0) * 215.7 }

    static func largestErrors(_ interpolator: some EphemerisInterpolator, samples: EphemerisSamples = samples) throws
        -> (positionKilometres: Double, velocityKilometresPerSecond: Double)
    {
        var position = 0.0
        var velocity = 0.0
        for t in checkTimes {
            let state = try interpolator.state(atSecondsSinceReference: t, in: samples)
            let truth = orbit.state(at: t)
            let dr = state.positionKilometres - truth.positionKilometres
            let dv = state.velocityKilometresPerSecond - truth.velocityKilometresPerSecond
            position = max(position, (dr * dr).sum().squareRoot())
            velocity = max(velocity, (dv * dv).sum().squareRoot())
        }
        return (position, velocity)
    }

    @Test func lagrangeDegree8IsWithinAMetre() throws {
        let errors = try Self.largestErrors(LagrangeInterpolator(degree: 8))
        // 60 s is 1/95 of a period: the degree-8 error is far below the 1 m requirement.
        #expect(errors.positionKilometres < 1e-3)
        #expect(errors.positionKilometres < 1e-6)
        #expect(errors.velocityKilometresPerSecond < 1e-9)
    }

    @Test(arguments: 5...9)
    func lagrangeDegreesFiveToNine(degree: Int) throws {
        let errors = try Self.largestErrors(LagrangeInterpolator(degree: degree))
        #expect(errors.positionKilometres < 1e-3, "degree \(degree): \(errors.positionKilometres * 1e3) m")
        #expect(errors.velocityKilometresPerSecond < 1e-6)
    }

    @Test func lagrangeWithoutVelocitiesDifferentiatesThePositions() throws {
        let positionsOnly = try EphemerisSamples(
            secondsSinceReference: Self.samples.secondsSinceReference,
            positionsKilometres: Self.samples.positionsKilometres)
        let errors = try Self.largestErrors(LagrangeInterpolator(degree: 8), samples: positionsOnly)
        #expect(errors.positionKilometres < 1e-6)
        #expect(errors.velocityKilometresPerSecond < 1e-7)
    }

    @Test(arguments: [3, 5, 7, 9])
    func hermiteIsWithinAMetre(degree: Int) throws {
        let errors = try Self.largestErrors(HermiteInterpolator(degree: degree))
        #expect(errors.positionKilometres < 1e-3, "degree \(degree): \(errors.positionKilometres * 1e3) m")
        // Degree 3 (two samples) is the coarsest: 0.42 m and 2e-5 km/s here.
        #expect(errors.velocityKilometresPerSecond < 1e-4)
    }

    @Test func hermiteDegree7MatchesLagrangeDegree8() throws {
        let errors = try Self.largestErrors(HermiteInterpolator(degree: 7))
        #expect(errors.positionKilometres < 1e-5)
        #expect(errors.velocityKilometresPerSecond < 1e-8)
    }

    @Test func samplesAreReproducedExactly() throws {
        for index in [0, 1, 90, 179, 180] {
            let t = Self.samples.secondsSinceReference[index]
            for interpolator in [try LagrangeInterpolator(degree: 7), try HermiteInterpolator(degree: 5)]
                as [any EphemerisInterpolator]
            {
                let state = try interpolator.state(atSecondsSinceReference: t, in: Self.samples)
                let dr = state.positionKilometres - Self.samples.positionsKilometres[index]
                #expect((dr * dr).sum().squareRoot() < 1e-9)
            }
        }
    }

    @Test func windowsAreCentredAndSlideInwardsAtTheEnds() throws {
        let samples = Self.samples
        #expect(try samples.window(of: 8, around: 630) == 7..<15)  // 4 samples each side of [600, 660]
        #expect(try samples.window(of: 7, around: 630) == 7..<14)  // centred on 600 s (ties go to the earlier)
        #expect(try samples.window(of: 7, around: 650) == 8..<15)  // centred on 660 s
        #expect(try samples.window(of: 10, around: 10) == 0..<10)
        #expect(try samples.window(of: 10, around: 10_800) == 171..<181)
    }

    @Test func clearErrors() throws {
        let lagrange = try LagrangeInterpolator(degree: 8)
        #expect(throws: InterpolationError.outsideSpan(secondsSinceReference: -1, firstSeconds: 0, lastSeconds: 10_800))
        {
            try lagrange.state(atSecondsSinceReference: -1, in: Self.samples)
        }
        #expect(
            throws: InterpolationError.outsideSpan(
                secondsSinceReference: 10_800.5, firstSeconds: 0, lastSeconds: 10_800)
        ) {
            try lagrange.state(atSecondsSinceReference: 10_800.5, in: Self.samples)
        }
        let few = try EphemerisSamples(
            secondsSinceReference: [0, 60, 120], positionsKilometres: Array(Self.samples.positionsKilometres[0..<3]))
        #expect(throws: InterpolationError.tooFewSamples(needed: 9, available: 3)) {
            try lagrange.state(atSecondsSinceReference: 30, in: few)
        }
        #expect(throws: InterpolationError.velocitiesRequired) {
            try HermiteInterpolator(degree: 3).state(atSecondsSinceReference: 30, in: few)
        }
        #expect(throws: InterpolationError.unsupportedDegree(0, supported: 1...15)) {
            try LagrangeInterpolator(degree: 0)
        }
        #expect(throws: InterpolationError.timesNotIncreasing(index: 2)) {
            try EphemerisSamples(secondsSinceReference: [0, 60, 60], positionsKilometres: [.zero, .zero, .zero])
        }
        #expect(throws: InterpolationError.countMismatch(times: 2, positions: 1, velocities: nil)) {
            try EphemerisSamples(secondsSinceReference: [0, 60], positionsKilometres: [.zero])
        }
        #expect(throws: InterpolationError.nonFiniteSample(index: 1)) {
            try EphemerisSamples(secondsSinceReference: [0, .nan], positionsKilometres: [.zero, .zero])
        }
    }
}
