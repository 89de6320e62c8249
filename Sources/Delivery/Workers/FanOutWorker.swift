import Foundation
import GatewayCore
import Logging
import Policy
import ServiceLifecycle

/// Turns feed events into deliveries (issue 10 §5): reads the feed after a durable cursor, matches each event to
/// the active subscriptions, and queues the pairs and the new cursor in one transaction. The cursor moves by
/// compare-and-set, so with several gateways on one database each event is fanned out exactly once and none is
/// skipped; a crash before the commit leaves the cursor where it was and the batch is fanned out again.
public struct FanOutWorker: Service {
    let store: any GatewayStore
    let settings: DeliverySettings
    let policy: @Sendable () -> PolicySet
    let logger: Logger

    /// Creates the worker; `policy` gives the policy in force at each round.
    public init(
        store: any GatewayStore, settings: DeliverySettings, policy: @escaping @Sendable () -> PolicySet,
        logger: Logger
    ) {
        self.store = store
        self.settings = settings
        self.policy = policy
        self.logger = logger
    }

    /// Fans out until cancelled (or a graceful shutdown), waking on new feed events and polling as a fallback.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let generation = store.feedChanges.generation
                var processed = 0
                do {
                    processed = try await round(at: Date())
                } catch {
                    logger.error("fan-out round failed", metadata: ["error": "\(error)"])
                }
                if processed == 0 {
                    await store.feedChanges.wait(after: generation, timeout: settings.pollInterval)
                }
            }
        }
    }

    /// One batch: returns how many events it consumed (0 when there were none, or another worker moved the
    /// cursor first).
    public func round(at time: Date) async throws(StoreError) -> Int {
        let cursor = try await store.fanOutCursor()
        let events = try await store.feedEvents(FeedFilter(afterID: cursor, limit: settings.fanOutBatch))
        guard let last = events.last else { return 0 }
        let subscriptions = try await store.subscriptions(SubscriptionListFilter(states: [.active]))
        let pairs = try await DeliveryMatcher(store: store).pairs(
            events: events, subscriptions: subscriptions, access: PushAccess(policy: policy(), time: time))
        guard try await store.fanOut(from: cursor, to: last.id, deliveries: pairs, at: time) else { return 0 }
        if !pairs.isEmpty {
            logger.debug(
                "fanned out", metadata: ["feed.cursor": "\(last.id)", "delivery.count": "\(pairs.count)"])
        }
        return events.count
    }
}

/// Redelivers a subscription's past events (issue 10 §6: `POST /api/v1/subscriptions/{id}/replay`).
public enum DeliveryReplay {
    /// Queues again every event after `after` up to the fan-out cursor that the subscription matches and its owner
    /// may see now; returns how many deliveries are now pending.
    public static func replay(
        _ subscription: Subscription, after: Int64, store: any GatewayStore, policy: PolicySet, at time: Date
    ) async throws(StoreError) -> Int {
        let end = try await store.fanOutCursor()
        var cursor = after
        var pairs: [NewDelivery] = []
        let matcher = DeliveryMatcher(store: store)
        let access = PushAccess(policy: policy, time: time)
        while cursor < end {
            let events = try await store.feedEvents(FeedFilter(afterID: cursor, limit: 1000)).filter { $0.id <= end }
            guard let last = events.last else { break }
            pairs += try await matcher.pairs(events: events, subscriptions: [subscription], access: access)
            cursor = last.id
        }
        guard !pairs.isEmpty else { return 0 }
        return try await store.requeueDeliveries(pairs, at: time)
    }
}
