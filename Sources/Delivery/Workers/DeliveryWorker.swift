import Foundation
import GatewayCore
import Logging
import Metrics
import Policy
import ServiceLifecycle

/// Attempts due deliveries (issue 10 §2–5): claims a batch for a lease, decides each one again as its owner under
/// the policy in force, renders the message once per (event, format, withheld fields), sends it on the
/// subscription's channel with bounded concurrency, and records the outcomes in one transaction. A crash between
/// sending and recording leaves the claim to lapse: the delivery is sent again, with the same `webhook-id`.
public struct DeliveryWorker: Service {
    let store: any GatewayStore
    let settings: DeliverySettings
    let transports: DeliveryTransports
    let schedule: @Sendable (_ attempts: Int, _ time: Date) -> Date?
    let policy: @Sendable () -> PolicySet
    let logger: Logger

    /// Creates the worker. `schedule` gives the next attempt's time after `attempts` failed ones (nil: give up).
    public init(
        store: any GatewayStore, settings: DeliverySettings, transports: DeliveryTransports,
        schedule: @escaping @Sendable (Int, Date) -> Date?, policy: @escaping @Sendable () -> PolicySet,
        logger: Logger
    ) {
        self.store = store
        self.settings = settings
        self.transports = transports
        self.schedule = schedule
        self.policy = policy
        self.logger = logger
    }

    /// Delivers until cancelled (or a graceful shutdown): rounds back to back while there is work, else waits for
    /// the outbox's signal or the poll interval.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            // Several loops, so that one sends while another claims, loads or records (claims never overlap: the
            // store hands each delivery to one claimant).
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<max(1, settings.rounds) {
                    group.addTask { await loop() }
                }
            }
        }
    }

    private func loop() async {
        while !Task.isCancelled {
            let generation = store.deliveryChanges.generation
            var attempted = 0
            do {
                attempted = try await round(at: Date())
            } catch {
                logger.error("delivery round failed", metadata: ["error": "\(error)"])
            }
            if attempted == 0 {
                await store.deliveryChanges.wait(after: generation, timeout: settings.effectivePollInterval)
            }
        }
    }

    /// One round: claims due deliveries, attempts them, records the outcomes; returns how many it attempted.
    public func round(at time: Date) async throws(StoreError) -> Int {
        let lease = time.addingTimeInterval(settings.leaseSeconds)
        let claimed = try await store.claimDeliveries(dueAt: time, limit: settings.claimBatch, leaseUntil: lease)
        guard !claimed.isEmpty else { return 0 }
        let context = try await RoundContext.load(
            for: claimed, store: store, policy: policy(), inlineLimitBytes: settings.inlineLimitBytes, at: time)
        let attempts = await withTaskGroup(of: (DeliveryAttempt, Subscription?).self) { group in
            var results: [(DeliveryAttempt, Subscription?)] = []
            var next = claimed.makeIterator()
            for _ in 0..<min(settings.concurrency, claimed.count) {
                if let delivery = next.next() { group.addTask { await attempt(delivery, context) } }
            }
            while let result = await group.next() {
                results.append(result)
                if let delivery = next.next() { group.addTask { await attempt(delivery, context) } }
            }
            return results
        }
        try await store.recordDeliveryAttempts(attempts.map(\.0))
        for case (_, let gone?) in attempts {
            // Re-read: the owner may have changed it (a new URL, a rotated secret) since the round began.
            guard var disabled = try? await store.subscription(id: gone.id), disabled.channel == gone.channel,
                disabled.state == .active
            else { continue }
            disabled.state = .disabled
            disabled.stateReason = "the receiver answered 410 Gone at \(Timestamps.text(Date())); set state active to resume"
            disabled.updated = Date()
            do {
                try await store.updateSubscription(disabled)
                logger.notice("subscription disabled: receiver gone", metadata: ["subscription.id": "\(gone.id)"])
            } catch {
                logger.error("subscription not disabled", metadata: ["subscription.id": "\(gone.id)", "error": "\(error)"])
            }
        }
        return claimed.count
    }

    /// Attempts one delivery; returns the record and, when the receiver is gone, the subscription to disable.
    private func attempt(_ delivery: Delivery, _ context: RoundContext) async -> (DeliveryAttempt, Subscription?) {
        let channel = context.subscriptions[delivery.subscriptionID]?.channel.type ?? "none"
        let outcome: TransportOutcome
        let prepared = context.prepare(delivery)
        switch prepared {
        case .failure(let failure):
            outcome = failure
        case .success(let (subscription, message)):
            outcome = await send(message, delivery: delivery, to: subscription, at: Date())
        }
        let now = Date()
        DeliveryMetrics.record(channel: channel, outcome: outcome)
        var record = DeliveryAttempt(
            deliveryID: delivery.id, time: now, state: .delivered, errorClass: outcome.errorClass,
            status: outcome.status, error: outcome.message)
        if !outcome.delivered {
            let terminal = outcome.gone || outcome.errorClass == DeliveryWorker.policyRefusal
            let next = terminal ? nil : schedule(delivery.attempts + 1, now)
            record.state = next == nil ? .dead : .failed
            record.nextAttempt = next
        }
        if outcome.gone, case .success(let (subscription, _)) = prepared { return (record, subscription) }
        return (record, nil)
    }

    /// Sends `message` on the subscription's channel.
    private func send(_ message: PushMessage, delivery: Delivery, to subscription: Subscription, at time: Date) async
        -> TransportOutcome
    {
        switch subscription.channel {
        case .webhook(let url):
            let timestamp = Int(time.timeIntervalSince1970)
            let secrets = subscription.secrets?.signing(at: time) ?? []
            guard let signature = try? StandardWebhookSignature.header(
                id: delivery.webhookID, timestamp: timestamp, body: message.webhookBody, secrets: secrets)
            else {
                return TransportOutcome(delivered: false, errorClass: "secret", message: "the signing secret is unusable")
            }
            let headers = [
                ("webhook-id", delivery.webhookID), ("webhook-timestamp", String(timestamp)),
                ("webhook-signature", signature), ("content-type", "application/json"),
                ("user-agent", "Essor-Webhooks/1"),
            ]
            return await transports.webhook(url, headers, message.webhookBody)
        case .sftp:
            return await transports.sftp(subscription, message.fileName, message.fileBytes)
        case .drop:
            return await transports.drop(subscription, message.fileName, message.fileBytes)
        }
    }

    /// The error class of a delivery the owner may no longer receive (final: never retried).
    public static let policyRefusal = "policy"
}

/// What a round reads once for all its deliveries: subscriptions, owners, events, products, decisions and
/// rendered messages.
struct RoundContext: Sendable {
    var subscriptions: [String: Subscription] = [:]
    var owners: [String: User] = [:]
    var events: [Int64: FeedEvent] = [:]
    var products: [Int64: Product] = [:]
    var messages: [String: Result<PushMessage, TransportOutcome>] = [:]
    var decisions: [String: Set<HiddenField>?] = [:]
    var inlineLimitBytes = 256 * 1024

    static func load(
        for claimed: [Delivery], store: any GatewayStore, policy: PolicySet, inlineLimitBytes: Int, at time: Date
    )
        async throws(StoreError) -> RoundContext
    {
        var context = RoundContext()
        context.inlineLimitBytes = inlineLimitBytes
        let wanted = Set(claimed.map(\.subscriptionID))
        if wanted.count > 8 {
            // One read of every active subscription beats hundreds of single reads (a busy event fans out wide).
            for subscription in try await store.subscriptions(SubscriptionListFilter(states: [.active]))
            where wanted.contains(subscription.id) {
                context.subscriptions[subscription.id] = subscription
            }
        } else {
            for id in wanted {
                do {
                    context.subscriptions[id] = try await store.subscription(id: id)
                } catch .notFound {
                    continue
                }
            }
        }
        for name in Set(context.subscriptions.values.map(\.owner)) {
            do {
                context.owners[name] = try await store.user(named: name)
            } catch .notFound {
                continue
            }
        }
        let eventIDs = Set(claimed.map(\.eventID))
        if let low = eventIDs.min(), let high = eventIDs.max() {
            if high - low < Int64(max(64, eventIDs.count * 4)) {
                for event in try await store.feedEvents(FeedFilter(afterID: low - 1, limit: Int(high - low + 1)))
                where eventIDs.contains(event.id) {
                    context.events[event.id] = event
                }
            } else {
                for id in eventIDs {
                    if let event = try await store.feedEvents(FeedFilter(afterID: id - 1, limit: 1)).first, event.id == id {
                        context.events[id] = event
                    }
                }
            }
        }
        let access = PushAccess(policy: policy, time: time)
        for delivery in claimed {
            guard let subscription = context.subscriptions[delivery.subscriptionID],
                let owner = context.owners[subscription.owner], let event = context.events[delivery.eventID]
            else { continue }
            let key = "\(delivery.subscriptionID)/\(delivery.eventID)"
            let hidden = access.decide(owner: owner, subscription: subscription, event: event)
            context.decisions[key] = .some(hidden)
            guard let hidden else { continue }
            if let productID = event.productID, event.type == FeedEvent.productStored, context.products[productID] == nil {
                do {
                    context.products[productID] = try await store.product(id: productID)
                } catch .notFound {
                    continue
                }
            }
            let messageKey = Self.messageKey(event: event, format: subscription.format, hidden: hidden)
            if context.messages[messageKey] == nil {
                context.messages[messageKey] = context.render(event, format: subscription.format, hidden: hidden, at: time)
            }
        }
        return context
    }

    /// The subscription and the message of one delivery, or why it cannot be made.
    func prepare(_ delivery: Delivery) -> Result<(Subscription, PushMessage), TransportOutcome> {
        guard let subscription = subscriptions[delivery.subscriptionID] else {
            return .failure(refusal("the subscription no longer exists"))
        }
        guard owners[subscription.owner] != nil else {
            return .failure(refusal("the subscription's owner no longer exists"))
        }
        guard let event = events[delivery.eventID] else {
            return .failure(refusal("the feed event no longer exists"))
        }
        guard case .some(.some(let hidden)) = decisions["\(delivery.subscriptionID)/\(delivery.eventID)"] else {
            return .failure(refusal("the access policy no longer lets the owner see this event"))
        }
        guard let message = messages[Self.messageKey(event: event, format: subscription.format, hidden: hidden)] else {
            return .failure(TransportOutcome(delivered: false, errorClass: "render", message: "not rendered"))
        }
        return message.map { (subscription, $0) }
    }

    private func render(_ event: FeedEvent, format: DeliveryFormat, hidden: Set<HiddenField>, at time: Date)
        -> Result<PushMessage, TransportOutcome>
    {
        do {
            if event.type == FeedEvent.productStored, let id = event.productID {
                guard let product = products[id] else {
                    return .failure(refusal("the product no longer exists"))
                }
                return .success(
                    try PushMessage.product(
                        product, format: format, hidden: hidden, at: time, inlineLimitBytes: inlineLimitBytes))
            }
            return .success(try PushMessage.event(event, at: time))
        } catch {
            return .failure(
                TransportOutcome(
                    delivered: false, gone: false, errorClass: "render",
                    message: "the message cannot be written as \(format.rawValue): \(error)"))
        }
    }

    private func refusal(_ message: String) -> TransportOutcome {
        TransportOutcome(delivered: false, errorClass: DeliveryWorker.policyRefusal, message: message)
    }

    private static func messageKey(event: FeedEvent, format: DeliveryFormat, hidden: Set<HiddenField>) -> String {
        "\(event.id)/\(format.rawValue)/" + hidden.map(\.rawValue).sorted().joined(separator: ",")
    }
}
