import Foundation
import Policy

/// One entry of the feed (DESIGN §1 flows 2–3): something that happened, appended in the same transaction as the
/// change it reports and never modified.
///
/// `id` is the feed's cursor: ids are assigned 1, 2, 3 … without gaps and in commit order, so a reader that has seen
/// every event up to `n` has seen every event that will ever have an id up to `n`. The scope fields (objects,
/// owners, provider, marking) are copied from the subject at the time of the event, so who may read an event never
/// changes afterwards.
public struct FeedEvent: Sendable, Equatable {
    /// The type of a product's arrival.
    public static let productStored = "product.stored"

    /// The cursor, assigned by the store when the event is appended (0 before).
    public var id: Int64
    /// What happened: `product.stored`, later `observation-request.status` …
    public var type: String
    /// The product concerned, if any.
    public var productID: Int64?
    /// The kind of that product.
    public var kind: ProductKind?
    /// The catalogue objects concerned, ascending.
    public var noradIDs: [Int]
    /// The owners of those objects at the time, sorted.
    public var ownerOrganisations: [String]
    /// The organisation that provided the subject, if any.
    public var provider: String?
    /// The subject's sharing marking, if any (an event without one reaches only owners and the provider).
    public var marking: Marking?
    /// When it happened.
    public var time: Date
    /// Type-specific details as JSON text (a request's new state …); nil for `product.stored`.
    public var details: String?

    /// Creates an event; `noradIDs` and `ownerOrganisations` are sorted and de-duplicated.
    public init(
        id: Int64 = 0, type: String, productID: Int64? = nil, kind: ProductKind? = nil, noradIDs: [Int] = [],
        ownerOrganisations: [String] = [], provider: String? = nil, marking: Marking? = nil, time: Date,
        details: String? = nil
    ) {
        self.id = id
        self.type = type
        self.productID = productID
        self.kind = kind
        self.noradIDs = Array(Set(noradIDs)).sorted()
        self.ownerOrganisations = Array(Set(ownerOrganisations)).sorted()
        self.provider = provider
        self.marking = marking
        self.time = time
        self.details = details
    }

    /// The `product.stored` event of a stored `product` (with its `id`), at its receipt time.
    public init(stored product: Product) {
        self.init(
            type: FeedEvent.productStored, productID: product.id, kind: product.kind, noradIDs: product.noradIDs,
            ownerOrganisations: product.ownerOrganisations, provider: product.provider, marking: product.marking,
            time: product.received)
    }
}

/// Which feed events a read returns, in ascending `id` order. Every condition left nil matches all.
public struct FeedFilter: Sendable, Hashable {
    /// Only events after this cursor (exclusive); nil reads from the start.
    public var afterID: Int64?
    /// At most this many events.
    public var limit: Int?
    /// Only events the scope lets the caller see (the same rule as for products).
    public var scope: ProductScope?
    /// Only events of these types.
    public var types: Set<String>?

    /// Creates a filter.
    public init(afterID: Int64? = nil, limit: Int? = nil, scope: ProductScope? = nil, types: Set<String>? = nil) {
        self.afterID = afterID
        self.limit = limit
        self.scope = scope
        self.types = types
    }
}
