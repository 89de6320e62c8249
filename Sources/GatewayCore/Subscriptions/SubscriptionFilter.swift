import Foundation

/// What narrows a subscription beyond its topic and the policy (issue 10 §1). Every condition left empty or nil
/// matches all; the conditions given must all hold.
public struct SubscriptionFilter: Sendable, Hashable {
    /// Only products concerning at least one of these objects (NORAD ids), ascending.
    public var objects: [Int]
    /// Only CDMs with a collision probability at least this (a CDM without one does not match).
    public var minimumCollisionProbability: Double?
    /// Only CDMs with a miss distance at most this many metres (a CDM without one does not match).
    public var maximumMissDistanceMetres: Double?
    /// Only products provided by this organisation.
    public var provider: String?
    /// Only products naming this participant (TDM `PARTICIPANT_n`, CDM `OBJECT_DESIGNATOR`).
    public var participant: String?
    /// Only products of these kinds (empty: every kind the topic carries).
    public var kinds: Set<ProductKind>

    /// Creates a filter; `objects` is sorted and de-duplicated.
    public init(
        objects: [Int] = [], minimumCollisionProbability: Double? = nil, maximumMissDistanceMetres: Double? = nil,
        provider: String? = nil, participant: String? = nil, kinds: Set<ProductKind> = []
    ) {
        self.objects = Array(Set(objects)).sorted()
        self.minimumCollisionProbability = minimumCollisionProbability
        self.maximumMissDistanceMetres = maximumMissDistanceMetres
        self.provider = provider
        self.participant = participant
        self.kinds = kinds
    }

    /// Whether `product` (a summary is enough: only facts are read) passes every condition.
    public func matches(_ product: Product) -> Bool {
        if !kinds.isEmpty && !kinds.contains(product.kind) { return false }
        if !objects.isEmpty && !product.noradIDs.contains(where: { objects.contains($0) }) { return false }
        if let minimumCollisionProbability {
            guard let pc = product.collisionProbability, pc >= minimumCollisionProbability else { return false }
        }
        if let maximumMissDistanceMetres {
            guard let miss = product.missDistanceMetres, miss <= maximumMissDistanceMetres else { return false }
        }
        if let provider, product.provider != provider { return false }
        if let participant, !product.participants.contains(participant) { return false }
        return true
    }

    /// Whether an event that is not about a product (an observation request's state change) passes: only the
    /// object condition applies.
    public func matches(_ event: FeedEvent) -> Bool {
        objects.isEmpty || event.noradIDs.contains(where: { objects.contains($0) })
    }
}
