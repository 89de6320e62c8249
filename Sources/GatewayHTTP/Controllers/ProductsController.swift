import CCSDS
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Policy

/// Reading products (issue 5 §3): `GET /api/v1/cdms`, `/api/v1/cdms/{id}`, `/api/v1/tdms`, `/api/v1/tdms/{id}`.
/// Lists hold the products the caller may read (`read:cdm`, `read:tdm`), by id, in pages; one product is served
/// as submitted when its encoding is asked (byte-identical), else re-encoded from the model. A product the caller
/// may not read answers exactly like a missing one.
struct ProductsController: Sendable {
    let store: any GatewayStore
    let gatekeeper: Gatekeeper

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("cdms") { request, context in try await list(request, context: context, kind: .cdm) }
        group.get("cdms/:id") { request, context in try await one(request, context: context, kind: .cdm) }
        group.get("tdms") { request, context in try await list(request, context: context, kind: .tdm) }
        group.get("tdms/:id") { request, context in try await one(request, context: context, kind: .tdm) }
        group.get("products/:id") { request, context in try await one(request, context: context, kind: nil) }
    }

    /// A page of products of `kind`: JSON summaries (`format=json`, the default), or the messages themselves
    /// (`format=kvn`: concatenated; `format=xml`: one `<ndm>` document) with the next page in a `Link` header.
    private func list(_ request: Request, context: GatewayRequestContext, kind: ProductKind) async throws -> Response {
        let principal = try context.requirePrincipal()
        let query = try ProductListQuery(request, kind: kind)
        var messages: Encoding?
        if let text = request.uri.queryParameters.get("format"), text != "json" {
            guard let value = Encoding(rawValue: text) else {
                throw Problem(.badParameter, "format '\(text)' is not one of json, kvn, xml", parameter: "format")
            }
            messages = value
        }
        let now = Date()
        let policy = gatekeeper.policy.policy
        let action = ProductAccess.readAction(kind)
        let scope = ProductAccess.scope(policy, principal, action, at: now)
        var items: [Product] = []
        var hidden: [Set<HiddenField>] = []
        var after = query.filter.afterID
        var exhausted = false
        var firstDecision: Decision?
        if case .nothing = scope { exhausted = true }
        while items.count < query.limit && !exhausted {
            var filter = query.filter
            filter.afterID = after
            filter.limit = 500
            filter.scope = scope.productScope
            let batch = try await storeCall {
                messages == nil ? try await store.productSummaries(filter) : try await store.products(filter)
            }
            exhausted = batch.count < 500
            for product in batch {
                after = product.id
                let access = AccessRequest(
                    principal: principal, action: action, resource: ProductAccess.resource(product), time: now)
                guard policy.allows(access) else { continue }
                if firstDecision == nil || messages != nil {
                    let decision = policy.evaluate(access)
                    if firstDecision == nil { firstDecision = decision }
                    hidden.append(decision.hiddenFields)
                }
                items.append(product)
                if items.count == query.limit { break }
            }
        }
        if let quotas = firstDecision?.quotas {
            try gatekeeper.admit(principal, quotas: quotas, at: now)
            if let most = quotas.mostObjectsPerBulkCall.value, items.count > most { items = Array(items.prefix(most)) }
        }
        let next = items.count == query.limit ? items.last?.id.map(String.init) : nil
        guard let messages else {
            return try JSONResponse.make(Page(items: items.map(ProductRepresentation.init), next: next))
        }
        var headers = HTTPFields()
        if let next {
            var link = request.uri.path + "?format=\(messages.rawValue)&cursor=\(next)"
            for (name, value) in request.uri.queryParameters where name != "cursor" && name != "format" {
                link += "&\(name)=\(value)"
            }
            headers[HTTPField.Name("Link")!] = "<\(link)>; rel=\"next\""
        }
        do {
            let redacted = zip(items, hidden).map { ProductRedaction.redact($0.message, hiding: $1) }
            let bytes: [UInt8]
            if messages == .xml {
                bytes =
                    redacted.isEmpty
                    ? Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ndm/>\n".utf8)
                    : try CombinedNDM.write(redacted, version: nil)
            } else {
                var out: [UInt8] = []
                for (product, (message, withheld)) in zip(items, zip(redacted, hidden)) {
                    out +=
                        product.encoding == "kvn" && withheld.isEmpty
                        ? product.bytes : try MessageWriter.write(message, as: .kvn)
                }
                bytes = out
            }
            return BytesResponse.make(bytes, mediaType: messages.mediaType, headers: headers)
        } catch {
            throw Problem(
                .badParameter,
                "these products cannot be written as \(messages.rawValue): "
                    + error.diagnostics.prefix(3).map(\.message).joined(separator: "; "), parameter: "format")
        }
    }

    /// One product of `kind` (any kind when nil: `/api/v1/products/{id}`, where OEMs, OPMs and OMMs are read), in
    /// the asked encoding.
    private func one(_ request: Request, context: GatewayRequestContext, kind: ProductKind?) async throws -> Response {
        let principal = try context.requirePrincipal()
        let text = context.parameters.get("id") ?? ""
        let encoding = try Self.encoding(request)
        let missing = Problem(.notFound, "no such \(kind?.rawValue.uppercased() ?? "product") is available to you")
        guard let id = Int64(text), id > 0 else {
            throw Problem(.badParameter, "'\(text)' is not a product id", parameter: "id")
        }
        let product: Product
        do {
            product = try await store.product(id: id)
        } catch .notFound {
            let action = ProductAccess.readAction(kind ?? .omm)
            _ = try await gatekeeper.decide(
                principal, action,
                on: Resource(kind: kind == .cdm ? .cdm : kind == .tdm ? .tdm : .product, identifier: text),
                context: context, route: context.endpointPath ?? request.uri.path)
            throw missing
        } catch {
            throw Problem(error)
        }
        let decision = try await gatekeeper.decide(
            principal, ProductAccess.readAction(product.kind), on: ProductAccess.resource(product), context: context,
            route: context.endpointPath ?? request.uri.path)
        guard decision.isAllowed, kind == nil || product.kind == kind else { throw missing }
        let bytes: [UInt8]
        let hidden = decision.hiddenFields
        if encoding.rawValue == product.encoding && hidden.isEmpty {
            bytes = product.bytes
        } else {
            do {
                let message = ProductRedaction.redact(product.message, hiding: hidden)
                bytes = try MessageWriter.write(message, as: encoding)
            } catch {
                throw Problem(
                    .badParameter,
                    "this \(product.kind.rawValue.uppercased()) cannot be written as \(encoding.rawValue): "
                        + error.diagnostics.prefix(3).map(\.message).joined(separator: "; "), parameter: "format")
            }
        }
        return BytesResponse.make(bytes, mediaType: encoding.mediaType)
    }

    /// `format=kvn|xml|json`, else by `Accept` (KVN first).
    private static func encoding(_ request: Request) throws(Problem) -> Encoding {
        if let text = request.uri.queryParameters.get("format") {
            guard let value = Encoding(rawValue: text) else {
                throw Problem(.badParameter, "format '\(text)' is not one of kvn, xml, json", parameter: "format")
            }
            return value
        }
        return try Negotiation.choose(
            [("text/plain", Encoding.kvn), ("application/xml", .xml), ("application/json", .json)],
            accept: request.headers[.accept])
    }
}

/// The parameters of a product listing, checked (`400` naming the one at fault).
struct ProductListQuery {
    /// The store filter (without paging and scope).
    var filter = ProductFilter()
    /// The page size, 1–1000 (100 by default).
    var limit = 100

    init(_ request: Request, kind: ProductKind) throws(Problem) {
        let parameters = request.uri.queryParameters
        filter.kinds = [kind]
        if let text = parameters.get("object") {
            var ids: Set<Int> = []
            for part in text.split(separator: ",") {
                guard let id = Int(part.trimmingCharacters(in: .whitespaces)), id > 0 else {
                    throw Problem(
                        .badParameter, "object '\(text)' is not a comma-separated list of NORAD ids",
                        parameter: "object")
                }
                ids.insert(id)
            }
            filter.noradIDs = ids
        }
        let (fromName, toName) = kind == .cdm ? ("tca_from", "tca_to") : ("start", "stop")
        filter.timeFrom = try request.queryDate(fromName)
        filter.timeTo = try request.queryDate(toName)
        filter.receivedSince = try request.queryDate("since")
        if kind == .cdm {
            filter.minimumCollisionProbability = try Self.number(parameters.get("min_pc"), "min_pc", 0...1)
            filter.maximumMissDistanceMetres = try Self.number(parameters.get("max_miss"), "max_miss", 0...1e9)
        } else {
            filter.participant = request.queryText("participant")
            filter.provider = parameters.get("provider")
        }
        let page = try PageParameters(request)
        limit = page.limit
        filter.afterID = page.cursor
    }

    private static func number(_ text: String?, _ name: String, _ range: ClosedRange<Double>) throws(Problem) -> Double?
    {
        guard let text else { return nil }
        guard let value = Double(text), range.contains(value) else {
            throw Problem(
                .badParameter, "\(name) must be a number in \(range.lowerBound)…\(range.upperBound), not '\(text)'",
                parameter: name)
        }
        return value
    }
}
