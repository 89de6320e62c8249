import Foundation

/// Catalogue objects and their element-set history. Implemented by each storage engine; every engine passes the
/// same conformance suite.
public protocol CatalogueStore: Sendable {
    /// Adds an object; `conflict` when the NORAD id exists, `notFound` when the owner organisation does not.
    func createObject(_ object: CatalogueObject) async throws(StoreError)
    /// Adds the object or replaces the record with the same NORAD id (its element sets are kept); `notFound`
    /// when the owner organisation does not exist.
    func upsertObject(_ object: CatalogueObject) async throws(StoreError)
    /// The object with `noradID`; `notFound` when there is none.
    func object(noradID: Int) async throws(StoreError) -> CatalogueObject
    /// The objects `filter` selects, in ascending NORAD id order.
    func objects(_ filter: CatalogueObjectFilter) async throws(StoreError) -> [CatalogueObject]
    /// Removes an object and its element sets; `notFound` when there is none.
    func deleteObject(noradID: Int) async throws(StoreError)

    /// Appends an element set and returns it with its `id`; `notFound` when the object does not exist,
    /// `conflict` when the object already has a set with the same epoch from the same source.
    func appendElementSet(_ record: ElementSetRecord) async throws(StoreError) -> ElementSetRecord
    /// The sets `filter` selects, ordered by object, then epoch (oldest first), then `id`.
    func elementSetHistory(_ filter: ElementSetFilter) async throws(StoreError) -> [ElementSetRecord]
    /// The latest set (greatest epoch; the last appended among equal epochs) of the object; `notFound` when the
    /// object does not exist or has no set.
    func latestElementSet(noradID: Int) async throws(StoreError) -> ElementSetRecord
    /// For each object `filter` selects, its latest set, in ascending NORAD id order. With `receivedSince`, only
    /// objects whose latest set was received since then (what changed since the last pull).
    func latestElementSets(_ filter: ElementSetFilter) async throws(StoreError) -> [ElementSetRecord]

    /// Writes a batch in ONE transaction: upserts `objects` (as `upsertObject`), then appends `elementSets` in
    /// order. A set duplicating an existing (object, epoch, source), in the store or earlier in the batch, is
    /// skipped and counted, not an error. Any other failure (`notFound` for a set's object or an object's owner,
    /// `invalid` record, engine error) throws and leaves the store exactly as it was.
    func ingest(objects: [CatalogueObject], elementSets: [ElementSetRecord]) async throws(StoreError) -> IngestSummary

    /// A fingerprint that changes whenever an object or element set is added, changed or deleted (for `ETag`s);
    /// a few aggregate reads, no scan of the element sets.
    func catalogueRevision() async throws(StoreError) -> CatalogueRevision
}
