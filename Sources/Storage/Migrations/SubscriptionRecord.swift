import Foundation
import GatewayCore

/// A subscription's row as every engine writes and reads it (migration 6).
struct SubscriptionRecord: Sendable {
    var id: String
    var owner: String
    var topic: String
    /// JSON array of NORAD ids, ascending.
    var objects: String
    var minimumCollisionProbability: Double?
    var maximumMissDistanceMetres: Double?
    var provider: String?
    var participant: String?
    /// JSON array of product kinds, sorted.
    var kinds: String
    var format: String
    var channelType: String
    var channelURL: String?
    var channelUsername: String?
    var channelHostKeySHA256: String?
    var state: String
    var stateReason: String?
    var createdUS: Int64
    var updatedUS: Int64
    var secretCurrent: String?
    var secretPrevious: String?
    var secretPreviousExpiresUS: Int64?
    var sshPrivateKey: String?
    var sshPublicKey: String?

    /// The row of `subscription`, after the checks every engine applies: `invalid` for a malformed id or (when
    /// `checkingOwner`: an update keeps the stored owner) an empty owner.
    init(_ subscription: Subscription, checkingOwner: Bool = true) throws(StoreError) {
        guard Subscription.isID(subscription.id) else {
            throw .invalid("'\(subscription.id)' is not a subscription id (sub_ and 16 lowercase hexadecimal digits)")
        }
        guard !checkingOwner || !subscription.owner.isEmpty else { throw .invalid("a subscription needs an owner") }
        id = subscription.id
        owner = subscription.owner
        topic = subscription.topic.rawValue
        objects = JSONList.encode(subscription.filter.objects)
        minimumCollisionProbability = subscription.filter.minimumCollisionProbability
        maximumMissDistanceMetres = subscription.filter.maximumMissDistanceMetres
        provider = subscription.filter.provider
        participant = subscription.filter.participant
        kinds = JSONList.encode(subscription.filter.kinds.map(\.rawValue).sorted())
        format = subscription.format.rawValue
        channelType = subscription.channel.type
        switch subscription.channel {
        case .webhook(let url):
            channelURL = url
        case .sftp(let url, let username, let hostKeySHA256):
            channelURL = url
            channelUsername = username
            channelHostKeySHA256 = hostKeySHA256
        case .drop:
            break
        }
        state = subscription.state.rawValue
        stateReason = subscription.stateReason
        createdUS = StoreTime.microseconds(subscription.created)
        updatedUS = StoreTime.microseconds(subscription.updated)
        secretCurrent = subscription.secrets?.current
        secretPrevious = subscription.secrets?.previous
        secretPreviousExpiresUS = subscription.secrets?.previousExpires.map(StoreTime.microseconds)
        sshPrivateKey = subscription.sshKey?.privateKeyOpenSSH
        sshPublicKey = subscription.sshKey?.publicKeyAuthorized
    }

    /// A row as read, column by column (each engine fills it from its own row type).
    init(
        id: String, owner: String, topic: String, objects: String, minimumCollisionProbability: Double?,
        maximumMissDistanceMetres: Double?, provider: String?, participant: String?, kinds: String, format: String,
        channelType: String, channelURL: String?, channelUsername: String?, channelHostKeySHA256: String?,
        state: String, stateReason: String?, createdUS: Int64, updatedUS: Int64, secretCurrent: String?,
        secretPrevious: String?, secretPreviousExpiresUS: Int64?, sshPrivateKey: String?, sshPublicKey: String?
    ) {
        self.id = id
        self.owner = owner
        self.topic = topic
        self.objects = objects
        self.minimumCollisionProbability = minimumCollisionProbability
        self.maximumMissDistanceMetres = maximumMissDistanceMetres
        self.provider = provider
        self.participant = participant
        self.kinds = kinds
        self.format = format
        self.channelType = channelType
        self.channelURL = channelURL
        self.channelUsername = channelUsername
        self.channelHostKeySHA256 = channelHostKeySHA256
        self.state = state
        self.stateReason = stateReason
        self.createdUS = createdUS
        self.updatedUS = updatedUS
        self.secretCurrent = secretCurrent
        self.secretPrevious = secretPrevious
        self.secretPreviousExpiresUS = secretPreviousExpiresUS
        self.sshPrivateKey = sshPrivateKey
        self.sshPublicKey = sshPublicKey
    }

    /// The subscription the row holds; `schema` when a column no longer reads.
    func subscription() throws(StoreError) -> Subscription {
        guard let topic = SubscriptionTopic(rawValue: topic), let format = DeliveryFormat(rawValue: format),
            let state = SubscriptionState(rawValue: state)
        else { throw .schema("subscription \(id) has topic '\(topic)', format '\(format)' and state '\(state)'") }
        let kindNames: [String] = try Self.list(kinds, of: id)
        let kinds = Set(kindNames.compactMap(ProductKind.init(rawValue:)))
        guard kinds.count == Set(kindNames).count else {
            throw .schema("subscription \(id) has the product kinds \(kindNames), not all of which exist")
        }
        return Subscription(
            id: id, owner: owner, topic: topic,
            filter: SubscriptionFilter(
                objects: try Self.list(objects, of: id), minimumCollisionProbability: minimumCollisionProbability,
                maximumMissDistanceMetres: maximumMissDistanceMetres, provider: provider, participant: participant,
                kinds: kinds),
            format: format, channel: try channel(), state: state, stateReason: stateReason,
            created: StoreTime.date(createdUS), updated: StoreTime.date(updatedUS),
            secrets: secretCurrent.map { current in
                WebhookSecrets(
                    current: current, previous: secretPrevious,
                    previousExpires: secretPreviousExpiresUS.map(StoreTime.date))
            },
            sshKey: sshPrivateKey.flatMap { privateKey in
                sshPublicKey.map { SSHKeyPair(privateKeyOpenSSH: privateKey, publicKeyAuthorized: $0) }
            })
    }

    private func channel() throws(StoreError) -> DeliveryChannel {
        switch (channelType, channelURL, channelUsername, channelHostKeySHA256) {
        case ("webhook", let url?, _, _): return .webhook(url: url)
        case ("sftp", let url?, let username?, let hostKey?):
            return .sftp(url: url, username: username, hostKeySHA256: hostKey)
        case ("drop", _, _, _): return .drop
        default: throw .schema("subscription \(id) has the channel '\(channelType)' without its address")
        }
    }

    private static func list<T: Decodable>(_ text: String, of id: String) throws(StoreError) -> [T] {
        do {
            return try JSONDecoder().decode([T].self, from: Data(text.utf8))
        } catch {
            throw .schema("subscription \(id) has the list '\(text)', which does not read")
        }
    }
}

extension NewDelivery {
    /// `deliveries` without repeated pairs, in their first order (one statement must not touch a row twice).
    static func unique(_ deliveries: [NewDelivery]) -> [NewDelivery] {
        var seen = Set<NewDelivery>()
        return deliveries.filter { seen.insert($0).inserted }
    }
}

/// A delivery's columns as every engine reads them.
enum DeliveryRecord {
    /// The columns, in the order `delivery` takes them.
    static let columns = """
        id, subscription_id, event_id, state, attempts, next_attempt_us, created_us, last_attempt_us, \
        last_error_class, last_status, last_error, delivered_us
        """

    /// The delivery a row holds; `schema` for an unknown state.
    static func delivery(
        id: Int64, subscriptionID: String, eventID: Int64, state: String, attempts: Int, nextAttemptUS: Int64?,
        createdUS: Int64, lastAttemptUS: Int64?, lastErrorClass: String?, lastStatus: Int?, lastError: String?,
        deliveredUS: Int64?
    ) throws(StoreError) -> Delivery {
        guard let deliveryState = DeliveryState(rawValue: state) else {
            throw .schema("delivery \(id) has the unknown state '\(state)'")
        }
        return Delivery(
            id: id, subscriptionID: subscriptionID, eventID: eventID, state: deliveryState, attempts: attempts,
            nextAttempt: nextAttemptUS.map(StoreTime.date), created: StoreTime.date(createdUS),
            lastAttempt: lastAttemptUS.map(StoreTime.date), lastErrorClass: lastErrorClass, lastStatus: lastStatus,
            lastError: lastError, delivered: deliveredUS.map(StoreTime.date))
    }
}
