import Foundation
import GatewayCore

/// A subscription as the API shows it (issue 10 §1): `{"id", "owner", "topic", "filter", "format", "channel",
/// "state", "state_reason", "created", "updated"}`, plus `ssh_public_key` (SFTP), `path` (drop) and, in the answers
/// that create or rotate it only, `secret` (webhook). The private key and stored secrets are never shown.
struct SubscriptionRepresentation: Encodable {
    let subscription: Subscription
    var secret: String?

    enum CodingKeys: String, CodingKey {
        case id, owner, topic, filter, format, channel, state
        case stateReason = "state_reason"
        case created, updated, secret
        case secretPreviousExpires = "previous_secret_expires"
        case sshPublicKey = "ssh_public_key"
        case path
    }
    enum FilterKeys: String, CodingKey {
        case objects
        case minPc = "min_pc"
        case maxMiss = "max_miss_m"
        case provider, participant, kinds
    }
    enum ChannelKeys: String, CodingKey {
        case type, url, username
        case hostKey = "host_key_sha256"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(subscription.id, forKey: .id)
        try container.encode(subscription.owner, forKey: .owner)
        try container.encode(subscription.topic.rawValue, forKey: .topic)
        var filter = container.nestedContainer(keyedBy: FilterKeys.self, forKey: .filter)
        try filter.encode(subscription.filter.objects, forKey: .objects)
        try filter.encode(subscription.filter.minimumCollisionProbability, forKey: .minPc)
        try filter.encode(subscription.filter.maximumMissDistanceMetres, forKey: .maxMiss)
        try filter.encode(subscription.filter.provider, forKey: .provider)
        try filter.encode(subscription.filter.participant, forKey: .participant)
        try filter.encode(subscription.filter.kinds.map(\.rawValue).sorted(), forKey: .kinds)
        try container.encode(subscription.format.rawValue, forKey: .format)
        var channel = container.nestedContainer(keyedBy: ChannelKeys.self, forKey: .channel)
        try channel.encode(subscription.channel.type, forKey: .type)
        switch subscription.channel {
        case .webhook(let url):
            try channel.encode(url, forKey: .url)
        case .sftp(let url, let username, let hostKey):
            try channel.encode(url, forKey: .url)
            try channel.encode(username, forKey: .username)
            try channel.encode(hostKey, forKey: .hostKey)
        case .drop:
            break
        }
        try container.encode(subscription.state.rawValue, forKey: .state)
        try container.encode(subscription.stateReason, forKey: .stateReason)
        try container.encode(Timestamps.text(subscription.created), forKey: .created)
        try container.encode(Timestamps.text(subscription.updated), forKey: .updated)
        if let secret { try container.encode(secret, forKey: .secret) }
        if let expires = subscription.secrets?.previousExpires, expires > Date() {
            try container.encode(Timestamps.text(expires), forKey: .secretPreviousExpires)
        }
        if let key = subscription.sshKey { try container.encode(key.publicKeyAuthorized, forKey: .sshPublicKey) }
        if case .drop = subscription.channel {
            try container.encode("\(subscription.owner)/\(subscription.id)/", forKey: .path)
        }
    }
}

/// One delivery in a subscription's log (`GET /api/v1/subscriptions/{id}/deliveries`).
struct DeliveryRepresentation: Encodable {
    let delivery: Delivery

    enum CodingKeys: String, CodingKey {
        case id
        case webhookID = "webhook_id"
        case eventID = "event_id"
        case state, attempts
        case nextAttempt = "next_attempt"
        case lastAttempt = "last_attempt"
        case lastErrorClass = "last_error_class"
        case lastStatus = "last_status"
        case lastError = "last_error"
        case delivered, created
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(String(delivery.id), forKey: .id)
        try container.encode(delivery.webhookID, forKey: .webhookID)
        try container.encode(String(delivery.eventID), forKey: .eventID)
        try container.encode(delivery.state.rawValue, forKey: .state)
        try container.encode(delivery.attempts, forKey: .attempts)
        let open = delivery.state == .pending || delivery.state == .failed
        try container.encode(open ? delivery.nextAttempt.map(Timestamps.text) : nil, forKey: .nextAttempt)
        try container.encode(delivery.lastAttempt.map(Timestamps.text), forKey: .lastAttempt)
        try container.encode(delivery.lastErrorClass, forKey: .lastErrorClass)
        try container.encode(delivery.lastStatus, forKey: .lastStatus)
        try container.encode(delivery.lastError, forKey: .lastError)
        try container.encode(delivery.delivered.map(Timestamps.text), forKey: .delivered)
        try container.encode(Timestamps.text(delivery.created), forKey: .created)
    }
}
