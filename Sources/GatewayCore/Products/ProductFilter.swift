import Foundation

/// Which products a listing returns, in ascending `id` order. Every condition left nil matches all; the
/// conditions given must all hold.
public struct ProductFilter: Sendable, Hashable {
    /// Only products of these kinds.
    public var kinds: Set<ProductKind>?
    /// Only products concerning at least one of these objects.
    public var noradIDs: Set<Int>?
    /// Only products whose time span [`timeStart`, `timeStop`] (a single instant when `timeStop` is nil) ends at or
    /// after this time. A product without a time span never matches a time condition.
    public var timeFrom: Date?
    /// Only products whose time span starts at or before this time.
    public var timeTo: Date?
    /// Only products with a `collisionProbability` at least this.
    public var minimumCollisionProbability: Double?
    /// Only products with a `missDistanceMetres` at most this.
    public var maximumMissDistanceMetres: Double?
    /// Only products received at or after this time (inclusive, so incremental pulls miss nothing).
    public var receivedSince: Date?
    /// Only products provided by this organisation.
    public var provider: String?
    /// Only products naming this participant (exactly).
    public var participant: String?
    /// Only products the scope lets the caller see.
    public var scope: ProductScope?
    /// Only products with an `id` greater than this (keyset paging: pass the last id of the previous page).
    public var afterID: Int64?
    /// At most this many products.
    public var limit: Int?

    /// Creates a filter.
    public init(
        kinds: Set<ProductKind>? = nil, noradIDs: Set<Int>? = nil, timeFrom: Date? = nil, timeTo: Date? = nil,
        minimumCollisionProbability: Double? = nil, maximumMissDistanceMetres: Double? = nil,
        receivedSince: Date? = nil, provider: String? = nil, participant: String? = nil, scope: ProductScope? = nil,
        afterID: Int64? = nil, limit: Int? = nil
    ) {
        self.kinds = kinds
        self.noradIDs = noradIDs
        self.timeFrom = timeFrom
        self.timeTo = timeTo
        self.minimumCollisionProbability = minimumCollisionProbability
        self.maximumMissDistanceMetres = maximumMissDistanceMetres
        self.receivedSince = receivedSince
        self.provider = provider
        self.participant = participant
        self.scope = scope
        self.afterID = afterID
        self.limit = limit
    }
}
