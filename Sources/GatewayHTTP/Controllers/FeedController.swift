import Foundation
import GatewayCore
import Hummingbird
import Policy

/// `GET /api/v1/feed?after=CURSOR&limit=N&wait=SECONDS` (issue 5 §4): the caller's events in order. The cursor
/// is an event id (ids only grow, without gaps, in commit order, and survive restarts); `next` is the cursor to
/// pass on, advanced past events the caller may not see. With `wait`, an empty answer is held until an event the
/// caller may see arrives or the wait (at most 60 s) ends; the store's feed signal wakes it.
struct FeedController: Sendable {
    let store: any GatewayStore
    let gatekeeper: Gatekeeper

    /// Events read from the store per batch, and batches per answer (an answer never scans unboundedly).
    static let batchSize = 1000
    static let batchesPerAnswer = 20

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("feed", use: feed)
    }

    @Sendable func feed(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let parameters = request.uri.queryParameters
        let page = try PageParameters(request, cursorName: "after")
        var after = page.cursor ?? 0
        let limit = page.limit
        var wait = 0.0
        if let text = parameters.get("wait") {
            guard let value = Double(text), (0...60).contains(value) else {
                throw Problem(.badParameter, "wait must be 0 to 60 seconds, not '\(text)'", parameter: "wait")
            }
            wait = value
        }
        try gatekeeper.admitListing(principal)
        let deadline = ContinuousClock.now + .milliseconds(Int(wait * 1000))
        while true {
            let generation = store.feedChanges.generation
            let (items, cursor) = try await visibleEvents(principal, after: after, limit: limit)
            if !items.isEmpty || ContinuousClock.now >= deadline || Task.isCancelled {
                return try JSONResponse.make(Page(items: items.map(FeedEventRepresentation.init), next: String(cursor)))
            }
            after = cursor
            // New events signal the store (across gateways on PostgreSQL: LISTEN/NOTIFY); poll as a fallback.
            let left = deadline - ContinuousClock.now
            await store.feedChanges.wait(after: generation, timeout: min(left, .seconds(1)))
        }
    }

    /// Up to `limit` events after `after` that `principal` may see, and the cursor past the last event scanned.
    private func visibleEvents(_ principal: Principal, after: Int64, limit: Int) async throws(Problem)
        -> ([FeedEvent], Int64)
    {
        let policy = gatekeeper.policy.policy
        let now = Date()
        var items: [FeedEvent] = []
        var cursor = after
        for _ in 0..<Self.batchesPerAnswer {
            let batch = try await storeCall {
                try await store.feedEvents(FeedFilter(afterID: cursor, limit: Self.batchSize))
            }
            for event in batch {
                if event.isRequestEvent {
                    // An observation request's events: its requester's and the administrators' only.
                    if event.requester == principal.userName || gatekeeper.isAdministrator(principal, at: now) {
                        items.append(event)
                    }
                } else if let resource = ProductAccess.resource(event), let kind = event.kind {
                    let access = AccessRequest(
                        principal: principal, action: ProductAccess.readAction(kind), resource: resource, time: now)
                    if policy.allows(access) { items.append(event) }
                }
                cursor = event.id
                if items.count == limit { return (items, cursor) }
            }
            if batch.count < Self.batchSize { break }
        }
        return (items, cursor)
    }
}
