import Astrodynamics
import Foundation
import Testing

@testable import Backend

@Suite("Scheduling request file")
struct SchedulingRequestFileTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return Array(try Data(contentsOf: url))
    }

    @Test("requests in the protocol's shape read into tasks")
    func reads() throws {
        let tasks = try ObservationRequestFile.read(Self.fixture("schedule-requests.json"), file: "r.json")
        #expect(tasks.map(\.id) == ["req_geo", "req_urgent", "req_radar"])
        #expect(tasks[0].tracksWanted == 3 && tasks[0].priority == .routine && tasks[0].sensor == nil)
        #expect(tasks[1].noradID == 90002 && tasks[1].sensor == "calern" && tasks[1].priority == .urgent)
        #expect(tasks[1].submitted == (try Epoch(iso8601: "2026-12-07T10:00:00Z")))
        #expect(tasks[2].sensorTypes == [.radar] && tasks[2].priority == .emergency)
        let calern = SchedulerExampleTests.telescope
        #expect(tasks[1].accepts(calern))
        #expect(!tasks[2].accepts(calern))
    }

    @Test("every mistake is reported with file:line:column")
    func mistakes() throws {
        let bytes = try Self.fixture("schedule-requests-invalid.json")
        do {
            _ = try ObservationRequestFile.read(bytes, file: "r.json")
            Issue.record("expected problems")
        } catch {
            #expect(
                error.problems == [
                    "r.json:2:90: window.stop must be after window.start",
                    "r.json:5:14: \"tracks\" must be a whole number from 1 to 100",
                    "r.json:5:29: \"priority\" must be routine, urgent or emergency, not \"asap\"",
                    "r.json:5:54: a measurement is optical-angles, radar-range or radar-doppler",
                    "r.json:5:74: unknown member \"colour\" (expected created, id, measurements, norad_id, priority, "
                        + "sensor, target, tracks, window)",
                    "r.json:6:10: the id \"req_a\" is used twice; ids must be unique",
                ])
        }
    }

    @Test("bad JSON is reported at its place")
    func badJSON() {
        let text = "[\n  {\"id\": \"req_a\",\n   \"norad_id\": 1,, }\n]"
        #expect {
            try ObservationRequestFile.read(Array(text.utf8), file: "bad.json")
        } throws: { error in
            (error as? RequestFileError)?.problems == [
                "bad.json:3:18: not well-formed JSON: a member name in double quotes was expected"
            ]
        }
    }
}
