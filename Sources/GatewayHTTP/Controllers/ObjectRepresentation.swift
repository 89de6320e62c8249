import Astrodynamics
import Foundation
import GatewayCore

/// The JSON record of a catalogue object (`GET /api/v1/objects/{norad}`), `id` being the NORAD id.
struct ObjectRepresentation: Encodable {
    let object: CatalogueObject

    enum CodingKeys: String, CodingKey {
        case id
        case noradID = "norad_id"
        case cosparID = "cospar_id"
        case name, type, owner, marking
        case launchDate = "launch_date"
        case decayDate = "decay_date"
        case updated
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(object.noradID, forKey: .id)
        try container.encode(object.noradID, forKey: .noradID)
        try container.encode(object.cosparID, forKey: .cosparID)
        try container.encode(object.name, forKey: .name)
        try container.encode(object.type.rawValue, forKey: .type)
        try container.encode(object.owner, forKey: .owner)
        try container.encode(object.marking.description, forKey: .marking)
        try container.encode(object.launchDate?.description, forKey: .launchDate)
        try container.encode(object.decayDate?.description, forKey: .decayDate)
        try container.encode(Timestamps.text(object.updated), forKey: .updated)
    }
}

/// A page of a list: `{"items": [...], "next": CURSOR-or-null}` (DESIGN §6).
struct Page<Item: Encodable>: Encodable {
    let items: [Item]
    let next: String?

    enum CodingKeys: String, CodingKey { case items, next }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(next, forKey: .next)
    }
}
