import Foundation
import GatewayCore

// Placeholder conformance while the outbox tables are built (issue 10): every call fails with a schema error.
extension PostgresStore: SubscriptionStore {
    public func createSubscription(_ subscription: Subscription) async throws(StoreError) { throw Self.outboxMissing }
    public func subscription(id: String) async throws(StoreError) -> Subscription { throw Self.outboxMissing }
    public func subscriptions(_ filter: SubscriptionListFilter) async throws(StoreError) -> [Subscription] {
        throw Self.outboxMissing
    }
    public func updateSubscription(_ subscription: Subscription) async throws(StoreError) { throw Self.outboxMissing }
    public func deleteSubscription(id: String) async throws(StoreError) { throw Self.outboxMissing }
    public func fanOutCursor() async throws(StoreError) -> Int64 { throw Self.outboxMissing }
    public func fanOut(from expected: Int64, to cursor: Int64, deliveries: [NewDelivery], at time: Date)
        async throws(StoreError) -> Bool
    { throw Self.outboxMissing }
    public func requeueDeliveries(_ deliveries: [NewDelivery], at time: Date) async throws(StoreError) -> Int {
        throw Self.outboxMissing
    }
    public func claimDeliveries(dueAt time: Date, limit: Int, leaseUntil: Date) async throws(StoreError) -> [Delivery] {
        throw Self.outboxMissing
    }
    public func recordDeliveryAttempts(_ attempts: [DeliveryAttempt]) async throws(StoreError) {
        throw Self.outboxMissing
    }
    public func deliveries(_ filter: DeliveryFilter) async throws(StoreError) -> [Delivery] { throw Self.outboxMissing }
    public func deliveryQueueStatistics() async throws(StoreError) -> DeliveryQueueStatistics {
        throw Self.outboxMissing
    }
    static var outboxMissing: StoreError { .schema("subscriptions are not built yet") }
}
