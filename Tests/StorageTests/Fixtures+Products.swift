import CCSDS
import Foundation
import GatewayCore
import Policy

/// Products for the product and feed conformance suites: real CCSDS fixtures, or synthetic ones sharing a parsed
/// message with distinct bytes.
extension Fixtures {
    /// The CCSDS test fixtures (`Tests/CCSDSTests/Fixtures`).
    static let ccsdsFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("CCSDSTests/Fixtures")

    /// The bytes of the fixture at `path` (`cdm/valid/cdm_obligatory_3.6.2.kvn` …).
    static func fixtureBytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: ccsdsFixtures.appendingPathComponent(path)))
    }

    /// The message of the fixture at `path`, read strictly.
    static func fixtureMessage(_ path: String) throws -> Message {
        try MessageReader.message(from: fixtureBytes(path))
    }

    static let cdmFixture = "cdm/valid/cdm_obligatory_3.6.2.kvn"
    static let tdmFixture = "tdm/valid/tdm_e21.xml"
    static let ommFixture = "omm/valid/omm_g7.kvn"

    /// A product built from the fixture at `path` itself (its exact bytes and message).
    static func product(
        fixture path: String, submitter: String = "backend", provider: String = "ssa-centre",
        marking: Marking = .restricted, noradIDs: [Int] = [], owners: [String] = [], participants: [String] = [],
        received: Int = 0
    ) throws -> Product {
        let message = try fixtureMessage(path)
        return Product(
            kind: ProductKind(message.type), encoding: path.hasSuffix(".xml") ? "xml" : "kvn",
            bytes: try fixtureBytes(path), message: message, submitter: submitter, provider: provider,
            source: "SENSOR-1", created: time(-3_600), received: time(received), marking: marking, dataMode: .test,
            noradIDs: noradIDs, ownerOrganisations: owners, participants: participants, timeStart: time(100),
            timeStop: time(200), collisionProbability: 1e-4, missDistanceMetres: 715, recordCount: 1)
    }

    /// A synthetic product of `message`'s kind whose bytes are unique to `tag` (the store keeps bytes as given).
    static func synthetic(
        _ tag: String, message: Message, provider: String = "ssa-centre", marking: Marking = .restricted,
        noradIDs: [Int] = [], owners: [String] = [], participants: [String] = [], start: Int? = nil,
        stop: Int? = nil, pc: Double? = nil, miss: Double? = nil, received: Int = 0
    ) -> Product {
        Product(
            kind: ProductKind(message.type), encoding: "kvn", bytes: Array("synthetic \(tag)\n".utf8),
            message: message, submitter: "backend", provider: provider, received: time(received), marking: marking,
            dataMode: .simulated, noradIDs: noradIDs, ownerOrganisations: owners, participants: participants,
            timeStart: start.map { time($0) }, timeStop: stop.map { time($0) }, collisionProbability: pc,
            missDistanceMetres: miss, recordCount: message.type == .tdm ? 10 : 1)
    }
}
