import Foundation
import GatewayCore
import Policy

/// Whether a subscription's owner may receive an event (issue 10 §1): decided by the same policy as a pull, as the
/// owner, at the moment it is asked. The owner must still be allowed to subscribe to the topic, and to read what the
/// event is about; a subscription never widens access.
public struct PushAccess: Sendable {
    /// The policy in force.
    public let policy: PolicySet
    /// When the decision is taken.
    public let time: Date

    /// Creates a decider.
    public init(policy: PolicySet, time: Date) {
        self.policy = policy
        self.time = time
    }

    /// What an owner may receive of an event: nil when nothing, else the fields to withhold.
    public func decide(owner: User, subscription: Subscription, event: FeedEvent) -> Set<HiddenField>? {
        let principal = owner.principal(authenticatedBy: .apiKey)
        let subscribe = AccessRequest(principal: principal, action: subscription.topic.action, resource: .service, time: time)
        guard policy.allows(subscribe) else { return nil }
        if event.type == PushAccess.testPing { return [] }
        if subscription.topic == .observationRequest {
            // The requester's own requests; an administrator's subscription receives every request's changes.
            if event.requester == owner.name { return [] }
            let admin = AccessRequest(principal: principal, action: .admin, resource: .service, time: time)
            return policy.allows(admin) ? [] : nil
        }
        guard let kind = event.kind, let resource = ProductAccess.resource(event) else { return nil }
        let decision = policy.evaluate(
            AccessRequest(principal: principal, action: ProductAccess.readAction(kind), resource: resource, time: time))
        return decision.isAllowed ? decision.hiddenFields : nil
    }

    /// The type of the event `POST /api/v1/subscriptions/{id}/test` appends; its details name the subscription.
    public static let testPing = "test.ping"

    /// The subscription a `test.ping` event is for.
    public static func pingedSubscription(_ event: FeedEvent) -> String? {
        event.detail("subscription")
    }
}
