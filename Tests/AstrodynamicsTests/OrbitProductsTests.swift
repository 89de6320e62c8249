import CCSDS
import Testing

@testable import Astrodynamics

@Suite struct OrbitProductsTests {
    /// ISS (ZARYA) as CelesTrak distributed it (epoch 2008-09-20; the TLE of the CelesTrak format FAQ).
    static let iss = """
        ISS (ZARYA)
        1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927
        2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537
        """

    static func issPropagator() throws -> (TLE, SGP4Propagator) {
        let parsed = TLECatalogue.parse(iss)
        let tle = try #require(parsed.sets.first)
        return (tle, try SGP4Propagator(elements: SGP4Elements(tle: tle)))
    }

    @Test func lagrangeOfDegreeEightOnASixtySecondSGP4EphemerisReproducesSGP4WithinOneMetreInLEO() throws {
        let (_, propagator) = try Self.issPropagator()
        let start = try propagator.epoch()
        let grid = try SGP4Propagator.grid(from: start, to: start.adding(seconds: 86_400), stepSeconds: 60)
        let ephemeris = propagator.sample(at: grid)
        #expect(ephemeris.count == 1441 && ephemeris.failure == nil)
        let lagrange = try LagrangeInterpolator(degree: 8)
        let hermite = try HermiteInterpolator(degree: 7)
        let interpolated = try ephemeris.interpolation()
        var worstLagrange = 0.0
        var worstHermite = 0.0
        // Between the samples (the worst place), over the whole day, ends included.
        for k in stride(from: 0, to: 1440 * 60, by: 37) {
            let epoch = start.adding(seconds: Double(k) + 0.5)
            let truth = try propagator.state(at: epoch).positionKilometres
            let viaLagrange = try interpolated.state(at: epoch, interpolator: lagrange).positionKilometres
            let viaHermite = try interpolated.state(at: epoch, interpolator: hermite).positionKilometres
            worstLagrange = max(worstLagrange, ((viaLagrange - truth) * (viaLagrange - truth)).sum().squareRoot())
            worstHermite = max(worstHermite, ((viaHermite - truth) * (viaHermite - truth)).sum().squareRoot())
        }
        #expect(worstLagrange < 0.001, "Lagrange 8: worst \(worstLagrange * 1000) m")
        #expect(worstHermite < 0.001, "Hermite 7: worst \(worstHermite * 1000) m")
    }

    @Test func interpolationOutsideTheEphemerisIsAnError() throws {
        let (_, propagator) = try Self.issPropagator()
        let start = try propagator.epoch()
        let ephemeris = propagator.sample(
            at: try SGP4Propagator.grid(from: start, to: start.adding(seconds: 3600), stepSeconds: 60))
        #expect(throws: InterpolationError.self) {
            try ephemeris.interpolation().state(
                at: start.adding(seconds: 3601), interpolator: LagrangeInterpolator(degree: 8))
        }
    }

    @Test func gridIncludesTheStopAndRejectsBadSteps() throws {
        let start = try Epoch(iso8601: "2026-01-01T00:00:00Z")
        let grid = try SGP4Propagator.grid(from: start, to: start.adding(seconds: 600), stepSeconds: 60)
        #expect(grid.count == 11 && grid.last == start.adding(seconds: 600))
        #expect(throws: SamplingError.invalidStep(seconds: 0)) {
            try SGP4Propagator.grid(from: start, to: start.adding(seconds: 600), stepSeconds: 0)
        }
        #expect(throws: SamplingError.stopBeforeStart) {
            try SGP4Propagator.grid(from: start, to: start.adding(seconds: -1), stepSeconds: 60)
        }
        #expect(throws: SamplingError.self) {
            try SGP4Propagator.grid(from: start, to: start.adding(seconds: 86_400 * 365), stepSeconds: 0.001)
        }
    }

    @Test func oemSegmentRoundTripsThroughKVNWithTheSameStates() throws {
        let (tle, propagator) = try Self.issPropagator()
        let start = try propagator.epoch()
        let ephemeris = propagator.sample(
            at: try SGP4Propagator.grid(from: start, to: start.adding(seconds: 7200), stepSeconds: 60), in: .gcrf)
        let segment = try OrbitProducts.oemSegment(ephemeris, object: ObjectIdentity(tle: tle))
        let message = OrbitProducts.oem(segments: [segment], creationDate: start, originator: "ESSOR")
        let kvn = try MessageWriter.write(message, as: .kvn)
        let read = MessageReader.read(kvn, encoding: .kvn)
        #expect(read.diagnostics.isEmpty, "\(read.diagnostics)")
        let back = try #require(read.message)
        #expect(back.segments[0].metadata["REF_FRAME"]?.text == "GCRF")
        #expect(back.segments[0].metadata["OBJECT_ID"]?.text == "1998-067A")
        #expect(back.segments[0].metadata["OBJECT_NAME"]?.text == "ISS (ZARYA)")
        let lines = back.segments[0].ephemeris
        #expect(lines.count == 121)
        for index in 0..<lines.count {
            let state = lines[index]
            let expected = ephemeris.states[index]
            #expect(state.positionKilometres.0 == expected.positionKilometres.x)
            #expect(state.velocityKilometresPerSecond.2 == expected.velocityKilometresPerSecond.z)
            #expect(try Epoch(state.epoch, in: .utc) == ephemeris.epochs[index])
        }
    }

    @Test func opmHoldsOneStateAndValidates() throws {
        let (tle, propagator) = try Self.issPropagator()
        let epoch = try propagator.epoch().adding(seconds: 90)
        let state = try propagator.state(at: epoch, in: .eme2000)
        let message = OrbitProducts.opm(
            state: state, at: epoch, frame: .eme2000, object: ObjectIdentity(tle: tle), creationDate: epoch,
            originator: "ESSOR")
        let xml = try MessageWriter.write(message, as: .xml)
        let read = MessageReader.read(xml, encoding: .xml)
        #expect(read.diagnostics.isEmpty, "\(read.diagnostics)")
        let vector = try #require(read.message?.segments.first?.data.children.first)
        #expect(vector["X"]?.double == state.positionKilometres.x)
    }

    @Test func fractionDigitsAreTheFewestThatWriteEveryEpochExactly() throws {
        let start = try Epoch(iso8601: "2026-01-01T00:00:00Z")
        #expect(OrbitProducts.fractionDigits([start, start.adding(seconds: 60)]) == 0)
        #expect(OrbitProducts.fractionDigits([start, start.adding(seconds: 0.25)]) == 3)
        #expect(OrbitProducts.fractionDigits([start.adding(nanoseconds: 1_000)]) == 6)
        #expect(OrbitProducts.fractionDigits([start.adding(nanoseconds: 1)]) == 9)
    }
}
