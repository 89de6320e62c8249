import CCSDS
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Policy

/// Product submissions (DESIGN §1 flow 2, issue 5): `POST /internal/v1/products` for the backend (`ingest`;
/// CDM, TDM, OEM, OPM, OMM) and `POST /api/v1/tdms` for partners (`submit:tdm`; TDMs provided by their own
/// organisation). The body is a CCSDS message in KVN or XML, validated strictly; a rejected submission stores
/// nothing and answers `invalid-message` listing each error with its line. The same bytes twice are one product:
/// `201 Created` the first time, `200 OK` (the same product) afterwards.
///
/// Query parameters: `marking` (default `restricted`: the owners of the objects concerned and the provider),
/// `data_mode` (`REAL` by default), `source` (the sensor or provider; the message's `ORIGINATOR` by default).
struct ProductIngestController: Sendable {
    let store: any GatewayStore
    let cache: CatalogueReadCache
    let gatekeeper: Gatekeeper
    let uploadLimitBytes: Int

    func addRoutes(internal internalGroup: RouterGroup<GatewayRequestContext>, api: RouterGroup<GatewayRequestContext>)
    {
        internalGroup.post("products") { request, context in
            try await submit(request, context: context, action: .ingest, kinds: Set(ProductKind.allCases))
        }
        api.post("tdms") { request, context in
            try await submit(request, context: context, action: .submitTDM, kinds: [.tdm])
        }
    }

    private func submit(
        _ request: Request, context: GatewayRequestContext, action: Action, kinds: Set<ProductKind>
    ) async throws -> Response {
        let principal = try context.requirePrincipal()
        var provenance = try Self.provenance(request, principal: principal)
        // `?request=ID` (the backend protocol): the product is linked to that observation request, and takes its
        // marking unless one is given.
        var linked: ObservationRequest?
        if action == .ingest, let id = request.queryText("request") {
            let missing = Problem(.notFound, "no observation request '\(id)'")
            guard ObservationRequest.isID(id) else { throw missing }
            do {
                linked = try await store.observationRequest(id: id)
            } catch .notFound {
                throw missing
            } catch {
                throw Problem(error)
            }
            if request.queryText("marking") == nil, let linked { provenance.marking = linked.marking }
        }
        // The decision on the route itself first (a caller who may not submit learns nothing about the body).
        let routeResource = Resource(
            kind: action == .submitTDM ? .tdm : .product, marking: provenance.marking,
            provider: principal.organisation)
        let routeDecision = try await gatekeeper.decide(
            principal, action, on: routeResource, context: context, route: context.endpointPath ?? request.uri.path)
        guard routeDecision.isAllowed else {
            throw Problem(.forbidden, "you may not \(action == .ingest ? "submit products" : "submit TDMs") here")
        }
        let bytes = try await Self.readBody(request, limit: uploadLimitBytes)
        let parsed: ParsedProduct
        do {
            parsed = try ProductSubmission.parse(bytes, accepting: kinds)
        } catch {
            throw Self.problem(error)
        }
        // Owners of the objects concerned, from the catalogue (objects it does not hold have none).
        var owners: [String] = []
        for norad in parsed.facts.noradIDs {
            if let object = try? await cache.object(noradID: norad), let owner = object.owner { owners.append(owner) }
        }
        let product = provenance.product(parsed, ownerOrganisations: owners)
        let stored: StoredProduct
        if let linked {
            do {
                stored = try await store.storeRequestProduct(product, requestID: linked.id, at: Timestamps.now()).0
            } catch .conflict(_, _, let reason) {
                throw Problem(.illegalTransition, reason, parameter: "request")
            } catch .notFound {
                throw Problem(.notFound, "no observation request '\(linked.id)'")
            } catch {
                throw Problem(error)
            }
        } else {
            stored = try await storeCall { try await store.storeProduct(product) }
        }
        var headers = HTTPFields()
        headers[.location] = ProductRoutes.path(of: stored.product)
        headers[.contentType] = "application/json"
        let json = try JSONEncoder().encode(ProductRepresentation(product: stored.product))
        context.logger.info(
            stored.created ? "product stored" : "product already stored",
            metadata: [
                "product.id": "\(stored.product.id ?? 0)", "product.kind": "\(stored.product.kind.rawValue)",
                "product.hash": "\(stored.product.contentHash)",
            ])
        if let linked {
            context.logger.info(
                "product linked to an observation request",
                metadata: ["observation_request.id": "\(linked.id)", "product.id": "\(stored.product.id ?? 0)"])
        }
        return Response(
            status: stored.created ? .created : .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json)))
    }

    /// The body, read chunk by chunk into one array (sized from `Content-Length` when given): each network chunk
    /// is released as soon as it is copied, so an upload is held once, not once per layer. `413` past `limit`.
    private static func readBody(_ request: Request, limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        if let length = request.headers[.contentLength].flatMap({ Int($0) }) {
            bytes.reserveCapacity(min(length, limit))
        }
        for try await chunk in request.body {
            guard bytes.count + chunk.readableBytes <= limit else {
                throw Problem(.payloadTooLarge, "the body is over \(limit) bytes", parameter: "Content-Length")
            }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }

    /// Provenance from the query parameters and the caller.
    private static func provenance(_ request: Request, principal: Principal) throws(Problem) -> ProductSubmission {
        let parameters = request.uri.queryParameters
        var marking = Marking.restricted
        if let text = request.queryText("marking") {
            guard let value = Marking(text) else {
                throw Problem(
                    .badParameter, "marking '\(text)' is not public, operators, partners:<orgs> or restricted",
                    parameter: "marking")
            }
            marking = value
        }
        var mode = DataMode.real
        if let text = parameters.get("data_mode") {
            guard let value = DataMode(rawValue: text.uppercased()) else {
                throw Problem(
                    .badParameter, "data_mode '\(text)' is not REAL, TEST, SIMULATED or EXERCISE",
                    parameter: "data_mode")
            }
            mode = value
        }
        return ProductSubmission(
            submitter: principal.userName, provider: principal.organisation, source: parameters.get("source"),
            marking: marking, dataMode: mode)
    }

    private static func problem(_ error: ProductSubmissionError) -> Problem {
        var problem = Problem(.invalidMessage, error.description)
        switch error {
        case .invalid(let diagnostics):
            problem.errors = diagnostics.prefix(100).map {
                Problem.MessageError(
                    line: $0.location?.line, column: $0.location?.column, keyword: $0.keyword, message: $0.message)
            }
        case .unexpectedType(let found, _):
            // The version keyword on the first line names the type.
            problem.errors = [
                Problem.MessageError(line: 1, column: 1, keyword: "CCSDS_\(found)_VERS", message: error.description)
            ]
        case .empty, .unsupportedEncoding:
            problem.errors = [Problem.MessageError(line: 1, column: 1, keyword: nil, message: error.description)]
        }
        return problem
    }
}
