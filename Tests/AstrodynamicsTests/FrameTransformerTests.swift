import Foundation
import Testing

@testable import Astrodynamics

// Reference values:
// - Vallado et al. 2006 (AIAA 2006-6753) / Vallado 4th ed. Examples 3-14 and 3-15: 2004-04-06 07:51:28.386009 UTC,
//   r_TEME = (5094.18016210, 6127.64465950, 6380.34453270) km, v_TEME = (−4.746131487, 0.785818041, 5.531931288)
//   km/s, EOP xp = −0.140682″, yp = 0.333309″, UT1−UTC = −0.4399619 s, LOD = 1.5563 ms, dψ = −0.052195″,
//   dε = −0.003875″ (IAU 1980), ΔAT = 32 s. Published: r_ITRF = (−1033.4793830, 7901.2952754, 6380.3565958),
//   v_ITRF = (−3.225636520, −2.872451450, 5.531924446); FK5 r_GCRF = (5102.5089579, 6123.0114007, 6378.1369282),
//   v_GCRF = (−4.7432201570, 0.7905364970, 5.5337557270); r_J2000 (no corrections) = (5102.5096, 6123.01152,
//   6378.1363). Vallado's UT1 Julian date is one Double (±40 µs), hence the 1 cm tolerance on ITRF.
// - Fixtures/frames/astropy-teme-2016-leap-second.csv: astropy 8.0.2 TEME → GCRS/ITRS (make_astropy_reference.py).

private let valladoEpoch = "2004-04-06T07:51:28.386009Z"
private let valladoTEME = CartesianState(
    positionKilometres: SIMD3(5094.18016210, 6127.64465950, 6380.34453270),
    velocityKilometresPerSecond: SIMD3(-4.746131487, 0.785818041, 5.531931288))

/// Vallado's EOP as an IAU 1980 table (two days, constant values).
private func valladoEOP(_ model: EarthOrientationData.PoleOffsetModel = .iau1980) throws -> EarthOrientationData {
    let rows = (53101...53102).map {
        EarthOrientationData.Row(
            modifiedJulianDate: $0, ut1MinusUTCSeconds: -0.4399619, lengthOfDayExcessSeconds: 0.0015563,
            polarMotionXArcseconds: -0.140682, polarMotionYArcseconds: 0.333309, poleOffset1Arcseconds: -0.052195,
            poleOffset2Arcseconds: -0.003875)
    }
    return try EarthOrientationData(rows: rows, poleOffsetModel: model)
}

private func separation(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
    ((a - b) * (a - b)).sum().squareRoot()
}

@Suite struct FrameTransformerTests {
    @Test func valladoTEMEToITRF() throws {
        let transformer = FrameTransformer(eop: try valladoEOP())
        let itrf = transformer.transform(valladoTEME, from: .teme, to: .itrf, at: try Epoch(iso8601: valladoEpoch))
        #expect(separation(itrf.positionKilometres, SIMD3(-1033.4793830, 7901.2952754, 6380.3565958)) < 1e-5)  // 1 cm
        let published = SIMD3(-3.225636520, -2.872451450, 5.531924446)
        #expect(separation(itrf.velocityKilometresPerSecond, published) < 1e-6)
    }

    @Test func valladoTEMEToGCRFWithIAU1980Corrections() throws {
        let epoch = try Epoch(iso8601: valladoEpoch)
        let gcrf = FrameTransformer(eop: try valladoEOP()).transform(valladoTEME, from: .teme, to: .gcrf, at: epoch)
        #expect(separation(gcrf.positionKilometres, SIMD3(5102.5089579, 6123.0114007, 6378.1369282)) < 1e-6)
        #expect(separation(gcrf.velocityKilometresPerSecond, SIMD3(-4.7432201570, 0.7905364970, 5.5337557270)) < 1e-9)
        let fk5 = FrameTransformer(eop: try valladoEOP(), eme2000: .iau1976Uncorrected)
        let j2000 = fk5.transform(valladoTEME, from: .teme, to: .eme2000, at: epoch)
        #expect(separation(j2000.positionKilometres, SIMD3(5102.5096, 6123.01152, 6378.1363)) < 1e-6)
    }

    @Test func poleOffsetsConvertBetweenModels() throws {
        // The finals2000A row for 2004-04-06 gives dX, dY; IERS finals.all (IAU 1980) gave dψ = −52.195 mas,
        // dε = −3.875 mas (Vallado's values). IAU 2000B places the pole to ~0.5 mas.
        let eop = try EarthOrientationData(finalsFile: TimeFixtures.path("time/finals2000A-2004-04.all"))
        let epoch = try Epoch(iso8601: valladoEpoch)
        let (dPsi, dEps) = eop.nutationCorrectionsIAU1980(at: epoch)
        #expect(abs(dPsi - -0.052195) < 0.0007)
        #expect(abs(dEps - -0.003875) < 0.0003)
        // And back: the IAU 1980 values give the table's dX, dY again.
        let p = eop.parameters(at: epoch)
        let rows = (53101...53102).map {
            EarthOrientationData.Row(
                modifiedJulianDate: $0, ut1MinusUTCSeconds: 0, lengthOfDayExcessSeconds: 0, polarMotionXArcseconds: 0,
                polarMotionYArcseconds: 0, poleOffset1Arcseconds: dPsi, poleOffset2Arcseconds: dEps)
        }
        let iau1980 = try EarthOrientationData(rows: rows, poleOffsetModel: .iau1980)
        let (dX, dY) = iau1980.celestialPoleOffsetsIAU2000A(at: epoch)
        // (to 2 µas: the dψ, dε ↔ dX, dY relation is linearised)
        #expect(abs(dX - p.poleOffset1Arcseconds) < 2e-6)
        #expect(abs(dY - p.poleOffset2Arcseconds) < 2e-6)
    }

    @Test func matchesAstropyAcrossTheLeapSecond() throws {
        let eop = try EarthOrientationData(finalsFile: TimeFixtures.path("time/finals2000A-2016-leap-second.all"))
        let transformer = FrameTransformer(eop: eop)
        let text = try String(
            contentsOfFile: TimeFixtures.path("frames/astropy-teme-2016-leap-second.csv"), encoding: .utf8)
        var count = 0
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",")
            let v = fields.dropFirst(2).map { Double($0)! }
            func state(_ offset: Int) -> CartesianState {
                CartesianState(
                    positionKilometres: SIMD3(v[offset], v[offset + 1], v[offset + 2]),
                    velocityKilometresPerSecond: SIMD3(v[offset + 3], v[offset + 4], v[offset + 5]))
            }
            let epoch = try Epoch(iso8601: String(fields[1]))
            let gcrf = transformer.transform(state(0), from: .teme, to: .gcrf, at: epoch)
            let itrf = transformer.transform(state(0), from: .teme, to: .itrf, at: epoch)
            // astropy's GCRS omits dX, dY (c2i06a); the rest is IAU 2000B vs 2000A (≤ 1 mas). Seen: ≤ 1.4 cm in
            // LEO, ≤ 7.5 cm in GEO.
            let gcrsTolerance = fields[0] == "GEO" ? 0.15e-3 : 0.03e-3
            #expect(separation(gcrf.positionKilometres, state(6).positionKilometres) < gcrsTolerance, "\(line)")
            #expect(separation(gcrf.velocityKilometresPerSecond, state(6).velocityKilometresPerSecond) < 1e-6)
            // Same model as astropy (GMST82 + polar motion): only the EOP interpolation inputs differ slightly
            // (astropy overwrites Bulletin B with its bundled C04 values).
            // Seen: ≤ 0.2 mm (in the leap second), ≤ 0.007 mm/s.
            #expect(separation(itrf.positionKilometres, state(12).positionKilometres) < 1e-6, "\(line)")
            #expect(separation(itrf.velocityKilometresPerSecond, state(12).velocityKilometresPerSecond) < 2e-8)
            count += 1
        }
        #expect(count == 20)
    }

    @Test func everyPairRoundTrips() throws {
        let eop = try EarthOrientationData(finalsFile: TimeFixtures.path("time/finals2000A-2016-leap-second.all"))
        let epoch = try Epoch(iso8601: "2016-12-31T23:59:60.5Z")
        for transformer in [
            FrameTransformer(eop: eop), FrameTransformer(), FrameTransformer(eop: eop, eme2000: .iau1976Uncorrected),
        ] {
            for from in Frame.allCases {
                for to in Frame.allCases {
                    let there = transformer.transform(valladoTEME, from: from, to: to, at: epoch)
                    let back = transformer.transform(there, from: to, to: from, at: epoch)
                    #expect(separation(back.positionKilometres, valladoTEME.positionKilometres) < 1e-9)
                    let velocity = valladoTEME.velocityKilometresPerSecond
                    #expect(separation(back.velocityKilometresPerSecond, velocity) < 1e-12)
                    // Via TEME or directly: the same change.
                    let viaTEME = transformer.transform(
                        transformer.transform(there, from: to, to: .teme, at: epoch), from: .teme, to: from, at: epoch)
                    #expect(separation(viaTEME.positionKilometres, back.positionKilometres) < 1e-9)
                }
            }
        }
    }

    @Test func eme2000IsGCRFWithTheFrameBias() throws {
        let epoch = try Epoch(iso8601: "2026-11-24T00:00:00Z")
        let transformer = FrameTransformer()
        let gcrf = transformer.transform(valladoTEME, from: .teme, to: .gcrf, at: epoch)
        let eme = transformer.transform(gcrf, from: .gcrf, to: .eme2000, at: epoch)
        // The bias is a fixed ~23 mas rotation: (ξ₀² + η₀² + dα₀²)^½ ≈ 23.0 mas ≈ 1.1e-7 rad.
        let angle =
            separation(eme.positionKilometres, gcrf.positionKilometres)
            / (gcrf.positionKilometres * gcrf.positionKilometres).sum().squareRoot()
        #expect(angle > 0.3e-7 && angle < 1.2e-7)
        #expect(separation(Precession.frameBias * gcrf.positionKilometres, eme.positionKilometres) < 1e-11)
        // The uncorrected FK5 chain drifts from it by the IAU 1976/1980 model errors (tens of mas by 2026).
        let fk5 = FrameTransformer(eme2000: .iau1976Uncorrected).transform(
            valladoTEME, from: .teme, to: .eme2000, at: epoch)
        let drift = separation(fk5.positionKilometres, eme.positionKilometres) / 9_999.0 / (Angle.milliarcsecond)
        #expect(drift > 5 && drift < 60)
    }

    @Test func withoutEOPTheEarthTurnsWithUTC() throws {
        let epoch = try Epoch(iso8601: "2026-11-24T00:00:00Z")
        let zeros = try EarthOrientationData(
            rows: (61367...61369).map {
                EarthOrientationData.Row(
                    modifiedJulianDate: $0, ut1MinusUTCSeconds: 0, lengthOfDayExcessSeconds: 0,
                    polarMotionXArcseconds: 0,
                    polarMotionYArcseconds: 0)
            })
        for frame in Frame.allCases {
            let a = FrameTransformer().transform(valladoTEME, from: .teme, to: frame, at: epoch)
            let b = FrameTransformer(eop: zeros).transform(valladoTEME, from: .teme, to: frame, at: epoch)
            #expect(separation(a.positionKilometres, b.positionKilometres) < 1e-12)
            #expect(separation(a.velocityKilometresPerSecond, b.velocityKilometresPerSecond) < 1e-15)
        }
    }

    @Test func ephemerisBatchesMatchSingleStates() throws {
        let eop = try EarthOrientationData(finalsFile: TimeFixtures.path("time/finals2000A-2016-leap-second.all"))
        let transformer = FrameTransformer(eop: eop)
        let start = try Epoch(iso8601: "2016-12-31T00:00:00Z")
        let epochs = (0...1440).map { start.adding(nanoseconds: Int64($0) * 60_000_000_000) }
        let states = epochs.indices.map { i in
            CartesianState(
                positionKilometres: SIMD3(42_164 * cos(Double(i) / 229), 42_164 * sin(Double(i) / 229), 10),
                velocityKilometresPerSecond: SIMD3(-3.07 * sin(Double(i) / 229), 3.07 * cos(Double(i) / 229), 0))
        }
        for (from, to) in [(Frame.teme, Frame.gcrf), (.teme, .eme2000), (.teme, .itrf), (.itrf, .gcrf), (.gcrf, .teme)]
        {
            let batch = transformer.transform(states, from: from, to: to, at: epochs)
            for i in stride(from: 0, to: states.count, by: 7) {
                let single = transformer.transform(states[i], from: from, to: to, at: epochs[i])
                #expect(separation(batch[i].positionKilometres, single.positionKilometres) < 2e-6)  // 2 mm at GEO
                #expect(separation(batch[i].velocityKilometresPerSecond, single.velocityKilometresPerSecond) < 1e-9)
            }
            // An epoch gives the same answer whatever batch it is in (fixed interpolation grid).
            let alone = transformer.transform([states[700]], from: from, to: to, at: [epochs[700]])
            #expect(alone[0] == batch[700])
        }
    }
}
