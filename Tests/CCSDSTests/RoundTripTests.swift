import Foundation
import Testing

@testable import CCSDS

/// KVN → model → XML → model → KVN → model keeps the message (its JSON) equal, for every Blue Book example and
/// every valid fixture (CCSDS 505.0-B-3: the XML and KVN of a message carry the same content).
@Suite struct RoundTripTests {
    static let sources: [URL] =
        FixturePaths.blueBookExamples.filter { $0.lastPathComponent != MessageReaderTests.knownBadExample }
        + ["opm", "omm", "oem", "cdm", "tdm"].flatMap {
            FixturePaths.files(in: FixturePaths.fixtures.appendingPathComponent("\($0)/valid"))
        }

    @Test(arguments: sources)
    func kvnXMLKVNKeepsTheMessage(_ url: URL) throws {
        let original = try MessageReader.message(from: FixturePaths.bytes(url))
        let xml = try MessageWriter.write(original, as: .xml, version: original.version)
        let fromXML = try MessageReader.message(from: xml, encoding: .xml)
        let kvn = try MessageWriter.write(fromXML, as: .kvn, version: original.version)
        let fromKVN = try MessageReader.message(from: kvn, encoding: .kvn)
        // KVN cannot tell a data section's comments from its first block's (CCSDS 502.0-B-3 §7.8): compare the
        // KVN-read forms, which place them the same way.
        let reference = try MessageReader.message(
            from: MessageWriter.write(original, as: .kvn, version: original.version), encoding: .kvn)
        #expect(JSONMessageWriter.write(fromKVN) == JSONMessageWriter.write(reference), "\(url.lastPathComponent)")
        #expect(fromKVN.segments.map(\.ephemeris) == original.segments.map(\.ephemeris))
        #expect(fromKVN.segments.map(\.observations) == original.segments.map(\.observations))
    }

    @Test func keepsEveryEpochSpelling() throws {
        let url = FixturePaths.shared.appendingPathComponent("examples/kvn/tdm_e11.kvn")
        let original = try MessageReader.message(from: FixturePaths.bytes(url))
        let back = try MessageReader.message(from: MessageWriter.write(original, as: .kvn))
        #expect(back.segments[0].observations[0].epoch.description == original.segments[0].observations[0].epoch.description)
        #expect(back.segments[0].observations[0].epoch.form == .dayOfYear)
    }
}
