import Astrodynamics
import GatewayCore
import Testing

@Suite struct EphemerisQueryTests {
    let now = try! Epoch(iso8601: "2026-11-24T12:34:56.789Z")

    @Test func defaultsToOneDayOfMinuteStepsFromTheCurrentMinute() throws {
        let query = try EphemerisQuery(start: nil, stop: nil, step: nil, frame: nil, now: now, longestSpanSeconds: nil)
        #expect(query.start == (try Epoch(iso8601: "2026-11-24T12:34:00Z")))
        #expect(query.stop == (try Epoch(iso8601: "2026-11-25T12:34:00Z")))
        #expect(query.stepSeconds == 60 && query.frame == .gcrf)
        #expect(query.grid.count == 1441)
    }

    @Test(
        arguments: [
            ("start", "tomorrow", nil, nil, nil), ("step", nil, nil, "0", nil), ("step", nil, nil, "86401", nil),
            ("step", nil, nil, "NaN", nil), ("frame", nil, nil, nil, "J2000"),
            ("stop", "2026-11-24T00:00:00Z", "2026-11-24T00:00:00Z", nil, nil),
            ("step", "2026-11-24T00:00:00Z", "2026-11-26T00:00:00Z", "1", nil),
        ] as [(String, String?, String?, String?, String?)])
    func namesTheParameterAtFault(
        parameter: String, start: String?, stop: String?, step: String?, frame: String?
    ) {
        #expect {
            try EphemerisQuery(start: start, stop: stop, step: step, frame: frame, now: now, longestSpanSeconds: nil)
        } throws: { error in
            (error as? ExtractError)?.parameter == parameter
        }
    }

    @Test func refusesASpanOverTheCallersLimit() {
        #expect(throws: ExtractError.spanTooLong(requestedSeconds: 172_800, limitSeconds: 86_400)) {
            try EphemerisQuery(
                start: "2026-11-24T00:00:00Z", stop: "2026-11-26T00:00:00Z", step: "60", frame: "itrf", now: now,
                longestSpanSeconds: 86_400)
        }
    }
}
