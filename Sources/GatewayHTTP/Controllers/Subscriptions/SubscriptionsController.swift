import Delivery
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Policy

/// Push subscriptions (issue 10 §1, §6): `POST/GET /api/v1/subscriptions`, `GET/PATCH/DELETE
/// /api/v1/subscriptions/{id}`, its `deliveries` log, `replay` and `test`. Each user sees and changes only their
/// own (an administrator may list anyone's with `?owner=`); someone else's answers like a missing one. Creating,
/// changing or deleting is decided by `subscribe:<topic>` (audited, with its quotas); what is then delivered is
/// decided again at delivery time.
struct SubscriptionsController: Sendable {
    let store: any GatewayStore
    let gatekeeper: Gatekeeper
    let push: PushEndpoints

    /// A webhook's old secret stays valid this long after a rotation (issue 10 §2).
    static let secretOverlap: TimeInterval = 24 * 3600
    /// The most subscriptions one user may hold.
    static let perUserLimit = 1000

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("subscriptions", use: create)
        group.get("subscriptions", use: list)
        group.get("subscriptions/:id", use: one)
        group.patch("subscriptions/:id", use: update)
        group.delete("subscriptions/:id", use: delete)
        group.get("subscriptions/:id/deliveries", use: deliveries)
        group.post("subscriptions/:id/replay", use: replay)
        group.post("subscriptions/:id/test", use: test)
    }

    @Sendable func create(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let body = try SubscriptionBody(try await Self.readBody(request))
        guard let topic = body.topic else { throw SubscriptionBody.bad("topic", "is required") }
        guard let format = body.format else { throw SubscriptionBody.bad("format", "is required: kvn, xml or json") }
        guard let channel = body.channel else {
            throw SubscriptionBody.bad("channel", "is required: {\"type\": \"webhook\", \"url\": \"https://…\"} …")
        }
        let filter = body.filter ?? SubscriptionFilter()
        try Self.check(filter, topic: topic)
        let id = Subscription.newID()
        try await allow(principal, topic, id: id, request: request, context: context)
        try await checkReachable(channel)
        let existing = try await storeCall {
            try await store.subscriptions(SubscriptionListFilter(owner: principal.userName, limit: Self.perUserLimit))
        }
        guard existing.count < Self.perUserLimit else {
            throw Problem(.badParameter, "you hold \(Self.perUserLimit) subscriptions, the most allowed", parameter: "topic")
        }
        let now = Date()
        var subscription = Subscription(
            id: id, owner: principal.userName, topic: topic, filter: filter, format: format, channel: channel,
            state: body.state ?? .active, created: now)
        var secret: String?
        credentials(for: &subscription, secret: &secret)
        try await storeCall { try await store.createSubscription(subscription) }
        context.logger.info(
            "subscription created",
            metadata: ["subscription.id": "\(id)", "subscription.topic": "\(topic.rawValue)", "channel": "\(channel.type)"])
        var headers = HTTPFields()
        headers[.location] = "/api/v1/subscriptions/\(id)"
        return try Self.json(
            SubscriptionRepresentation(subscription: subscription, secret: secret), status: .created, headers: headers)
    }

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let page = try PageParameters(request, cursorName: nil)
        var owner: String? = principal.userName
        if let asked = request.queryText("owner"), asked != principal.userName {
            let decision = try await gatekeeper.decide(
                principal, .admin, on: .service, context: context, route: context.endpointPath ?? request.uri.path)
            guard decision.isAllowed else {
                throw Problem(.forbidden, "only administrators list other users' subscriptions")
            }
            owner = asked == "*" ? nil : asked
        }
        var after: String?
        if let cursor = request.queryText("cursor") {
            guard Subscription.isID(cursor) else {
                throw Problem(.badParameter, "cursor '\(cursor)' is not one this gateway gave out", parameter: "cursor")
            }
            after = cursor
        }
        let items = try await storeCall {
            try await store.subscriptions(SubscriptionListFilter(owner: owner, afterID: after, limit: page.limit))
        }
        let next = items.count == page.limit ? items.last?.id : nil
        return try Self.json(Page(items: items.map { SubscriptionRepresentation(subscription: $0) }, next: next))
    }

    @Sendable func one(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let subscription = try await owned(context)
        return try Self.json(SubscriptionRepresentation(subscription: subscription))
    }

    @Sendable func update(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var subscription = try await owned(context)
        let body = try SubscriptionBody(try await Self.readBody(request))
        if let topic = body.topic, topic != subscription.topic {
            throw SubscriptionBody.bad("topic", "cannot change: create another subscription")
        }
        // Pausing needs no right: an owner who lost `subscribe:<topic>` may still stop what they set up.
        let onlyPauses = body.filter == nil && body.format == nil && body.channel == nil && !body.rotateSecret
            && body.state == .paused
        if !onlyPauses {
            try await allow(principal, subscription.topic, id: subscription.id, request: request, context: context)
        }
        let now = Date()
        if let filter = body.filter {
            try Self.check(filter, topic: subscription.topic)
            subscription.filter = filter
        }
        if let format = body.format { subscription.format = format }
        var secret: String?
        if let channel = body.channel, channel != subscription.channel {
            try await checkReachable(channel)
            let typeChanged = channel.type != subscription.channel.type
            subscription.channel = channel
            if typeChanged {
                subscription.secrets = nil
                subscription.sshKey = nil
                credentials(for: &subscription, secret: &secret)
            }
        }
        if body.rotateSecret {
            guard var secrets = subscription.secrets, case .webhook = subscription.channel else {
                throw SubscriptionBody.bad("rotate_secret", "applies to webhook subscriptions only")
            }
            if secret == nil {
                let fresh = push.newSecret()
                secrets = WebhookSecrets(
                    current: fresh, previous: secrets.current, previousExpires: now.addingTimeInterval(Self.secretOverlap))
                subscription.secrets = secrets
                secret = fresh
            }
        }
        if let state = body.state {
            subscription.state = state
            subscription.stateReason = state == .paused ? "paused by \(principal.userName)" : nil
        }
        subscription.updated = now
        try await storeCall { try await store.updateSubscription(subscription) }
        context.logger.info("subscription changed", metadata: ["subscription.id": "\(subscription.id)"])
        return try Self.json(SubscriptionRepresentation(subscription: subscription, secret: secret))
    }

    @Sendable func delete(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let subscription = try await owned(context)
        // Deleting needs no right beyond ownership: an owner who lost `subscribe:<topic>` may still clean up.
        try await storeCall { try await store.deleteSubscription(id: subscription.id) }
        context.logger.info("subscription deleted", metadata: ["subscription.id": "\(subscription.id)"])
        return Response(status: .noContent)
    }

    @Sendable func deliveries(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let subscription = try await owned(context)
        let page = try PageParameters(request)
        var states: Set<DeliveryState>?
        if let text = request.queryText("state") {
            var set: Set<DeliveryState> = []
            for part in text.split(separator: ",") {
                guard let state = DeliveryState(rawValue: String(part)) else {
                    throw Problem(
                        .badParameter, "state '\(part)' is not one of pending, delivered, failed, dead", parameter: "state")
                }
                set.insert(state)
            }
            states = set
        }
        let items = try await storeCall {
            try await store.deliveries(
                DeliveryFilter(
                    subscriptionID: subscription.id, states: states, beforeID: page.cursor, limit: page.limit))
        }
        let next = items.count == page.limit ? items.last.map { String($0.id) } : nil
        return try Self.json(Page(items: items.map(DeliveryRepresentation.init), next: next))
    }

    @Sendable func replay(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let subscription = try await owned(context)
        let bytes = try await Self.readBody(request)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw SubscriptionBody.bad("body", "must be a JSON object {\"after\": CURSOR}")
        }
        var after: Int64?
        if let text = object["after"] as? String { after = Int64(text) }
        if let number = object["after"] as? NSNumber, !(object["after"] is Bool) {
            after = Int64(exactly: number.doubleValue)
        }
        guard let after, after >= 0, object.keys.allSatisfy({ $0 == "after" }) else {
            throw SubscriptionBody.bad("after", "must be a feed cursor (an event id, as GET /api/v1/feed gives)")
        }
        try await allow(principal, subscription.topic, id: subscription.id, request: request, context: context)
        let queued = try await storeCall {
            try await DeliveryReplay.replay(
                subscription, after: after, store: store, policy: gatekeeper.policy.policy, at: Date())
        }
        return try Self.json(["queued": queued], status: .accepted)
    }

    @Sendable func test(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let subscription = try await owned(context)
        guard subscription.state == .active else {
            throw SubscriptionBody.bad(
                "state", "is \(subscription.state.rawValue): only an active subscription receives a test ping")
        }
        try await allow(principal, subscription.topic, id: subscription.id, request: request, context: context)
        let details = try JSONSerialization.data(
            withJSONObject: ["subscription": subscription.id, "requested_by": principal.userName], options: [.sortedKeys])
        let event = try await storeCall {
            try await store.appendFeedEvent(
                FeedEvent(type: PushAccess.testPing, time: Date(), details: String(decoding: details, as: UTF8.self)))
        }
        return try Self.json(["event_id": String(event.id), "type": event.type], status: .accepted)
    }

    // MARK: - Shared steps

    /// The caller's subscription named in the path; `404` when missing or someone else's.
    private func owned(_ context: GatewayRequestContext) async throws -> Subscription {
        let principal = try context.requirePrincipal()
        let id = context.parameters.get("id") ?? ""
        let missing = Problem(.notFound, "no such subscription is yours")
        guard Subscription.isID(id) else { throw missing }
        let subscription: Subscription
        do {
            subscription = try await store.subscription(id: id)
        } catch .notFound {
            throw missing
        } catch {
            throw Problem(error)
        }
        guard subscription.owner == principal.userName else { throw missing }
        return subscription
    }

    /// `subscribe:<topic>` for the caller (audited; quotas counted); `403` when refused.
    private func allow(
        _ principal: Principal, _ topic: SubscriptionTopic, id: String, request: Request, context: GatewayRequestContext
    ) async throws {
        let decision = try await gatekeeper.decide(
            principal, topic.action, on: Resource(kind: .subscription, identifier: id), context: context,
            route: context.endpointPath ?? request.uri.path)
        guard decision.isAllowed else {
            throw Problem(.forbidden, "you may not subscribe to \(topic.rawValue) (\(topic.action.rawValue))")
        }
    }

    /// The SSRF guard at creation: the channel's host must resolve to addresses deliveries may reach.
    private func checkReachable(_ channel: DeliveryChannel) async throws(Problem) {
        switch channel {
        case .webhook(let url):
            if let refusal = await push.checkWebhookURL(url) { throw SubscriptionBody.bad("channel.url", refusal) }
        case .sftp(let url, _, _):
            let parts = URLComponents(string: url)
            if let refusal = await push.checkSFTPHost(parts?.host ?? "", parts?.port ?? 22) {
                throw SubscriptionBody.bad("channel.url", refusal)
            }
        case .drop:
            break
        }
    }

    /// A new secret (webhook) or key pair (SFTP) for the subscription's channel; the secret is returned once.
    private func credentials(for subscription: inout Subscription, secret: inout String?) {
        switch subscription.channel {
        case .webhook:
            let fresh = push.newSecret()
            subscription.secrets = WebhookSecrets(current: fresh)
            secret = fresh
        case .sftp:
            subscription.sshKey = push.newSSHKey(subscription.id)
        case .drop:
            break
        }
    }

    private static func check(_ filter: SubscriptionFilter, topic: SubscriptionTopic) throws(Problem) {
        if !filter.kinds.isEmpty {
            guard let carried = topic.productKinds, filter.kinds.isSubset(of: carried) else {
                throw SubscriptionBody.bad("filter.kinds", "names kinds the topic \(topic.rawValue) does not carry")
            }
        }
        if topic == .observationRequest
            && (filter.minimumCollisionProbability != nil || filter.maximumMissDistanceMetres != nil
                || filter.provider != nil || filter.participant != nil)
        {
            throw SubscriptionBody.bad("filter", "observation-request subscriptions filter by objects only")
        }
    }

    private static func readBody(_ request: Request) async throws -> [UInt8] {
        let buffer = try await request.body.collect(upTo: 256 * 1024)
        return Array(buffer.readableBytesView)
    }

    private static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:])
        throws -> Response
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(
            status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
