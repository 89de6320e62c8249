import Foundation
import GatewayCore

/// One feed event for the caller: `{"id": CURSOR, "type", "time", "product": {"id","kind","href"}|null,
/// "norad_ids"}`.
struct FeedEventRepresentation: Encodable {
    let event: FeedEvent

    enum CodingKeys: String, CodingKey {
        case id, type, time, product, request
        case noradIDs = "norad_ids"
    }
    enum RequestKeys: String, CodingKey { case id, state, previous, actor, reason, href }
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
        if event.isRequestEvent, let id = event.requestID {
            var request = container.nestedContainer(keyedBy: RequestKeys.self, forKey: .request)
            try request.encode(id, forKey: .id)
            try request.encode(event.detail("state"), forKey: .state)
            try request.encode(event.detail("previous"), forKey: .previous)
            try request.encode(event.detail("actor"), forKey: .actor)
            try request.encode(event.detail("reason"), forKey: .reason)
            try request.encode(ObservationRequestRepresentation.path(id), forKey: .href)
        }
    }
}
