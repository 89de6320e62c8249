import CCSDS
import Crypto
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Policy

/// `GET /api/v1/catalogue`: every latest element set the caller may read, in one format, with an `ETag`.
///
/// The ETag names what the body depends on: the catalogue's revision, the policy revision, the caller, the
/// format and `since`. A rendered body is kept (bounded by `RenderedCatalogues`) under its ETag, so repeated pulls
/// of an unchanged catalogue cost a revision query and a copy-free buffer send; `If-None-Match` answers `304`.
struct CatalogueController: Sendable {
    let store: any GatewayStore
    let cache: CatalogueReadCache
    let gatekeeper: Gatekeeper
    let rendered: RenderedCatalogues

    func addRoutes(to group: RouterGroup<GatewayRequestContext>) {
        group.get("catalogue", use: catalogue)
    }

    @Sendable func catalogue(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let format = try Negotiation.elementSetFormat(request, plainText: .threeLine)
        let since = try request.queryDate("since")
        let policy = gatekeeper.policy.policy
        let revision = try await storeCall { try await cache.revision() }
        let etag = Self.etag(
            revision: revision, policy: policy.revision, principal: principal, format: format, since: since)
        let now = Date()
        let entry: RenderedCatalogue
        if let cached = rendered.entry(etag: etag) {
            entry = cached
        } else {
            entry = try await render(principal: principal, policy: policy, format: format, since: since, at: now)
            rendered.store(entry, etag: etag)
        }
        if let quotas = entry.quotas { try gatekeeper.admit(principal, quotas: quotas, at: now) }
        if let most = entry.quotas?.mostObjectsPerBulkCall.value, entry.count > most {
            throw Problem(ExtractError.tooManyObjects(count: entry.count, limit: most))
        }
        var headers: HTTPFields = [.eTag: etag, .cacheControl: "private, no-cache"]
        if let match = request.headers[.ifNoneMatch], Self.matches(match, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = format.mediaType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: entry.body))
    }

    /// Reads, filters and writes the catalogue for one caller.
    private func render(
        principal: Principal, policy: PolicySet, format: ElementSetFormat, since: Date?, at now: Date
    ) async throws -> RenderedCatalogue {
        let objects = try await storeCall { try await store.objects(CatalogueObjectFilter()) }
        var visible: [Int: Bool] = [:]
        var firstDecision: Decision?
        for object in objects {
            let request = AccessRequest(
                principal: principal, action: .readElements, resource: ObjectsController.resource(object), time: now)
            let allowed = policy.allows(request)
            visible[object.noradID] = allowed
            if allowed, firstDecision == nil { firstDecision = policy.evaluate(request) }
        }
        let sets = try await storeCall { try await store.latestElementSets(ElementSetFilter(receivedSince: since)) }
        var messages: [Message] = []
        messages.reserveCapacity(sets.count)
        for set in sets where visible[set.noradID] == true {
            // TLE and 3LE carry only what fits the TLE fields: objects above 339999 are served in OMM formats only.
            if format == .tle || format == .threeLine, set.noradID > 339_999 { continue }
            messages.append(set.omm)
        }
        let bytes: [UInt8]
        do {
            bytes = try ElementSetWriter.write(messages, as: format)
        } catch {
            throw Problem(
                ExtractError.notRepresentable(
                    format: format.rawValue, reason: error.diagnostics.prefix(3).map(\.message).joined(separator: "; "))
            )
        }
        return RenderedCatalogue(body: ByteBuffer(bytes: bytes), count: messages.count, quotas: firstDecision?.quotas)
    }

    /// A strong ETag over everything the body depends on.
    static func etag(
        revision: CatalogueRevision, policy: String, principal: Principal, format: ElementSetFormat, since: Date?
    ) -> String {
        let key = [
            "\(revision)", policy, principal.userName, principal.organisation,
            principal.roles.map(\.rawValue).sorted().joined(separator: ","), format.rawValue,
            since.map { String($0.timeIntervalSince1970) } ?? "-",
        ].joined(separator: "\u{1F}")
        let digest = SHA256.hash(data: Data(key.utf8))
        return "\"" + digest.prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
    }

    /// Whether an `If-None-Match` value lists `etag` (or is `*`); weak comparison, as RFC 9110 §13.1.2 asks.
    static func matches(_ header: String, etag: String) -> Bool {
        header.split(separator: ",").contains { item in
            let tag = item.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}
