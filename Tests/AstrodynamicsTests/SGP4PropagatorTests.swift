import CCSDS
import Foundation
import Testing

@testable import Astrodynamics

// The TLE → SGP4Elements conversion against python-sgp4 2.27's `Satrec.twoline2rv` (values printed with repr()),
// and the propagator's API: defaults, model selection, batch propagation, time arguments.

@Suite struct SGP4ElementsTLETests {
    /// `Satrec.twoline2rv(line1, line2)` fields jdsatepoch, jdsatepochF, bstar, ndot, nddot, ecco, argpo, inclo,
    /// nodeo, mo, no_kozai, for sets of SGP4-VER.TLE.
    static let python: [(Int, [Double])] = [
        (
            5,
            [
                2451722.5, 0.78495062, 2.8098e-05, 6.96919666594958e-13, 0.0, 0.1859667, 5.790416027488515,
                0.5980929187319208, 6.08638547138321, 0.3373093125574321, 0.04722944544077857,
            ]
        ),
        (
            16925,
            [
                2453886.5, 0.67415771, 0.00018784000000000002, 7.729123930575737e-08, -6.505214822700219e-16,
                0.5596327, 4.278836976884534, 1.0836854045387911, 5.149138427074499, 0.83721698888916,
                0.021315351634602436,
            ]
        ),
        (
            21897,
            [
                2453911.5, 0.02341244, -0.00013525, -3.8572988503277456e-11, 0.0, 0.742169, 4.4164893496600754,
                1.0851567170982224, 3.4559194705569642, 0.351790309361229, 0.00878206020192308,
            ]
        ),
        (
            23333,
            [
                2449657.5, 0.49999999, 0.0001, -5.240714689373807e-09, 5.674466379548983e-13, 0.9728298,
                0.5312084111369941, 0.5017647066558498, 0.0413992098573055, 0.02356194490192345,
                0.0003189367114872321,
            ]
        ),
        (
            28350,
            [
                2453902.5, 0.21788666, 0.00018678, 4.894949208109095e-07, 1.6048300788707025e-14, 0.002487,
                4.551082160256869, 1.1344238712235182, 6.032084787695162, 1.744613667001012, 0.07190131350005219,
            ]
        ),
    ]

    @Test func fieldsAreThoseOfPythonSGP4() throws {
        for (number, expected) in Self.python {
            let e = SGP4Elements(tle: try SGP4VerificationSet.tle(number))
            let actual = [
                e.epochJulianDay, e.epochJulianDayFraction, e.bstarPerEarthRadius,
                e.meanMotionDotOver2RadiansPerMinuteSquared, e.meanMotionDdotOver6RadiansPerMinuteCubed,
                e.eccentricity, e.argumentOfPerigeeRadians, e.inclinationRadians,
                e.rightAscensionOfAscendingNodeRadians, e.meanAnomalyRadians, e.meanMotionKozaiRadiansPerMinute,
            ]
            #expect(actual == expected, "\(number)")
            #expect(e.catalogueNumber == number)
        }
    }

    @Test func bstarIsReadAsTheCCodeReadsIt() {
        // 16925's B* `18784-3`: strtod(".18784") * pow(10, -3) is one ulp above the correctly rounded 1.8784e-4.
        #expect(SGP4Elements.asReadByVallado(1.8784e-4) == 0.00018784000000000002)
        #expect(SGP4Elements.asReadByVallado(-1.3525e-4) == -0.00013525)
        #expect(SGP4Elements.asReadByVallado(0) == 0)
    }

    @Test func deepSpaceInitialisesFromTheUnroundedTwoLineEpoch() throws {
        // A GEO set of the benchmark catalogue (Benchmarks/generate_sgp4_catalogue.py). python-sgp4 reports
        // jdsatepochF = 0.69945878 but initialises with days2mdhms + jday's 0.6994587799999863 (epoch
        // 27702.699458779767 days, not 27702.699458780233); initialising from the rounded one moves this state by
        // 0.135 mm at 10080 min. Reference: Satrec.twoline2rv(line1, line2).sgp4_tsince(10080.0).
        let tle = try TLE(
            line1: "1 38888U 25917A   25308.69945878  .00000000  00000-0  00000+0 0    05",
            line2: "2 38888   4.4129 108.7291 0001614 108.3271 220.0947  0.99820979    06", strictness: .lenient)
        var elements = SGP4Elements(tle: tle)
        #expect(elements.epochJulianDay == 2_460_983.5)
        #expect(elements.epochJulianDayFraction == 0.69945878)
        #expect(elements.epochDaysSince1950 == 27702.699458779767)
        let state = try SGP4Propagator(elements: elements).propagate(minutesSinceEpoch: 10080)
        let position = SIMD3(12559.452579596838, 40345.185813694385, -1906.4524792807872)
        let velocity = SIMD3(-2.922734767405893, 0.9185479085872602, 0.19126133102205145)
        #expect(vectorDistance(state.positionKilometres, position) < 1e-9)
        #expect(vectorDistance(state.velocityKilometresPerSecond, velocity) < 1e-12)
        // Elements changed after reading fall back to jdsatepoch + jdsatepochF − 2433281.5.
        elements.epochJulianDayFraction = 0.5
        #expect(elements.epochDaysSince1950 == (2_460_983.5 + 0.5) - 2_433_281.5)
    }

    @Test func day366OfACommonYearIsTheFirstOfJanuary() throws {
        // python-sgp4's test_december_32: ISS, 2019 day 366.82137887 → jdsatepoch 2458849.5 (2020-01-01).
        let tle = try TLE(
            line1: "1 25544U 98067A   19366.82137887  .00016717  00000-0  10270-3 0  9129",
            line2: "2 25544  51.6392  96.6358 0005156  88.7140 271.4601 15.49497216  6061", strictness: .lenient)
        let elements = SGP4Elements(tle: tle)
        #expect(elements.epochJulianDay == 2_458_849.5)
        #expect(elements.epochJulianDayFraction == 0.82137887)
        // Satrec.sgp4(2458850.5, 0.25) propagates 617.2144272 minutes (to the last bit) and gives this state.
        let minutes = elements.minutesSinceEpoch(julianDay: 2_458_850.5, fraction: 0.25)
        #expect(minutes == 617.2144272)
        let state = try SGP4Propagator(elements: elements).propagate(minutesSinceEpoch: minutes)
        #expect(
            vectorDistance(state.positionKilometres, SIMD3(3677.327599157353, -3836.945033063557, -4247.264582780699))
                < 1e-9)
        #expect(
            vectorDistance(
                state.velocityKilometresPerSecond, SIMD3(2.3839594853795676, 6.2969036704645385, -3.631302215903713))
                < 1e-9)
    }
}

@Suite struct SGP4PropagatorTests {
    @Test func defaultsArePythonSGP4s() throws {
        let propagator = try SGP4Propagator(tle: SGP4VerificationSet.tle(5))
        #expect(propagator.gravityModel == .wgs72)
        #expect(propagator.operationMode == .improved)
        #expect(propagator.elements == SGP4Elements(tle: try SGP4VerificationSet.tle(5)))
    }

    @Test func modelFollowsPeriodAndPerigee() throws {
        #expect(try SGP4Propagator(tle: SGP4VerificationSet.tle(5)).model == .nearEarth)
        // 29238: perigee 212 km < 220 km: simplified drag.
        #expect(try SGP4Propagator(tle: SGP4VerificationSet.tle(29238)).model == .nearEarthSimplifiedDrag)
        // 08195 Molniya (12 h, e = 0.69): half-day resonance; 24208 (GEO): synchronous; 28129 (GPS, e < 0.5): none.
        let molniya = try SGP4Propagator(tle: SGP4VerificationSet.tle(8195))
        #expect(molniya.isDeepSpace && molniya.deepSpace?.resonance == .halfDay)
        #expect(try SGP4Propagator(tle: SGP4VerificationSet.tle(24208)).deepSpace?.resonance == .synchronous)
        #expect(
            try SGP4Propagator(tle: SGP4VerificationSet.tle(28129)).deepSpace?.resonance == SGP4DeepSpace.Resonance.none
        )
        #expect(try !SGP4Propagator(tle: SGP4VerificationSet.tle(28057)).isDeepSpace)
    }

    @Test func gravityModelConstants() {
        let wgs72 = SGP4GravityModel.wgs72.constants
        #expect(wgs72.earthRadiusKilometres == 6378.135)
        #expect(abs(wgs72.xkePerMinute - 0.07436691613317342) < 1e-17)
        #expect(SGP4GravityModel.wgs72old.constants.xkePerMinute == 0.0743669161)
        #expect(SGP4GravityModel.wgs84.constants.earthRadiusKilometres == 6378.137)
        #expect(SGP4GravityModel.wgs84.constants.j3OverJ2 == -0.00000253215306 / 0.00108262998905)
    }

    @Test func batchGivesTheSingleCallStates() throws {
        // Deep-space resonant sets carry the integrator from one time to the next in a batch: same results.
        for number in [8195, 24208, 20413, 5, 29238] {
            let propagator = try SGP4Propagator(tle: SGP4VerificationSet.tle(number))
            let times = [0.0, 1000, 3000, 2999, -2000, 10000, 10000, 725, 719.5, -725]
            let (states, failure) = propagator.propagate(minutesSinceEpoch: times)
            #expect(failure == nil)
            #expect(states.count == times.count)
            for (time, state) in zip(times, states) {
                #expect(try propagator.propagate(minutesSinceEpoch: time) == state, "\(number) at \(time)")
            }
        }
    }

    @Test func batchIntoBuffersWritesEveryState() throws {
        let propagator = try SGP4Propagator(tle: SGP4VerificationSet.tle(28129))
        let times = (0..<100).map { Double($0) * 15 }
        let zero = CartesianState(positionKilometres: .zero, velocityKilometresPerSecond: .zero)
        var states = [CartesianState](repeating: zero, count: times.count)
        try times.withUnsafeBufferPointer { times in
            try states.withUnsafeMutableBufferPointer { states in
                try propagator.propagate(minutesSinceEpoch: times, into: states)
            }
        }
        #expect(try states[99] == propagator.propagate(minutesSinceEpoch: 1485))
    }

    @Test func propagatorIsASendableValue() async throws {
        let propagator = try SGP4Propagator(tle: SGP4VerificationSet.tle(5))
        let expected = try propagator.propagate(minutesSinceEpoch: 720)
        let fromTask = try await Task.detached { try propagator.propagate(minutesSinceEpoch: 720) }.value
        // The comparison is made before #expect: with Swift 6.3.1 on Linux, `#expect(fromTask == expected)` here
        // (SIMD3 operands, after an await, a ~1 KB value in the frame) writes 8 bytes past the async frame
        // (AddressSanitizer: heap-buffer-overflow in the test function) and corrupts the heap.
        let same = fromTask == expected
        #expect(same)
    }
}
