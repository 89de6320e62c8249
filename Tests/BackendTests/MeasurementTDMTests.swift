import Astrodynamics
import CCSDS
import Foundation
import Testing

@testable import Backend

@Suite("Simulated TDM: composition and round trip")
struct MeasurementTDMTests {
    /// A noisy tracklet of the GEO from Calern and a two-way radar track of it from Wachtberg.
    static func tracks() throws -> [SimulatedTrack] {
        let object = try MeasurementFixtures.object(90002)
        let start = try MeasurementFixtures.epoch("2026-12-08T22:00:00Z")
        var noise: MeasurementNoise? = MeasurementNoise(seed: 11)
        let simulator = MeasurementSimulator()
        return [
            try simulator.track(
                of: object, by: MeasurementFixtures.sensor("tarot-calern"), startingAt: start, noise: &noise),
            try simulator.track(
                of: object, by: MeasurementFixtures.sensor("radar-wachtberg"), startingAt: start, noise: &noise),
        ]
    }

    static func message() throws -> Message {
        TDMComposer.message(
            tracks: try tracks(), network: try MeasurementFixtures.network(), originator: "ESSOR",
            creation: try MeasurementFixtures.epoch("2026-12-08T23:00:00Z"), objectNames: [90002: "GEO TEST 90002"])
    }

    @Test(
        "written as KVN or XML, the TDM 2.0 reads back strictly, without warnings, as the same message",
        arguments: [Encoding.kvn, .xml])
    func roundTrip(encoding: Encoding) throws {
        let message = try Self.message()
        let bytes = try MessageWriter.write(message, as: encoding)
        let result = MessageReader.read(bytes, encoding: encoding, strictness: .strict)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let read = try result.get()
        #expect(read.version == "2.0")
        #expect(read.segments.count == 2)
        #expect(read.header == message.header)
        for (a, b) in zip(read.segments, message.segments) {
            #expect(a.observations == b.observations)
            #expect(a.metadata.fields == b.metadata.fields)
            #expect(a.metadata.comments == b.metadata.comments)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if encoding == .kvn {
            #expect(text.hasPrefix("CCSDS_TDM_VERS = 2.0\n"))
        } else {
            #expect(text.contains("<tdm ") && text.contains("version=\"2.0\""))
        }
    }

    @Test("the values written are the simulated ones, to the last bit")
    func values() throws {
        let tracks = try Self.tracks()
        let bytes = try MessageWriter.write(try Self.message(), as: .kvn)
        let read = try MessageReader.message(from: bytes, strictness: .strict)
        guard case .angles(let ra, let dec) = tracks[0].observations[2].measurement,
            case .radar(let range, let rate) = tracks[1].observations[3].measurement
        else {
            Issue.record("unexpected measurement kinds")
            return
        }
        #expect(read.segments[0].observations[4].value == .real(ra))
        #expect(read.segments[0].observations[5].value == .real(dec))
        #expect(read.segments[1].observations[6].value == .real(range))
        #expect(read.segments[1].observations[7].value == .real(rate))
        let tag = try Epoch(read.segments[0].observations[4].epoch, in: .utc)
        #expect(tag == tracks[0].observations[2].epoch)
    }

    @Test("metadata: participants, path, angle conventions, radar units and the aberration comment")
    func metadata() throws {
        let message = try Self.message()
        #expect(message.header.comments.contains(TDMComposer.aberrationComment))
        let optical = message.segments[0].metadata
        #expect(optical["PARTICIPANT_1"] == .text("tarot-calern"))
        #expect(optical["PARTICIPANT_2"] == .text("90002"))
        #expect(optical["PATH"] == .text("2,1"))
        #expect(optical["MODE"] == .text("SEQUENTIAL"))
        #expect(optical["ANGLE_TYPE"] == .text("RADEC"))
        #expect(optical["REFERENCE_FRAME"] == .text("EME2000"))
        #expect(optical["INTEGRATION_REF"] == .text("MIDDLE"))
        #expect(optical["INTEGRATION_INTERVAL"] == .real(10))
        #expect(optical["DATA_TYPES"] == .text("ANGLE_1,ANGLE_2"))
        #expect(optical["TRACK_ID"] == .text("tarot-calern-90002-20261208T220005Z"))
        #expect(TDMComposer.trackID("s", 7, first: nil) == "s-7")
        #expect(optical.comments.contains { $0.contains("GEO TEST 90002") })
        let radar = message.segments[1].metadata
        #expect(radar["PATH"] == .text("1,2,1"))
        #expect(radar["RANGE_UNITS"] == .text("km"))
        #expect(radar["DATA_TYPES"] == .text("RANGE,DOPPLER_INSTANTANEOUS"))
        #expect(radar["ANGLE_TYPE"] == nil)
        #expect(radar.comments.contains { $0.contains("half the round-trip") })
        #expect(message.segments[1].observations.map(\.keyword).prefix(2) == ["RANGE", "DOPPLER_INSTANTANEOUS"])
        #expect(
            radar["START_TIME"] == .epoch(CCSDSEpoch(year: 2026, month: 12, day: 8, hour: 22, fractionDigits: "000")))
    }

    @Test("tracks without observations are left out")
    func emptyTracks() throws {
        var tracks = try Self.tracks()
        tracks[1].observations = []
        let message = TDMComposer.message(
            tracks: tracks, network: try MeasurementFixtures.network(), originator: "ESSOR",
            creation: try MeasurementFixtures.epoch("2026-12-08T23:00:00Z"))
        #expect(message.segments.count == 1)
    }
}
