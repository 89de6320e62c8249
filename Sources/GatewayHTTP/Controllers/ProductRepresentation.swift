import Foundation
import GatewayCore

/// The JSON summary of a stored product (CDM, TDM …): provenance and the indexed facts, without the message.
struct ProductRepresentation: Encodable {
    let product: Product

    enum CodingKeys: String, CodingKey {
        case id, kind, encoding
        case contentHash = "content_hash"
        case submitter, provider, source, created, received
        case marking
        case dataMode = "data_mode"
        case noradIDs = "norad_ids"
        case participants
        case timeStart = "time_start"
        case timeStop = "time_stop"
        case collisionProbability = "collision_probability"
        case missDistance = "miss_distance_m"
        case recordCount = "record_count"
        case href
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(String(product.id ?? 0), forKey: .id)
        try container.encode(product.kind.rawValue, forKey: .kind)
        try container.encode(product.encoding, forKey: .encoding)
        try container.encode(product.contentHash, forKey: .contentHash)
        try container.encode(product.submitter, forKey: .submitter)
        try container.encode(product.provider, forKey: .provider)
        try container.encode(product.source, forKey: .source)
        try container.encode(product.created.map(Timestamps.text), forKey: .created)
        try container.encode(Timestamps.text(product.received), forKey: .received)
        try container.encode(product.marking.description, forKey: .marking)
        try container.encode(product.dataMode.rawValue, forKey: .dataMode)
        try container.encode(product.noradIDs, forKey: .noradIDs)
        try container.encode(product.participants, forKey: .participants)
        try container.encode(product.timeStart.map(Timestamps.text), forKey: .timeStart)
        try container.encode(product.timeStop.map(Timestamps.text), forKey: .timeStop)
        try container.encode(product.collisionProbability, forKey: .collisionProbability)
        try container.encode(product.missDistanceMetres, forKey: .missDistance)
        try container.encode(product.recordCount, forKey: .recordCount)
        try container.encode(ProductRoutes.path(of: product), forKey: .href)
    }
}

/// Where products are read.
enum ProductRoutes {
    /// `/api/v1/cdms/ID`, `/api/v1/tdms/ID`, `/api/v1/products/ID` for the other kinds.
    static func path(kind: ProductKind, id: Int64) -> String {
        switch kind {
        case .cdm: "/api/v1/cdms/\(id)"
        case .tdm: "/api/v1/tdms/\(id)"
        case .oem, .opm, .omm: "/api/v1/products/\(id)"
        }
    }

    /// The path of a stored product.
    static func path(of product: Product) -> String {
        path(kind: product.kind, id: product.id ?? 0)
    }
}

/// One feed event for the caller: `{"id": CURSOR, "type", "time", "product": {"id","kind","href"}|null,
/// "norad_ids"}`.
struct FeedEventRepresentation: Encodable {
    let event: FeedEvent

    enum CodingKeys: String, CodingKey {
        case id, type, time, product
        case noradIDs = "norad_ids"
    }
    enum ProductKeys: String, CodingKey { case id, kind, href }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(String(event.id), forKey: .id)
        try container.encode(event.type, forKey: .type)
        try container.encode(Timestamps.text(event.time), forKey: .time)
        try container.encode(event.noradIDs, forKey: .noradIDs)
        if let productID = event.productID, let kind = event.kind {
            var product = container.nestedContainer(keyedBy: ProductKeys.self, forKey: .product)
            try product.encode(String(productID), forKey: .id)
            try product.encode(kind.rawValue, forKey: .kind)
            try product.encode(ProductRoutes.path(kind: kind, id: productID), forKey: .href)
        } else {
            try container.encodeNil(forKey: .product)
        }
    }
}
