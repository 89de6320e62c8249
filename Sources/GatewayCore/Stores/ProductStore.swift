/// Products with provenance and the feed (DESIGN §1 flows 2–3, issue 5). Implemented by each storage engine; every
/// engine passes the same conformance suite.
///
/// The feed is the replayable record of what happened: ids are gap-free and in commit order on every engine, so a
/// reader that remembers the last id it saw never misses an event, even under concurrent writers.
public protocol ProductStore: Sendable {
    /// Stores `product` and appends its `product.stored` feed event in the same transaction, returning it with its
    /// `id` and `created: true`. Idempotent by content: when a product with the same `contentHash` exists (stored
    /// earlier or concurrently), returns that one with `created: false` and appends nothing. `invalid` for an empty
    /// submitter or provider, an encoding other than `kvn`/`xml`, a message of another kind, or a content hash that
    /// is not the SHA-256 of the bytes.
    func storeProduct(_ product: Product) async throws(StoreError) -> StoredProduct
    /// The product with `id`; `notFound` when there is none.
    func product(id: Int64) async throws(StoreError) -> Product
    /// The products `filter` selects, by ascending id.
    func products(_ filter: ProductFilter) async throws(StoreError) -> [Product]
    /// The same products as `products(_:)` with every fact, for listings: without the content, which is neither
    /// read nor decoded. Each carries `bytes = []` and `Product.placeholderMessage(_:)` of its kind (`summary` of
    /// the full product); `contentHash` still names its bytes. Read one product with `product(id:)` for its
    /// content. The default returns the full products' summaries.
    func productSummaries(_ filter: ProductFilter) async throws(StoreError) -> [Product]

    /// Appends an event not written by `storeProduct` (a state change: `observation-request.status` …) and returns it
    /// with its `id`; `invalid` for an empty type, `notFound` for a `productID` that names no product.
    func appendFeedEvent(_ event: FeedEvent) async throws(StoreError) -> FeedEvent
    /// The events `filter` selects, by ascending id.
    func feedEvents(_ filter: FeedFilter) async throws(StoreError) -> [FeedEvent]
    /// The greatest event id (committed); nil while the feed is empty. Where a new reader starts to see only what
    /// comes next.
    func latestFeedEventID() async throws(StoreError) -> Int64?
}

extension ProductStore {
    /// The summaries of the full products.
    public func productSummaries(_ filter: ProductFilter) async throws(StoreError) -> [Product] {
        try await products(filter).map(\.summary)
    }
}
