import CCSDS
import Foundation
import Testing

@testable import Astrodynamics

// The error codes of sgp4init/sgp4 (Vallado et al. 2006, AIAA 2006-6753): numbering, meaning, and where each is
// reported. The element sets come from SGP4-VER.TLE, whose comments name the cases ("check error code 4", …).

@Suite struct SGP4ErrorTests {
    @Test func codesAreTheReferenceNumbers() {
        #expect(SGP4Error.allCases.map(\.code) == [1, 2, 3, 4, 5, 6])
        for error in SGP4Error.allCases {
            #expect(SGP4Error(code: error.code) == error)
        }
        #expect(SGP4Error(code: 0) == nil)
        #expect(SGP4Error(code: 7) == nil)
    }

    @Test func meaningsSayWhatFailed() {
        #expect(SGP4Error.meanElementsOutOfRange.meaning.contains("mean eccentricity"))
        #expect(SGP4Error.nonPositiveMeanMotion.meaning.contains("mean motion"))
        #expect(SGP4Error.perturbedEccentricityOutOfRange.meaning.contains("perturbed eccentricity"))
        #expect(SGP4Error.negativeSemiLatusRectum.meaning.contains("semilatus rectum"))
        #expect(SGP4Error.subOrbitalEpochElements.meaning.contains("sub-orbital"))
        #expect(SGP4Error.decayed.meaning.contains("decayed"))
        #expect(Set(SGP4Error.allCases.map(\.meaning)).count == 6)
    }

    @Test func meaningsShareTheKeyWordOfPythonSGP4Messages() {
        // python-sgp4 2.27 `sgp4.api.SGP4_ERRORS`, first word of each message (5 is no longer in use).
        let pythonWords = [1: "mean", 2: "nm", 3: "perturbed", 4: "semilatus", 6: "mrt"]
        for (code, word) in pythonWords {
            #expect(SGP4Error(code: code)!.meaning.lowercased().contains(word))
        }
    }

    @Test func descriptionNamesCodeAndMeaning() {
        #expect("\(SGP4Error.decayed)" == "error 6 (\(SGP4Error.decayed.meaning))")
    }

    @Test func meanEccentricityOutOfRangeIsCodeOne() throws {
        // 22312: SL-6 R/B, "last tle given, decayed 2006-04-04": drag takes e negative at 494 min.
        let propagator = try SGP4Propagator(tle: SGP4VerificationSet.tle(22312), operationMode: .afspc)
        _ = try propagator.propagate(minutesSinceEpoch: 474.2028672)
        #expect(throws: SGP4Error.meanElementsOutOfRange) {
            try propagator.propagate(minutesSinceEpoch: 494.2028672)
        }
    }

    @Test func invalidMeanElementsAreCodeOneAtInitialisation() throws {
        let elements = SGP4Elements(tle: try SGP4VerificationSet.tle(5))
        for eccentricity in [1.0, 1.5, -0.002, Double.nan] {
            var bad = elements
            bad.eccentricity = eccentricity
            #expect(throws: SGP4Error.meanElementsOutOfRange) { try SGP4Propagator(elements: bad) }
        }
        var bad = elements
        bad.inclinationRadians = .infinity
        #expect(throws: SGP4Error.meanElementsOutOfRange) { try SGP4Propagator(elements: bad) }
    }

    @Test func nonPositiveMeanMotionIsCodeTwoAtInitialisation() throws {
        // The reference computes with NaNs there; at propagation, code 2 needs the deep-space resonance to drive
        // n below zero, which none of the verification sets does (33334 tries, and gets code 3).
        var elements = SGP4Elements(tle: try SGP4VerificationSet.tle(5))
        for motion in [0.0, -0.01, Double.nan] {
            elements.meanMotionKozaiRadiansPerMinute = motion
            #expect(throws: SGP4Error.nonPositiveMeanMotion) { try SGP4Propagator(elements: elements) }
        }
    }

    @Test func perturbedEccentricityOutOfRangeIsCodeThreeAtInitialisation() throws {
        // 33334: "try and check error code 2 but this [gives 3]": n = 1e-5 rev/day, deep space.
        #expect(throws: SGP4Error.perturbedEccentricityOutOfRange) {
            try SGP4Propagator(tle: SGP4VerificationSet.tle(33334))
        }
    }

    @Test func negativeSemiLatusRectumIsCodeFour() throws {
        // 33333: "check error code 4": e = 0.995, n = 4 rev/day.
        let propagator = try SGP4Propagator(tle: SGP4VerificationSet.tle(33333), operationMode: .afspc)
        _ = try propagator.propagate(minutesSinceEpoch: 20)
        #expect(throws: SGP4Error.negativeSemiLatusRectum) { try propagator.propagate(minutesSinceEpoch: 25) }
    }

    @Test func subOrbitalEpochElementsIsNeverThrown() throws {
        // Code 5 was removed from the current revision: 28872 (perigee −51 km) initialises, and decays (code 6).
        let propagator = try SGP4Propagator(tle: SGP4VerificationSet.tle(28872))
        _ = try propagator.propagate(minutesSinceEpoch: 50)
        #expect(throws: SGP4Error.decayed) { try propagator.propagate(minutesSinceEpoch: 55) }
    }

    @Test func decayIsCodeSix() throws {
        // 29141: SL-14 DEB, "last stage of decay - lost in under 420 min".
        let propagator = try SGP4Propagator(tle: SGP4VerificationSet.tle(29141))
        _ = try propagator.propagate(minutesSinceEpoch: 420)
        #expect(throws: SGP4Error.decayed) { try propagator.propagate(minutesSinceEpoch: 440) }
    }

    @Test func batchStopsAtTheFirstErrorAndReportsIt() throws {
        let propagator = try SGP4Propagator(tle: SGP4VerificationSet.tle(33333))
        let times: [Double] = [0, 5, 10, 15, 20, 25, 30]
        let (states, failure) = propagator.propagate(minutesSinceEpoch: times)
        #expect(states.count == 5)
        #expect(
            failure == SGP4Propagator.BatchFailure(index: 5, minutesSinceEpoch: 25, error: .negativeSemiLatusRectum))
        for (time, state) in zip(times, states) {
            #expect(try propagator.propagate(minutesSinceEpoch: time) == state)
        }
    }
}
