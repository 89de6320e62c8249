import Foundation
import GatewayCore
import Policy

/// Which subscriptions an event goes to (issue 10 §1, §5): topic, filter and the policy as each owner. Used by the
/// fan-out for every new event and by a replay for one subscription's past events.
struct DeliveryMatcher: Sendable {
    let store: any GatewayStore

    /// The pairs of `events` × `subscriptions` to deliver, as the policy stands at `access.time`.
    func pairs(
        events: [FeedEvent], subscriptions: [Subscription], access: PushAccess
    ) async throws(StoreError) -> [NewDelivery] {
        guard !events.isEmpty, !subscriptions.isEmpty else { return [] }
        let owners = try await users(named: Set(subscriptions.map(\.owner)))
        let products = try await summaries(of: events)
        var pairs: [NewDelivery] = []
        for event in events {
            if event.type == PushAccess.testPing {
                if let id = PushAccess.pingedSubscription(event), subscriptions.contains(where: { $0.id == id }) {
                    pairs.append(NewDelivery(subscriptionID: id, eventID: event.id))
                }
                continue
            }
            let product = event.productID.flatMap { products[$0] }
            var allowedOwners: [String: Bool] = [:]
            for subscription in subscriptions {
                guard subscription.topic.carries(eventType: event.type, kind: event.kind) else { continue }
                if let product {
                    guard subscription.filter.matches(product) else { continue }
                } else {
                    guard event.productID == nil, subscription.filter.matches(event) else { continue }
                }
                guard let owner = owners[subscription.owner] else { continue }
                let key = subscription.owner + "\u{1}" + subscription.topic.rawValue
                let allowed: Bool
                if let known = allowedOwners[key] {
                    allowed = known
                } else {
                    allowed = access.decide(owner: owner, subscription: subscription, event: event) != nil
                    allowedOwners[key] = allowed
                }
                if allowed { pairs.append(NewDelivery(subscriptionID: subscription.id, eventID: event.id)) }
            }
        }
        return pairs
    }

    /// The users with these names (a missing one is left out: its subscriptions receive nothing).
    private func users(named names: Set<String>) async throws(StoreError) -> [String: User] {
        var found: [String: User] = [:]
        if names.count > 8 {
            for user in try await store.users(organisation: nil) where names.contains(user.name) {
                found[user.name] = user
            }
            return found
        }
        for name in names {
            do {
                found[name] = try await store.user(named: name)
            } catch .notFound {
                continue
            }
        }
        return found
    }

    /// The summaries of the products the events are about, by id (one ranged read when their ids are close, as
    /// they are for the `product.stored` events of one batch).
    private func summaries(of events: [FeedEvent]) async throws(StoreError) -> [Int64: Product] {
        let ids = Set(events.compactMap(\.productID))
        guard let low = ids.min(), let high = ids.max() else { return [:] }
        var found: [Int64: Product] = [:]
        if high - low < Int64(max(64, ids.count * 4)) {
            let filter = ProductFilter(afterID: low - 1, limit: Int(high - low + 1))
            for product in try await store.productSummaries(filter) where ids.contains(product.id ?? 0) {
                found[product.id ?? 0] = product
            }
            return found
        }
        for id in ids {
            do {
                found[id] = try await store.product(id: id).summary
            } catch .notFound {
                continue
            }
        }
        return found
    }
}
