import Foundation
import Testing

@testable import Astrodynamics

// Reference values: IERS Bulletin C (TAI−UTC), IAU 1991 (TT = TAI + 32.184 s), IS-GPS-200 (GPS = TAI − 19 s);
// Vallado 4th ed. Example 3-7 (2004-05-14 16:43 UTC); TDB−TT from ERFA `dtdb` (full Fairhead & Bretagnon series,
// geocentre), computed with pyerfa 2.0.1.5.

private func epoch(_ text: String, _ scale: TimeScale = .utc) throws -> Epoch {
    try Epoch(iso8601: text, in: scale)
}

@Suite struct TimeScaleTests {
    @Test func j2000ReadsInEveryScale() {
        let j2000 = Epoch.j2000TAI
        #expect(j2000.iso8601(in: .tai) == "2000-01-01T12:00:00.000")
        #expect(j2000.iso8601(in: .tt) == "2000-01-01T12:00:32.184")
        #expect(j2000.iso8601(in: .utc) == "2000-01-01T11:59:28.000Z")
        #expect(j2000.iso8601(in: .gps) == "2000-01-01T11:59:41.000")
        #expect(j2000.description == "2000-01-01T11:59:28.000Z")
    }

    @Test func fixedOffsetsAreExact() throws {
        let text = "2026-11-24T12:00:00.123456789"
        let tai = try epoch(text, .tai)
        #expect(try epoch(text, .tt).nanoseconds(since: tai) == -32_184_000_000)
        #expect(try epoch(text, .gps).nanoseconds(since: tai) == 19_000_000_000)
        #expect(try epoch(text + "Z").nanoseconds(since: tai) == 37_000_000_000)
        #expect(
            tai.components(in: .tt)
                == CalendarComponents(
                    year: 2026, month: 11, day: 24, hour: 12, minute: 0, second: 32, nanosecond: 307_456_789))
    }

    @Test func leapSecondIsAnOrdinarySecondOfTAI() throws {
        let before = try epoch("2016-12-31T23:59:59Z")
        let leap = try epoch("2016-12-31T23:59:60Z")
        let after = try epoch("2017-01-01T00:00:00Z")
        #expect(leap.nanoseconds(since: before) == 1_000_000_000)
        #expect(after.nanoseconds(since: leap) == 1_000_000_000)
        #expect(leap.components(in: .utc).second == 60)
        #expect(leap.iso8601(fractionDigits: 0) == "2016-12-31T23:59:60Z")
        #expect(after.iso8601(in: .tai, fractionDigits: 0) == "2017-01-01T00:00:37")
        #expect(before.iso8601(in: .tai, fractionDigits: 0) == "2017-01-01T00:00:35")
        #expect(try epoch("2016-12-31T23:59:60.5Z").adding(seconds: 0.5) == after)
    }

    @Test func secondSixtyOnlyInALeapSecond() {
        for text in ["2017-12-31T23:59:60Z", "2016-12-31T23:58:60Z", "2016-06-30T23:59:60Z"] {
            #expect(throws: TimeError.self) { try epoch(text) }
        }
        #expect(throws: TimeError.self) { try epoch("2016-12-31T23:59:60", .tai) }
        #expect((try? epoch("2015-06-30T23:59:60Z")) != nil)
        #expect((try? epoch("1972-06-30T23:59:60Z")) != nil)
    }

    @Test func roundingCarriesThroughTheLeapSecond() throws {
        #expect(try epoch("2016-12-31T23:59:59.9996Z").iso8601() == "2016-12-31T23:59:60.000Z")
        #expect(try epoch("2016-12-31T23:59:60.9996Z").iso8601() == "2017-01-01T00:00:00.000Z")
        #expect(try epoch("2017-06-30T23:59:59.9996Z").iso8601() == "2017-07-01T00:00:00.000Z")
        #expect(try epoch("2017-06-30T23:59:59.9994Z").iso8601() == "2017-06-30T23:59:59.999Z")
        #expect(try epoch("2026-12-31T23:59:59.5", .tt).iso8601(in: .tt, fractionDigits: 0) == "2027-01-01T00:00:00")
    }

    @Test func builtInLeapSecondsMatchTheIERSFile() throws {
        let table = LeapSecondTable.builtIn
        #expect(table.taiMinusUTCSeconds(onModifiedJulianDate: 41317) == 10)
        #expect(table.taiMinusUTCSeconds(onModifiedJulianDate: 57753) == 36)
        #expect(table.taiMinusUTCSeconds(onModifiedJulianDate: 57754) == 37)
        #expect(table.taiMinusUTCSeconds(onModifiedJulianDate: 61368) == 37)
        #expect(table.entries.count == 28)
        let file = try LeapSecondTable(contentsOfFile: TimeFixtures.path("time/Leap_Second.dat"))
        #expect(file.entries == table.entries)
        #expect(file.expiresOnModifiedJulianDate == 61584)  // 28 June 2027
        #expect(table.expiresOnModifiedJulianDate == file.expiresOnModifiedJulianDate)
    }

    @Test func leapSecondFileErrorsNameTheLine() {
        let path = TimeFixtures.path("time/Leap_Second-invalid-date.dat")
        #expect {
            try LeapSecondTable(contentsOfFile: path)
        } throws: { error in
            guard case .malformedFile(let file, let line, _) = error as? TimeError else { return false }
            return file == path && line == 16
        }
        #expect(throws: TimeError.self) { try LeapSecondTable(leapSecondFileText: "# nothing\n") }
        #expect(throws: TimeError.self) { try LeapSecondTable(leapSecondFileText: "41317.0 1 1 1972\n") }
    }

    @Test func aLoadedTableChangesUTC() throws {
        // A hypothetical leap second at the end of 2027 (an extra row, as a future Leap_Second.dat would add).
        var entries = LeapSecondTable.builtIn.entries
        entries.append(.init(modifiedJulianDate: 61771, taiMinusUTCSeconds: 38))  // 2028-01-01
        let table = try LeapSecondTable(entries: entries)
        let leap = try Epoch(iso8601: "2027-12-31T23:59:60Z", leapSeconds: table)
        #expect(leap.iso8601(leapSeconds: table) == "2027-12-31T23:59:60.000Z")
        #expect(leap.iso8601() == "2028-01-01T00:00:00.000Z")
        #expect(throws: TimeError.self) { try Epoch(iso8601: "2027-12-31T23:59:60Z") }
    }

    @Test func utcBefore1972IsRejectedAndReadWithTenSeconds() throws {
        #expect {
            try epoch("1971-12-31T23:59:59Z")
        } throws: { error in
            if case .utcBefore1972 = error as? TimeError { return true }
            return false
        }
        let tai = try epoch("1970-01-01T00:00:10", .tai)
        #expect(tai.iso8601() == "1970-01-01T00:00:00.000Z")
        #expect(try epoch("1972-01-01T00:00:00Z").iso8601(in: .tai) == "1972-01-01T00:00:10.000")
    }

    @Test func dayOfYearForm() throws {
        let calendar = try epoch("2026-11-24T12:00:00.123Z")
        #expect(try epoch("2026-328T12:00:00.123Z") == calendar)
        #expect(calendar.iso8601(dayOfYear: true) == "2026-328T12:00:00.123Z")
        #expect(try epoch("2024-366T00:00:00Z") == epoch("2024-12-31T00:00:00Z"))
        #expect(throws: TimeError.self) { try epoch("2026-366T00:00:00Z") }
        #expect(try epoch("2026-001") == epoch("2026-01-01T00:00:00Z"))
    }

    @Test func iso8601RoundTripsToTheNanosecond() throws {
        var generator = SystemRandomNumberGenerator()
        let first = try epoch("1972-01-01T00:00:00Z").taiNanosecondsSinceJ2000
        let last = try epoch("2100-01-01T00:00:00Z").taiNanosecondsSinceJ2000
        let eop = try EarthOrientationData(finalsFile: TimeFixtures.path("time/finals2000A-2016-leap-second.all"))
        for _ in 0..<2000 {
            let instant = Epoch(taiNanosecondsSinceJ2000: Int64.random(in: first...last, using: &generator))
            for scale in TimeScale.allCases {
                let text = instant.iso8601(in: scale, fractionDigits: 9, eop: eop)
                let back = try Epoch(iso8601: text, in: scale, eop: eop)
                let tolerance: Int64 = scale == .tdb || scale == .ut1 ? 1 : 0
                #expect(abs(back.nanoseconds(since: instant)) <= tolerance, "\(scale) \(text)")
            }
        }
    }

    @Test func fractionsBeyondNanosecondsRound() throws {
        let base = try epoch("2026-11-24T12:00:00Z")
        #expect(try epoch("2026-11-24T12:00:00.1234567894Z").nanoseconds(since: base) == 123_456_789)
        #expect(try epoch("2026-11-24T12:00:00.1234567895Z").nanoseconds(since: base) == 123_456_790)
        #expect(try epoch("2026-11-24T12:00:00.5Z").nanoseconds(since: base) == 500_000_000)
        #expect(try epoch("2016-12-31T23:59:60.9999999999Z") == epoch("2017-01-01T00:00:00Z"))
    }

    @Test func malformedTextIsRejected() {
        let bad = [
            "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-11-24T25:00:00Z", "2026-11-24 12:00:00Z",
            "2026-11-24T12:00:00+01:00", "26-11-24", "2026-11-24T12:00:00.Z", "2026-11-24T12", "",
            "2026-11-24T12:60:00Z",
            "2026-11-24T24:00:01Z",
        ]
        for text in bad {
            #expect(throws: TimeError.self, "\(text)") { try Epoch(iso8601: text) }
        }
        #expect(throws: TimeError.self) { try Epoch(iso8601: "2026-11-24T12:00:00Z", in: .tai) }
    }

    @Test func hour24IsTheEndOfTheDay() throws {
        #expect(try epoch("2026-11-24T24:00:00Z") == epoch("2026-11-25T00:00:00Z"))
        #expect(try epoch("2016-12-31T24:00:00Z") == epoch("2017-01-01T00:00:00Z"))
        #expect(try epoch("2026-11-24T24:00:00", .tt) == epoch("2026-11-25T00:00:00", .tt))
    }

    @Test func julianDates() throws {
        let j2000TT = try epoch("2000-01-01T12:00:00", .tt)
        #expect(j2000TT.julianDate(in: .tt) == (2_451_544.5, 0.5))
        #expect(j2000TT.modifiedJulianDate(in: .tt) == (51544, 0.5))
        let leap = try epoch("2016-12-31T23:59:60Z")
        #expect(leap.julianDate(in: .utc) == (2_457_753.5, 86_400.0 / 86_401.0))
        for scale in TimeScale.allCases where scale != .ut1 {
            let jd = leap.julianDate(in: scale)
            let back = try Epoch(julianDate: jd.day, fraction: jd.fraction, in: scale)
            #expect(abs(back.nanoseconds(since: leap)) <= 1, "\(scale)")
        }
        // A different split of the same date.
        #expect(try Epoch(julianDate: 2_451_545.0, fraction: 0, in: .tt) == j2000TT)
        #expect(try Epoch(julianDate: 2_451_000.0, fraction: 545.0, in: .tt) == j2000TT)
    }

    @Test func tdbFollowsTheFairheadBretagnonSeries() {
        // (TT centuries, ERFA dtdb seconds)
        let cases: [(Double, Double)] = [
            (0.04367412103075012, 0.0012386509911609103), (0.2689664613278576, -0.0010600391614068723),
            (0.0, -9.930719894379447e-05), (-0.19503080082135524, 7.324235012715085e-05),
            (1.0016016427104724, 0.0013674931800480258),
        ]
        for (t, expected) in cases {
            #expect(abs(Epoch.tdbMinusTTSeconds(ttCenturiesSinceJ2000: t) - expected) < 15e-6)
        }
    }

    @Test func valladoExample3_7() throws {
        // 2004-05-14 16:43 UTC, ΔUT1 = −0.463326 s, ΔAT = 32 s (Vallado 4th ed. Example 3-7).
        let rows = (53138...53141).map {
            EarthOrientationData.Row(
                modifiedJulianDate: $0, ut1MinusUTCSeconds: -0.463326, lengthOfDayExcessSeconds: 0,
                polarMotionXArcseconds: 0, polarMotionYArcseconds: 0)
        }
        let eop = try EarthOrientationData(rows: rows)
        let utc = try epoch("2004-05-14T16:43:00Z")
        #expect(utc.iso8601(in: .ut1, fractionDigits: 4, eop: eop) == "2004-05-14T16:42:59.5367")
        #expect(utc.iso8601(in: .tai, fractionDigits: 4) == "2004-05-14T16:43:32.0000")
        #expect(utc.iso8601(in: .gps, fractionDigits: 4) == "2004-05-14T16:43:13.0000")
        #expect(utc.iso8601(in: .tt, fractionDigits: 4) == "2004-05-14T16:44:04.1840")
        #expect(utc.iso8601(in: .tdb, fractionDigits: 4) == "2004-05-14T16:44:04.1852")
        let jdTT = utc.julianDate(in: .tt)
        #expect(abs(jdTT.day + jdTT.fraction - 2_453_140.197270648) < 1e-9)
        #expect(abs(utc.ttCenturiesSinceJ2000 - 0.043674121031) < 1e-12)
        let jdUT1 = utc.julianDate(in: .ut1, eop: eop)
        #expect(abs((jdUT1.day - 2_451_545) + jdUT1.fraction - (2_453_140.196522415 - 2_451_545)) < 1e-9)
    }

    @Test func arithmeticIsExact() throws {
        let start = try epoch("2026-11-24T00:00:00Z")
        #expect(start.adding(seconds: 0.1).nanoseconds(since: start) == 100_000_000)
        #expect(start.adding(seconds: -1.5).nanoseconds(since: start) == -1_500_000_000)
        #expect(start.adding(seconds: 86_400 * 365.25).nanoseconds(since: start) == 31_557_600_000_000_000)
        let later = start.adding(nanoseconds: 1)
        #expect(later > start)
        #expect(later.seconds(since: start) == 1e-9)
        #expect(start.adding(nanoseconds: 123_456_789_123_456_789).seconds(since: start) == 123_456_789.123456789)
        #expect(Set([start, start.adding(nanoseconds: 0), later]).count == 2)
    }
}
