import Foundation
import Testing

@testable import Astrodynamics

// Fixtures under Fixtures/time/ are verbatim extracts of the IERS files shipped in astropy-iers-data
// 0.2026.11.2.0.34.55 (finals2000A.all, eopc04.1962-now), around the 2016-12-31 leap second, around
// 2004-04-06 (Vallado's example date) and at the end of the predictions; the `-invalid-` files each break one line.

private func finals(_ name: String, bulletin: EarthOrientationData.Bulletin = .bWhereAvailable) throws
    -> EarthOrientationData
{
    try EarthOrientationData(finalsFile: TimeFixtures.path("time/\(name)"), bulletin: bulletin)
}

private func isMalformed(_ error: any Error, line expected: Int) -> Bool {
    guard case .malformedFile(_, let line, _) = error as? TimeError else { return false }
    return line == expected
}

@Suite struct TimeEarthOrientationTests {
    @Test func finalsRowsTakeBulletinBWhereGiven() throws {
        let eop = try finals("finals2000A-2016-leap-second.all")
        #expect(eop.count == 22)
        #expect(eop.firstModifiedJulianDate == 57742)
        #expect(eop.lastModifiedJulianDate == 57763)
        // 161220: Bulletin B PM-x 0.106552", PM-y 0.266044", UT1-UTC -0.3965651 s, dX -0.031 mas, dY -0.146 mas;
        // Bulletin A PM-x .106395", PM-y .266002", UT1-UTC -.3965624 s, LOD 1.2811 ms, dX -0.040 mas.
        let first = eop.row(0)
        #expect(first.polarMotionXArcseconds == 0.106552)
        #expect(first.polarMotionYArcseconds == 0.266044)
        #expect(first.ut1MinusUTCSeconds == -0.3965651)
        #expect(abs(first.lengthOfDayExcessSeconds - 0.0012811) < 1e-15)
        #expect(abs(first.poleOffset1Arcseconds - -0.000031) < 1e-15)
        #expect(abs(first.poleOffset2Arcseconds - -0.000146) < 1e-15)
        let a = try finals("finals2000A-2016-leap-second.all", bulletin: .a)
        #expect(a.row(0).ut1MinusUTCSeconds == -0.3965624)
        #expect(a.row(0).polarMotionXArcseconds == 0.106395)
        #expect(abs(a.row(0).poleOffset1Arcseconds - -0.000040) < 1e-15)
    }

    @Test func c04AgreesWithFinals() throws {
        let c04 = try EarthOrientationData(c04File: TimeFixtures.path("time/eopc04-2016-leap-second.txt"))
        let finals = try finals("finals2000A-2016-leap-second.all")
        #expect(c04.count == 22)
        #expect(c04.firstModifiedJulianDate == 57742)
        for i in 0..<c04.count {
            let (c, f) = (c04.row(i), finals.row(i))
            #expect(abs(c.ut1MinusUTCSeconds - f.ut1MinusUTCSeconds) < 1e-4)
            #expect(abs(c.polarMotionXArcseconds - f.polarMotionXArcseconds) < 1e-3)
            #expect(abs(c.polarMotionYArcseconds - f.polarMotionYArcseconds) < 1e-3)
            #expect(abs(c.lengthOfDayExcessSeconds - f.lengthOfDayExcessSeconds) < 1e-4)
            #expect(abs(c.poleOffset1Arcseconds - f.poleOffset1Arcseconds) < 1e-3)
        }
    }

    @Test func ut1InterpolatesAcrossTheLeapSecond() throws {
        let eop = try finals("finals2000A-2016-leap-second.all")
        let before = eop.row(57753 - 57742).ut1MinusUTCSeconds  // 2016-12-31, ≈ −0.41 s
        let after = eop.row(57754 - 57742).ut1MinusUTCSeconds  // 2017-01-01, ≈ +0.59 s
        #expect(after - before > 0.99)
        let noon = try Epoch(iso8601: "2016-12-31T12:00:00Z")
        // The leap-second day lasts 86401 s, so noon is 43200/86401 of it.
        let weight = 43_200.0 / 86_401.0
        #expect(abs(eop.ut1MinusUTCSeconds(at: noon) - (before + weight * (after - 1 - before))) < 1e-12)
        #expect(eop.ut1MinusUTCSeconds(at: try Epoch(iso8601: "2017-01-01T00:00:00Z")) == after)
        // UT1 runs on through the leap second: two SI seconds from 23:59:59.5 to 00:00:00.5 are ~2 s of UT1.
        let a = try Epoch(iso8601: "2016-12-31T23:59:59.5Z")
        let b = try Epoch(iso8601: "2017-01-01T00:00:00.5Z")
        let ut1A = a.reading(in: .ut1, leapSeconds: .builtIn, eop: eop)
        let ut1B = b.reading(in: .ut1, leapSeconds: .builtIn, eop: eop)
        #expect(abs(Double(ut1B - ut1A) * 1e-9 - 2) < 1e-6)
        let mid = try Epoch(iso8601: "2016-12-31T23:59:60.5Z").reading(in: .ut1, leapSeconds: .builtIn, eop: eop)
        #expect(abs(Double(mid - ut1A) * 1e-9 - 1) < 1e-6)
    }

    @Test func parametersInterpolateLinearlyAndClampOutside() throws {
        let eop = try finals("finals2000A-2016-leap-second.all")
        let p = eop.parameters(at: try Epoch(iso8601: "2016-12-25T06:00:00Z"))
        let (r0, r1) = (eop.row(5), eop.row(6))
        #expect(
            abs(p.polarMotionXArcseconds - (0.75 * r0.polarMotionXArcseconds + 0.25 * r1.polarMotionXArcseconds))
                < 1e-15)
        #expect(
            abs(p.poleOffset2Arcseconds - (0.75 * r0.poleOffset2Arcseconds + 0.25 * r1.poleOffset2Arcseconds)) < 1e-15)
        let late = try Epoch(iso8601: "2020-01-01T00:00:00Z")
        #expect(!eop.covers(late))
        #expect(eop.covers(try Epoch(iso8601: "2016-12-25T06:00:00Z")))
        #expect(eop.parameters(at: late).ut1MinusUTCSeconds == eop.row(eop.count - 1).ut1MinusUTCSeconds)
        #expect(eop.parameters(at: try Epoch(iso8601: "2010-01-01T00:00:00Z")).polarMotionXArcseconds == 0.106552)
    }

    @Test func predictionsEndAtTheBlankTailAndDeriveLOD() throws {
        let eop = try finals("finals2000A-predictions.all")
        #expect(eop.count == 10)
        #expect(eop.lastModifiedJulianDate == 61707)
        // LOD is blank in predictions: −d(UT1−UTC)/dt, central differences inside, one-sided at the ends.
        let u = (0..<eop.count).map { eop.row($0).ut1MinusUTCSeconds }
        #expect(abs(eop.row(0).lengthOfDayExcessSeconds - -(u[1] - u[0])) < 1e-15)
        #expect(abs(eop.row(4).lengthOfDayExcessSeconds - -(u[5] - u[3]) / 2) < 1e-15)
        #expect(abs(eop.row(9).lengthOfDayExcessSeconds - -(u[9] - u[8])) < 1e-15)
        #expect(eop.row(9).poleOffset1Arcseconds == 0)
    }

    @Test func malformedFilesNameTheLine() {
        #expect { try finals("finals2000A-invalid-number.all") } throws: { isMalformed($0, line: 5) }
        #expect { try finals("finals2000A-invalid-missing-day.all") } throws: { isMalformed($0, line: 8) }
        #expect {
            try EarthOrientationData(c04File: TimeFixtures.path("time/eopc04-invalid-short-line.txt"))
        } throws: { isMalformed($0, line: 9) }
        #expect(throws: TimeError.self) { try EarthOrientationData(finalsFile: TimeFixtures.path("time/missing.all")) }
        #expect(throws: TimeError.self) { try EarthOrientationData(finalsText: "\n\n") }
        let error = TimeError.malformedFile(file: "f.all", line: 5, message: "bad")
        #expect(error.description == "f.all:5: error: bad")
    }

    @Test(.enabled(if: TimeFixtures.hasIERSData)) func fullIERSFilesLoad() throws {
        let finals = try EarthOrientationData(
            finalsFile: TimeFixtures.iersData.appendingPathComponent("finals2000A.all").path)
        #expect(finals.firstModifiedJulianDate == 41684)
        #expect(finals.count > 19_000)
        let c04 = try EarthOrientationData(
            c04File: TimeFixtures.iersData.appendingPathComponent("eopc04.1962-now").path)
        #expect(c04.firstModifiedJulianDate == 37665)
        #expect(c04.count > 23_000)
        let leap = try LeapSecondTable(
            contentsOfFile: TimeFixtures.iersData.appendingPathComponent("Leap_Second.dat").path)
        #expect(leap.entries == LeapSecondTable.builtIn.entries)
    }
}
