import Astrodynamics
import CCSDS
import Foundation
import GatewayCore
import Testing

@Suite struct OrbitExtractsTests {
    /// The ISS element set of Vallado's verification set (25544), as an OMM record.
    static func issRecord() throws -> (CatalogueObject, ElementSetRecord) {
        let text = """
            ISS (ZARYA)
            1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927
            2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537
            """
        let tle = TLECatalogue.parse(text).sets[0]
        let omm = tle.ommMessage(creationDate: CCSDSEpoch(year: 2026, month: 1, day: 1), originator: "TEST")
        let record = try ElementSetRecord(omm: omm, received: Date(), source: "test")
        return (CatalogueObject(noradID: 25544, cosparID: "1998-067A", name: "ISS (ZARYA)"), record)
    }

    @Test func theEphemerisHoldsSGP4StatesOnTheGrid() throws {
        let (object, record) = try Self.issRecord()
        let start = try Epoch(iso8601: "2008-09-20T12:25:40.104192Z")  // the set's epoch
        let query = try EphemerisQuery(
            start: "2008-09-20T12:25:40.104192Z", stop: "2008-09-20T13:25:40.104192Z", step: "600", frame: "teme",
            now: start, longestSpanSeconds: nil)
        let bytes = try OrbitExtracts.ephemeris(of: object, elements: record, query: query, encoding: .kvn, now: start)
        let message = try MessageReader.message(from: bytes)
        #expect(message.type == .oem)
        let states = message.segments[0].ephemeris
        #expect(states.count == 7)
        // Each state is SGP4's at that minute (TEME), as written (full double precision).
        let propagator = try SGP4Propagator(tle: try TLE(omm: record.omm))
        for index in 0..<7 {
            let expected = try propagator.propagate(minutesSinceEpoch: Double(index) * 10).positionKilometres
            let (x, y, z) = states[index].positionKilometres
            #expect(abs(x - expected.x) < 1e-6 && abs(y - expected.y) < 1e-6 && abs(z - expected.z) < 1e-6)
        }
    }

    @Test func aStateIsAnOPMInTheAskedFrame() throws {
        let (object, record) = try Self.issRecord()
        let epoch = try Epoch(iso8601: "2008-09-20T13:00:00Z")
        let bytes = try OrbitExtracts.state(
            of: object, elements: record, at: epoch, frame: .itrf, encoding: .xml, now: epoch)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("<REF_FRAME>ITRF</REF_FRAME>"))
        #expect(text.contains("<OBJECT_ID>1998-067A</OBJECT_ID>"))
    }
}
