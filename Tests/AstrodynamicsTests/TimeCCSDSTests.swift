import CCSDS
import Foundation
import Testing

@testable import Astrodynamics

// Products/Epoch+CCSDS.swift: CCSDS epochs (text fraction digits, calendar or day-of-year form) to exact instants
// and back, in each CCSDS TIME_SYSTEM (CCSDS 502.0-B-3 Annex B).

@Suite struct TimeCCSDSTests {
    @Test func ccsdsTimeSystemsMapToScales() {
        for scale in TimeScale.allCases {
            #expect(TimeScale(ccsdsTimeSystem: scale.ccsdsTimeSystem) == scale)
        }
        #expect(TimeScale(ccsdsTimeSystem: "utc") == .utc)
        #expect(TimeScale(ccsdsTimeSystem: "TDT") == .tt)
        #expect(TimeScale(ccsdsTimeSystem: "TCB") == nil)
        #expect(TimeScale(ccsdsTimeSystem: "MET") == nil)
    }

    @Test func fractionDigitsAreExact() throws {
        let ccsds = CCSDSEpoch(year: 2026, month: 11, day: 24, hour: 12, fractionDigits: "123456789")
        let instant = try Epoch(ccsds, in: .utc)
        #expect(instant == (try Epoch(iso8601: "2026-11-24T12:00:00.123456789Z")))
        #expect(instant.ccsdsEpoch(in: .utc).fractionDigits == "123456789")
        #expect(instant.ccsdsEpoch(in: .utc).description == "2026-11-24T12:00:00.123456789")
        #expect(instant.ccsdsEpoch(in: .utc, fractionDigits: 3).description == "2026-11-24T12:00:00.123")
        let long = CCSDSEpoch(year: 2026, month: 11, day: 24, hour: 12, fractionDigits: "12345678951")
        #expect(try Epoch(long, in: .utc).nanoseconds(since: instant) == 1)
    }

    @Test func minimalDigitsByDefault() throws {
        let whole = try Epoch(iso8601: "2026-11-24T12:00:00Z")
        #expect(whole.ccsdsEpoch(in: .utc).fractionDigits == "")
        #expect(whole.adding(seconds: 0.5).ccsdsEpoch(in: .utc).fractionDigits == "5")
        #expect(whole.ccsdsEpoch(in: .utc, fractionDigits: 3).fractionDigits == "000")
        #expect(whole.ccsdsEpoch(in: .tt).description == "2026-11-24T12:01:09.184")
    }

    @Test func roundTripsInEveryScaleAndForm() throws {
        let eop = try EarthOrientationData(finalsFile: TimeFixtures.path("time/finals2000A-2016-leap-second.all"))
        let instants = try [
            "2016-12-31T23:59:60.25Z", "2017-01-01T00:00:00Z", "2016-12-25T06:07:08.000000001Z",
            "1999-12-31T23:59:59.999999999Z",
        ].map { try Epoch(iso8601: $0) }
        for instant in instants {
            for scale in TimeScale.allCases {
                for form in [CCSDSEpoch.Form.calendar, .dayOfYear] {
                    let ccsds = instant.ccsdsEpoch(in: scale, form: form, hasZuluSuffix: scale == .utc, eop: eop)
                    let back = try Epoch(ccsds, in: scale, eop: eop)
                    let tolerance: Int64 = scale == .tdb || scale == .ut1 ? 1 : 0
                    #expect(abs(back.nanoseconds(since: instant)) <= tolerance, "\(scale) \(ccsds)")
                }
            }
        }
        let leap = try Epoch(iso8601: "2016-12-31T23:59:60.25Z").ccsdsEpoch(in: .utc, form: .dayOfYear)
        #expect(leap.description == "2016-366T23:59:60.25")
    }

    @Test func rejectsWhatTheScaleCannotName() {
        #expect(throws: TimeError.self) {
            try Epoch(CCSDSEpoch(year: 2017, month: 12, day: 31, hour: 23, minute: 59, second: 60), in: .utc)
        }
        #expect(throws: TimeError.self) { try Epoch(CCSDSEpoch(year: 1970, month: 1, day: 1), in: .utc) }
        #expect((try? Epoch(CCSDSEpoch(year: 1970, month: 1, day: 1), in: .tai)) != nil)
        #expect(throws: TimeError.self) {
            try Epoch(CCSDSEpoch(year: 2026, month: 1, day: 1, fractionDigits: "1a"), in: .utc)
        }
        #expect(
            (try? Epoch(CCSDSEpoch(year: 2026, month: 1, day: 1, hour: 24), in: .utc))
                == (try? Epoch(iso8601: "2026-01-02T00:00:00Z")))
    }
}
