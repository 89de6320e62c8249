import Foundation
import GatewayCore
import Policy

/// A feed event's row as every engine writes and reads it.
struct FeedRecord: Sendable {
    var type: String
    var productID: Int64?
    var kind: String?
    var noradIDs: String
    var ownerOrganisations: String
    var provider: String?
    var marking: String?
    var markingKind: String?
    var timeUS: Int64
    var details: String?
    /// The scope index rows of the event.
    var organisations: [ScopedOrganisation]

    /// The row of `event` (its `id` is assigned by the store), after the checks every engine applies.
    init(_ event: FeedEvent) throws(StoreError) {
        guard !event.type.isEmpty else { throw .invalid("a feed event needs a type") }
        type = event.type
        productID = event.productID
        kind = event.kind?.rawValue
        noradIDs = JSONList.encode(event.noradIDs)
        ownerOrganisations = JSONList.encode(event.ownerOrganisations)
        provider = event.provider
        marking = event.marking?.description
        markingKind = event.marking?.kind.rawValue
        timeUS = StoreTime.microseconds(event.time)
        details = event.details
        organisations = ScopedOrganisation.all(
            owners: event.ownerOrganisations, provider: event.provider, marking: event.marking)
    }

    /// The event a row holds; `schema` when a column no longer reads.
    static func event(
        id: Int64, type: String, productID: Int64?, kind: String?, noradIDs: String, ownerOrganisations: String,
        provider: String?, marking: String?, timeUS: Int64, details: String?
    ) throws(StoreError) -> FeedEvent {
        let productKind = kind.flatMap(ProductKind.init(rawValue:))
        let sharing = marking.flatMap(Marking.init)
        guard (kind == nil) == (productKind == nil), (marking == nil) == (sharing == nil) else {
            throw .schema("feed event \(id) has kind '\(kind ?? "")' and marking '\(marking ?? "")'")
        }
        return FeedEvent(
            id: id, type: type, productID: productID, kind: productKind,
            noradIDs: try JSONList.decode(noradIDs, of: id),
            ownerOrganisations: try JSONList.decode(ownerOrganisations, of: id), provider: provider, marking: sharing,
            time: StoreTime.date(timeUS), details: details)
    }
}
