import Astrodynamics
import CCSDS
import Foundation
import GatewayCore
import Hummingbird
import Policy

/// `/api/v1/objects…`: object records, element sets and the extracts computed from them (DESIGN §6). An object
/// the caller may not read answers exactly like a missing one.
struct ObjectsController: Sendable {
    let store: any GatewayStore
    let cache: CatalogueReadCache
    let gatekeeper: Gatekeeper

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("objects", use: list)
        group.get("objects/:norad", use: record)
        group.get("objects/:norad/elements", use: elements)
        group.get("objects/:norad/ephemeris", use: ephemeris)
        group.get("objects/:norad/state", use: state)
    }

    /// `GET /api/v1/objects`: the objects the caller may read (`read:elements`), by NORAD id, in pages.
    @Sendable func list(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let query = try ObjectListQuery(request)
        let policy = gatekeeper.policy.policy
        let now = Date()
        var items: [CatalogueObject] = []
        var after = query.afterNoradID
        var exhausted = false
        var firstDecision: Decision?
        while items.count < query.limit && !exhausted {
            let batchSize = 500
            let batch = try await storeCall {
                try await store.objects(
                    CatalogueObjectFilter(
                        owner: query.owner, updatedSince: query.updatedSince, afterNoradID: after, limit: batchSize))
            }
            exhausted = batch.count < batchSize
            for object in batch {
                after = object.noradID
                if let type = query.type, object.type != type { continue }
                let request = AccessRequest(
                    principal: principal, action: .readElements, resource: Self.resource(object), time: now)
                guard policy.allows(request) else { continue }
                if firstDecision == nil { firstDecision = policy.evaluate(request) }
                items.append(object)
                if items.count == query.limit { break }
            }
        }
        if let quotas = firstDecision?.quotas {
            try gatekeeper.admit(principal, quotas: quotas, at: now)
            if let most = quotas.mostObjectsPerBulkCall.value, items.count > most { items = Array(items.prefix(most)) }
        }
        // A full page may have a successor; the page after the last full one is empty with `next: null`.
        let next = items.count == query.limit ? items.last.map { String($0.noradID) } : nil
        return try JSONResponse.make(Page(items: items.map(ObjectRepresentation.init), next: next))
    }

    /// `GET /api/v1/objects/{norad}`.
    @Sendable func record(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let object = try await readable(request, context: context, action: .readElements)
        return try JSONResponse.make(ObjectRepresentation(object: object))
    }

    /// `GET /api/v1/objects/{norad}/elements?format=`: the latest element set.
    @Sendable func elements(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let format = try Negotiation.elementSetFormat(request, plainText: .tle)
        let object = try await readable(request, context: context, action: .readElements)
        let record = try await latestElements(of: object)
        do {
            let bytes = try cache.rendered(noradID: object.noradID, format: format) { () throws(ValidationError) in
                try ElementSetWriter.write([record.omm], as: format)
            }
            return BytesResponse.make(bytes, mediaType: format.mediaType)
        } catch {
            throw Problem(
                ExtractError.notRepresentable(
                    format: format.rawValue, reason: error.diagnostics.map(\.message).joined(separator: "; ")))
        }
    }

    /// `GET /api/v1/objects/{norad}/ephemeris?start=&stop=&step=&frame=&format=`: an OEM computed with SGP4.
    @Sendable func ephemeris(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let encoding = try Negotiation.orbitEncoding(request, prefix: "oem")
        let parameters = request.uri.queryParameters
        let now = Epoch.now()
        // The window is checked for form first (400 before any lookup), then against the span the decision grants.
        let query = try extract {
            try EphemerisQuery(
                start: parameters.get("start"), stop: parameters.get("stop"), step: parameters.get("step"),
                frame: parameters.get("frame"), now: now, longestSpanSeconds: nil)
        }
        let window = DateInterval(start: query.start.date(), end: query.stop.date())
        let (object, decision) = try await readableWithDecision(
            request, context: context, action: .readEphemeris, dataWindow: window)
        try extract { try query.checkSpan(longest: decision.quotas?.longestEphemerisSpanSeconds.value) }
        let record = try await latestElements(of: object)
        let bytes = try extract {
            try OrbitExtracts.ephemeris(of: object, elements: record, query: query, encoding: encoding, now: now)
        }
        return BytesResponse.make(bytes, mediaType: encoding.mediaType)
    }

    /// `GET /api/v1/objects/{norad}/state?epoch=&frame=&format=`: an OPM computed with SGP4.
    @Sendable func state(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let encoding = try Negotiation.orbitEncoding(request, prefix: "opm")
        let parameters = request.uri.queryParameters
        let now = Epoch.now()
        let epoch = try extract {
            try parameters.get("epoch").map { text throws(ExtractError) in
                try EphemerisQuery.epoch(text, parameter: "epoch")
            } ?? now
        }
        var frame = Frame.gcrf
        if let text = parameters.get("frame") {
            guard let value = Frame(rawValue: text.uppercased()) else {
                throw Problem(.badParameter, "'\(text)' is not one of GCRF, EME2000, TEME, ITRF", parameter: "frame")
            }
            frame = value
        }
        let instant = epoch.date()
        let (object, _) = try await readableWithDecision(
            request, context: context, action: .readEphemeris, dataWindow: DateInterval(start: instant, end: instant))
        let record = try await latestElements(of: object)
        let bytes = try extract {
            try OrbitExtracts.state(
                of: object, elements: record, at: epoch, frame: frame, encoding: encoding, now: now)
        }
        return BytesResponse.make(bytes, mediaType: encoding.mediaType)
    }

    // MARK: - Access

    /// The object named by the `norad` path parameter when the caller may do `action` on it; `404` otherwise.
    private func readable(_ request: Request, context: GatewayRequestContext, action: Action) async throws
        -> CatalogueObject
    {
        try await readableWithDecision(request, context: context, action: action, dataWindow: nil).0
    }

    private func readableWithDecision(
        _ request: Request, context: GatewayRequestContext, action: Action, dataWindow: DateInterval?
    ) async throws -> (CatalogueObject, Decision) {
        let principal = try context.requirePrincipal()
        let text = context.parameters.get("norad") ?? ""
        guard let noradID = Int(text), (1...999_999_999).contains(noradID) else {
            throw Problem(
                .badParameter, "'\(text)' is not a NORAD catalogue number (1 to 999999999)", parameter: "norad")
        }
        let object: CatalogueObject
        do {
            object = try await cache.object(noradID: noradID)
        } catch .notFound {
            // Missing: audited as a denied read like an unauthorised one, so the two stay indistinguishable.
            _ = try await gatekeeper.decide(
                principal, action, on: .object(noradID: noradID, owner: nil, marking: nil), context: context,
                route: context.endpointPath ?? request.uri.path)
            throw Problem.noObject(noradID)
        } catch {
            throw Problem(error)
        }
        var resource = Self.resource(object)
        resource.dataWindow = dataWindow
        let decision = try await gatekeeper.decide(
            principal, action, on: resource, context: context, route: context.endpointPath ?? request.uri.path)
        guard decision.isAllowed else { throw Problem.noObject(noradID) }
        return (object, decision)
    }

    /// The latest element set of a readable object; `404` (same words) when it has none.
    private func latestElements(of object: CatalogueObject) async throws(Problem) -> ElementSetRecord {
        do {
            return try await cache.latestElementSet(noradID: object.noradID)
        } catch .notFound {
            throw Problem.noObject(object.noradID)
        } catch {
            throw Problem(error)
        }
    }

    /// The policy's view of an object.
    static func resource(_ object: CatalogueObject) -> Resource {
        .object(noradID: object.noradID, owner: object.owner, marking: object.marking)
    }
}

/// Runs a store call, mapping its failure to a problem.
func storeCall<T>(_ body: () async throws -> T) async throws(Problem) -> T {
    do {
        return try await body()
    } catch let error as StoreError {
        throw Problem(error)
    } catch {
        throw Problem(.internal, "the gateway failed to read its store")
    }
}

/// Runs an extract step, mapping its failure to a problem.
func extract<T>(_ body: () throws -> T) throws(Problem) -> T {
    do {
        return try body()
    } catch let error as ExtractError {
        throw Problem(error)
    } catch let problem as Problem {
        throw problem
    } catch {
        throw Problem(.internal, "the gateway failed to compute the extract")
    }
}
