import Foundation

/// A cheap fingerprint of the whole catalogue, for `ETag`s: equal revisions mean the same catalogue.
///
/// `changeCount` is a counter every write to objects or element sets increments in the same transaction
/// (insert, update and delete, cascades included): it alone guarantees that the revision changes whenever
/// anything changes, even an update that keeps an object's `updated` time. The aggregates make the revision
/// readable and keep it distinct across databases that happen to share a counter value.
public struct CatalogueRevision: Sendable, Hashable, CustomStringConvertible {
    /// How many objects the catalogue holds.
    public var objectCount: Int
    /// The greatest `CatalogueObject.updated`; nil for an empty catalogue.
    public var latestObjectUpdate: Date?
    /// The greatest element-set id; nil when no set was ever kept.
    public var greatestElementSetID: Int64?
    /// The number of writes to objects and element sets since the database was created.
    public var changeCount: Int64

    /// Creates a revision.
    public init(objectCount: Int, latestObjectUpdate: Date?, greatestElementSetID: Int64?, changeCount: Int64) {
        self.objectCount = objectCount
        self.latestObjectUpdate = latestObjectUpdate
        self.greatestElementSetID = greatestElementSetID
        self.changeCount = changeCount
    }

    /// `objects-updatedMicroseconds-setID-changes`, e.g. `1100-1767225600000000-3300-4412`: an entity tag value
    /// (without quotes) that changes with the catalogue.
    public var description: String {
        let updated = latestObjectUpdate.map { String(Int64(($0.timeIntervalSince1970 * 1_000_000).rounded())) }
        return "\(objectCount)-\(updated ?? "0")-\(greatestElementSetID.map(String.init) ?? "0")-\(changeCount)"
    }
}
