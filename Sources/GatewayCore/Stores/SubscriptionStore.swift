import Foundation

/// Subscriptions, the fan-out cursor and the delivery outbox (issue 10 §1, §5). Implemented by each storage
/// engine; every engine passes the same conformance suite.
///
/// Delivery is at least once: a delivery is claimed for a lease (`claimDeliveries`), attempted, then recorded
/// (`recordDeliveryAttempts`). A worker that dies between the attempt and the record leaves the claim to lapse, and
/// the delivery is attempted again with the same `webhookID`.
public protocol SubscriptionStore: Sendable {
    /// Adds a subscription; `conflict` for a taken id, `notFound` when the owner is no user, `invalid` for an empty
    /// owner or a malformed id.
    func createSubscription(_ subscription: Subscription) async throws(StoreError)
    /// The subscription with `id`; `notFound` when there is none.
    func subscription(id: String) async throws(StoreError) -> Subscription
    /// The subscriptions `filter` selects, by ascending id.
    func subscriptions(_ filter: SubscriptionListFilter) async throws(StoreError) -> [Subscription]
    /// Replaces every field of the subscription with the same id but `owner` and `created`; `notFound` when there
    /// is none.
    func updateSubscription(_ subscription: Subscription) async throws(StoreError)
    /// Removes the subscription and its deliveries; `notFound` when there is none. Deleting a user removes theirs.
    func deleteSubscription(id: String) async throws(StoreError)

    /// The last feed event id the fan-out has processed (0 at first).
    func fanOutCursor() async throws(StoreError) -> Int64
    /// In ONE transaction: when the cursor is still `expected`, queues `deliveries` (pairs already queued are left
    /// as they are) as `pending`, due at `time`, and moves the cursor to `cursor`; returns false and writes nothing
    /// when another worker moved the cursor first. So no event is skipped and none is fanned out twice.
    func fanOut(from expected: Int64, to cursor: Int64, deliveries: [NewDelivery], at time: Date)
        async throws(StoreError) -> Bool
    /// Queues `deliveries` again (a replay): a missing pair is created, an existing one is made `pending`, due at
    /// `time`, its attempts counted from 0 again (the whole retry schedule applies) and its id, hence its
    /// `webhookID`, unchanged. Returns how many pairs are now pending.
    func requeueDeliveries(_ deliveries: [NewDelivery], at time: Date) async throws(StoreError) -> Int

    /// Claims up to `limit` deliveries of active subscriptions that are `pending` or `failed` and due at `time`,
    /// oldest due first: each claimed one's `nextAttempt` becomes `leaseUntil`, so no other worker takes it until the
    /// lease lapses. Several workers (several gateways on PostgreSQL: `FOR UPDATE SKIP LOCKED`) never claim one
    /// delivery at once.
    func claimDeliveries(dueAt time: Date, limit: Int, leaseUntil: Date) async throws(StoreError) -> [Delivery]
    /// Records attempts in one transaction (attempts + 1, state, next attempt, last error and status, delivery
    /// time). Attempts of deliveries that no longer exist (their subscription deleted) are ignored.
    func recordDeliveryAttempts(_ attempts: [DeliveryAttempt]) async throws(StoreError)
    /// The deliveries `filter` selects, newest first.
    func deliveries(_ filter: DeliveryFilter) async throws(StoreError) -> [Delivery]
    /// The open deliveries of active subscriptions, for metrics.
    func deliveryQueueStatistics() async throws(StoreError) -> DeliveryQueueStatistics

    /// Signalled after a commit that appended feed events (every engine; across processes on PostgreSQL through
    /// `LISTEN/NOTIFY`): what wakes the fan-out and the feed's long-poll.
    var feedChanges: ChangeSignal { get }
    /// Signalled after a commit that queued deliveries: what wakes the delivery workers.
    var deliveryChanges: ChangeSignal { get }
}

/// Which subscriptions a listing returns, by ascending id.
public struct SubscriptionListFilter: Sendable, Hashable {
    /// Only this user's.
    public var owner: String?
    /// Only in these states.
    public var states: Set<SubscriptionState>?
    /// Only with an id greater than this (keyset paging).
    public var afterID: String?
    /// At most this many.
    public var limit: Int?

    /// Creates a filter.
    public init(owner: String? = nil, states: Set<SubscriptionState>? = nil, afterID: String? = nil, limit: Int? = nil)
    {
        self.owner = owner
        self.states = states
        self.afterID = afterID
        self.limit = limit
    }
}
