import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Policy
import Tasking

/// Observation requests (issue 11 §1, §2, §4; docs/observation-requests.md): `POST/GET
/// /api/v1/observation-requests`, `GET/DELETE /api/v1/observation-requests/{id}`, its `transitions` and its
/// `products`. Submitting is decided by `request:observation` on the target object (audited, with its quotas);
/// a request is seen and moved by its requester and by administrators only, and anyone else gets the same `404`
/// as for a missing one.
struct ObservationRequestsController: Sendable {
    let store: any GatewayStore
    let cache: CatalogueReadCache
    let gatekeeper: Gatekeeper

    /// The largest `Idempotency-Key`.
    static let longestIdempotencyKey = 255

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.post("observation-requests", use: submit)
        group.get("observation-requests", use: list)
        group.get("observation-requests/:id", use: one)
        group.delete("observation-requests/:id", use: cancel)
        group.post("observation-requests/:id/transitions", use: transition)
        group.get("observation-requests/:id/products", use: products)
        group.get("observation-requests/:id/products/:product", use: product)
    }

    // MARK: - Submitting

    @Sendable func submit(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let key = try Self.idempotencyKey(request)
        let now = Timestamps.now()
        let bytes = try await Self.readBody(request)
        let submission: RequestSubmission
        do {
            submission = try RequestSubmission(bytes, now: now)
        } catch {
            throw Self.problem(error)
        }
        let route = context.endpointPath ?? request.uri.path
        let decision = try await gatekeeper.decide(
            principal, .requestObservation, on: try await resource(of: submission.target), context: context,
            route: route)
        guard decision.isAllowed, let quotas = decision.quotas?.tasking else {
            // The same answer as for an object the catalogue does not hold.
            throw Problem.noObject(submission.target.noradID ?? 0)
        }
        if let refusal = quotas.check(window: submission.window, priority: submission.priority) {
            var problem =
                refusal.limit == "highest_observation_priority"
                ? Problem(.priorityNotAllowed, refusal.description, parameter: refusal.field)
                : Problem(.badParameter, refusal.description, parameter: refusal.field)
            problem.members["limit"] = .text(refusal.limit)
            throw problem
        }
        let id = ObservationRequest.newID()
        let observation = ObservationRequest(
            id: id, requester: principal.userName, organisation: principal.organisation, target: submission.target,
            window: submission.window, measurements: submission.measurements, tracks: submission.tracks,
            priority: submission.priority, sensor: submission.sensor, purpose: submission.purpose,
            marking: submission.marking ?? .partners([principal.organisation]), created: now, idempotencyKey: key,
            bodyDigest: submission.digest,
            history: [RequestHistoryEntry(state: .submitted, time: now, actor: .requester, user: principal.userName)])
        let creation = try await storeCall {
            try await store.createObservationRequest(observation, limits: RequestLimits(quotas), dayStart: now.startOfUTCDay)
        }
        switch creation {
        case .created(let stored):
            context.logger.info(
                "observation request submitted",
                metadata: ["observation_request.id": "\(id)", "priority": "\(stored.priority.rawValue)"])
            var headers = HTTPFields()
            headers[.location] = ObservationRequestRepresentation.path(stored.id)
            return try JSONResponse.make(
                ObservationRequestRepresentation(request: stored), status: .created, headers: headers)
        case .existing(let stored):
            guard stored.bodyDigest == submission.digest else {
                throw Problem(
                    .idempotencyConflict,
                    "Idempotency-Key '\(key ?? "")' was used for request \(stored.id) with another body; "
                        + "send a new key for a new request", parameter: "Idempotency-Key")
            }
            var headers = HTTPFields()
            headers[.location] = ObservationRequestRepresentation.path(stored.id)
            headers[Self.replayedHeader] = "true"
            return try JSONResponse.make(ObservationRequestRepresentation(request: stored), headers: headers)
        case .overLimit(let exceeded):
            var problem = Problem(.quotaExceeded, "observation request refused: \(exceeded.description)")
            problem.members["limit"] = .text(exceeded.limit.rawValue)
            problem.members["value"] = .number(exceeded.value)
            problem.members["used"] = .number(exceeded.used)
            throw problem
        }
    }

    /// The resource a submission is decided on: the catalogue object, or for an orbit of an object the catalogue
    /// does not hold, an object nobody owns, marked public. `404` for a NORAD id not in the catalogue.
    private func resource(of target: RequestTarget) async throws(Problem) -> Resource {
        guard let norad = target.noradID else { return Self.uncatalogued(nil) }
        do {
            let object = try await cache.object(noradID: norad)
            return .object(noradID: norad, owner: object.owner, marking: object.marking)
        } catch .notFound {
            if target.orbit != nil { return Self.uncatalogued(norad) }
            throw Problem.noObject(norad)
        } catch {
            throw Problem(error)
        }
    }

    private static func uncatalogued(_ norad: Int?) -> Resource {
        Resource(kind: .object, noradIDs: norad.map { [$0] } ?? [], marking: .public)
    }

    // MARK: - Reading

    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try gatekeeper.admitListing(principal)
        let page = try PageParameters(request, cursorName: nil)
        var filter = RequestListFilter(limit: page.limit)
        if !gatekeeper.isAdministrator(principal) {
            filter.requester = principal.userName
        } else if let requester = request.queryText("requester") {
            filter.requester = requester
        }
        if let text = request.queryText("state") {
            var states = Set<RequestState>()
            for name in text.split(separator: ",") {
                guard let state = RequestState(rawValue: name.uppercased()) else {
                    throw Problem(
                        .badParameter,
                        "state '\(name)' is none of " + RequestState.allCases.map(\.rawValue).joined(separator: ", "),
                        parameter: "state")
                }
                states.insert(state)
            }
            filter.states = states
        }
        if let text = request.queryText("object") {
            guard let norad = Int(text), (1...999_999_999).contains(norad) else {
                throw Problem(.badParameter, "object must be a NORAD catalogue number, not '\(text)'", parameter: "object")
            }
            filter.noradID = norad
        }
        filter.updatedSince = try request.queryDate("since")
        if let cursor = request.queryText("cursor") {
            guard ObservationRequest.isID(cursor) else {
                throw Problem(.badParameter, "cursor '\(cursor)' is not one this gateway gave out", parameter: "cursor")
            }
            filter.afterID = cursor
        }
        let items = try await storeCall { try await store.observationRequests(filter) }
        let next = items.count == page.limit ? items.last?.id : nil
        return try JSONResponse.make(Page(items: items.map { ObservationRequestRepresentation(request: $0) }, next: next))
    }

    @Sendable func one(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (observation, _) = try await visible(context)
        return try JSONResponse.make(ObservationRequestRepresentation(request: observation))
    }

    @Sendable func products(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let (observation, actor) = try await visible(context)
        var items: [ProductRepresentation] = []
        for id in observation.productIDs {
            let product = try await storeCall { try await store.product(id: id) }
            if actor == .requester || mayRead(product, principal) { items.append(ProductRepresentation(product: product)) }
        }
        return try JSONResponse.make(Page(items: items, next: nil))
    }

    /// One linked product as it was submitted (KVN or XML): the requester reads it whatever its marking.
    @Sendable func product(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let (observation, actor) = try await visible(context)
        let text = context.parameters.get("product") ?? ""
        let missing = Problem(.notFound, "no such product of this request is available to you")
        guard let id = Int64(text), observation.productIDs.contains(id) else { throw missing }
        let product = try await storeCall { try await store.product(id: id) }
        guard actor == .requester || mayRead(product, principal) else { throw missing }
        let type = product.encoding == "xml" ? "application/xml" : "text/plain; charset=utf-8"
        return Response(
            status: .ok, headers: [.contentType: type],
            body: .init(byteBuffer: ByteBuffer(bytes: product.bytes)))
    }

    // MARK: - Moving

    @Sendable func cancel(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (observation, actor) = try await visible(context)
        let reason = request.queryText("reason").map { String($0.prefix(1000)) }
        return try await move(observation, to: .cancelled, actor: actor, reason: reason, context: context, request: request)
    }

    @Sendable func transition(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let (observation, actor) = try await visible(context)
        let bytes = try await Self.readBody(request)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)), let json = object as? [String: Any]
        else { throw Problem(.badParameter, "the body must be one JSON object", parameter: "body") }
        if let unknown = json.keys.sorted().first(where: { $0 != "state" && $0 != "reason" }) {
            throw Problem(.badParameter, "\(unknown) is not a known key; known: reason, state", parameter: unknown)
        }
        guard let text = json["state"] as? String, let state = RequestState(rawValue: text) else {
            throw Problem(
                .badParameter, "state must be one of " + RequestState.allCases.map(\.rawValue).joined(separator: ", "),
                parameter: "state")
        }
        var reason: String?
        if let value = json["reason"], !(value is NSNull) {
            guard let text = value as? String, text.count <= 1000 else {
                throw Problem(.badParameter, "reason must be a string of at most 1000 characters", parameter: "reason")
            }
            reason = text
        }
        return try await move(observation, to: state, actor: actor, reason: reason, context: context, request: request)
    }

    private func move(
        _ observation: ObservationRequest, to state: RequestState, actor: RequestActor, reason: String?,
        context: GatewayRequestContext, request: Request
    ) async throws -> Response {
        let principal = try context.requirePrincipal()
        // No policy decision: a requester may always withdraw their own request (the history records who moved
        // it), and an administrator was recognised by `visible`.
        let change = RequestChange(
            id: observation.id, to: state, actor: actor, user: principal.userName, reason: reason, time: Timestamps.now(),
            requester: actor == .requester ? principal.userName : nil)
        let moved = try await Self.apply(change, store: store)
        context.logger.info(
            "observation request moved",
            metadata: ["observation_request.id": "\(moved.id)", "state": "\(moved.state.rawValue)", "actor": "\(actor)"])
        return try JSONResponse.make(ObservationRequestRepresentation(request: moved))
    }

    /// Applies a change; `409 illegal-transition` when the state machine refuses it, `404` when it is gone.
    static func apply(_ change: RequestChange, store: any GatewayStore) async throws(Problem) -> ObservationRequest {
        do {
            return try await store.changeObservationRequest(change)
        } catch .conflict(_, _, let reason) {
            throw Problem(.illegalTransition, reason, parameter: "state")
        } catch .notFound {
            throw Problem(.notFound, "no such observation request is available to you")
        } catch .invalid(let message) {
            throw Problem(.badParameter, message, parameter: "proposed_window")
        } catch {
            throw Problem(error)
        }
    }

    // MARK: - Shared steps

    /// The request named in the path and how the caller acts on it (`requester` for their own, `admin` for an
    /// administrator's view of another's); `404` when missing or not the caller's to see.
    private func visible(_ context: GatewayRequestContext) async throws -> (ObservationRequest, RequestActor) {
        let principal = try context.requirePrincipal()
        let id = context.parameters.get("id") ?? ""
        let missing = Problem(.notFound, "no such observation request is available to you")
        guard ObservationRequest.isID(id) else { throw missing }
        let observation: ObservationRequest
        do {
            observation = try await store.observationRequest(id: id)
        } catch .notFound {
            throw missing
        } catch {
            throw Problem(error)
        }
        if observation.requester == principal.userName { return (observation, .requester) }
        guard gatekeeper.isAdministrator(principal) else { throw missing }
        return (observation, .admin)
    }


    private func mayRead(_ product: Product, _ principal: Principal) -> Bool {
        gatekeeper.policy.policy.allows(
            AccessRequest(
                principal: principal, action: ProductAccess.readAction(product.kind),
                resource: ProductAccess.resource(product), time: Date()))
    }

    /// `Idempotency-Key`, when sent: 1 to 255 visible ASCII characters.
    private static func idempotencyKey(_ request: Request) throws(Problem) -> String? {
        guard let key = request.headers[HTTPField.Name("Idempotency-Key")!] else { return nil }
        guard !key.isEmpty, key.utf8.count <= longestIdempotencyKey, key.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        else {
            throw Problem(
                .badParameter, "Idempotency-Key must be 1 to \(longestIdempotencyKey) visible ASCII characters",
                parameter: "Idempotency-Key")
        }
        return key
    }

    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!

    private static func problem(_ error: RequestSubmissionError) -> Problem {
        var problem = Problem(.badParameter, error.description, parameter: error.field)
        if case .invalid(let diagnostics) = error.cause {
            problem.errors = diagnostics.prefix(100).map {
                Problem.MessageError(
                    line: $0.location?.line, column: $0.location?.column, keyword: $0.keyword, message: $0.message)
            }
        }
        return problem
    }

    static func readBody(_ request: Request) async throws -> [UInt8] {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return Array(buffer.readableBytesView)
    }
}
