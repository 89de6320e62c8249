import Foundation

/// A user's standing order for pushed messages (issue 10 §1): a topic, a filter, a format and a channel. What is
/// delivered is decided at delivery time by the policy, as for a pull: a subscription never widens access.
public struct Subscription: Sendable, Equatable {
    /// `sub_` and 16 lowercase hexadecimal digits, random.
    public var id: String
    /// The user it belongs to (deliveries are decided as this user).
    public var owner: String
    /// What it receives.
    public var topic: SubscriptionTopic
    /// What narrows it.
    public var filter: SubscriptionFilter
    /// The encoding of the messages.
    public var format: DeliveryFormat
    /// Where they go.
    public var channel: DeliveryChannel
    /// Whether deliveries are made.
    public var state: SubscriptionState
    /// Why the subscription is disabled (or paused), when it says.
    public var stateReason: String?
    /// When it was created.
    public var created: Date
    /// When it last changed.
    public var updated: Date
    /// Webhook channels: the signing secrets (`whsec_…`); empty for other channels.
    public var secrets: WebhookSecrets?
    /// SFTP channels: the ed25519 key pair Essor logs in with; the private key never leaves the store.
    public var sshKey: SSHKeyPair?

    /// Creates a subscription.
    public init(
        id: String = Subscription.newID(), owner: String, topic: SubscriptionTopic,
        filter: SubscriptionFilter = SubscriptionFilter(), format: DeliveryFormat, channel: DeliveryChannel,
        state: SubscriptionState = .active, stateReason: String? = nil, created: Date, updated: Date? = nil,
        secrets: WebhookSecrets? = nil, sshKey: SSHKeyPair? = nil
    ) {
        self.id = id
        self.owner = owner
        self.topic = topic
        self.filter = filter
        self.format = format
        self.channel = channel
        self.state = state
        self.stateReason = stateReason
        self.created = created
        self.updated = updated ?? created
        self.secrets = secrets
        self.sshKey = sshKey
    }

    /// A new random id.
    public static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = UInt64.random(in: .min ... .max, using: &generator)
        let hex = String(value, radix: 16)
        return "sub_" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether `text` has the shape of a subscription id.
    public static func isID(_ text: String) -> Bool {
        text.hasPrefix("sub_") && text.utf8.count == 20
            && text.utf8.dropFirst(4).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// Whether a subscription's deliveries are made (issue 10 §1).
public enum SubscriptionState: String, Sendable, CaseIterable, Codable {
    /// Events are fanned out and delivered.
    case active
    /// Paused by its owner: events are not fanned out to it (the feed keeps them; `replay` catches up).
    case paused
    /// Disabled by the gateway (the receiver answered 410, the owner lost access …), with the reason; re-enabled
    /// by setting it `active`.
    case disabled
}

/// A webhook subscription's signing secrets (Standard Webhooks v1: `whsec_` + base64 of 32 random bytes). After a
/// rotation the previous secret stays valid until `previousExpires` (24 h), and messages are signed with both.
public struct WebhookSecrets: Sendable, Equatable {
    /// The secret in force.
    public var current: String
    /// The secret before the last rotation, while it is still valid.
    public var previous: String?
    /// When `previous` stops being used.
    public var previousExpires: Date?

    /// Creates a set of secrets.
    public init(current: String, previous: String? = nil, previousExpires: Date? = nil) {
        self.current = current
        self.previous = previous
        self.previousExpires = previousExpires
    }

    /// The secrets to sign with at `time`: the current one, then the previous one while valid.
    public func signing(at time: Date) -> [String] {
        guard let previous, let previousExpires, time < previousExpires else { return [current] }
        return [current, previous]
    }
}

/// An ed25519 key pair in OpenSSH's forms: what an SFTP subscription logs in with.
public struct SSHKeyPair: Sendable, Equatable {
    /// The private key, `-----BEGIN OPENSSH PRIVATE KEY-----` (unencrypted; it never leaves the store).
    public var privateKeyOpenSSH: String
    /// The public key as one `authorized_keys` line: `ssh-ed25519 AAAA… essor-<subscription id>`.
    public var publicKeyAuthorized: String

    /// Creates a key pair.
    public init(privateKeyOpenSSH: String, publicKeyAuthorized: String) {
        self.privateKeyOpenSSH = privateKeyOpenSSH
        self.publicKeyAuthorized = publicKeyAuthorized
    }
}
