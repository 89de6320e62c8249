import Foundation
import GatewayCore
import Hummingbird
import NIOCore

/// The unauthenticated and operational routes: `/healthz`, `/readyz`, `/openapi.yaml`, `/openapi-backend.yaml`,
/// `/metrics`.
struct OperationsController: Sendable {
    let store: any GatewayStore
    let policy: ActivePolicy
    let databaseEngine: String
    let authenticator: Authenticator
    let metrics: @Sendable () -> [UInt8]

    func addRoutes(to router: Router<GatewayRequestContext>) {
        router.get("healthz") { _, _ in
            try JSONResponse.make(["status": "ok"])
        }
        router.get("readyz", use: readiness)
        router.get("openapi.yaml") { _, _ in
            BytesResponse.make(OpenAPIDocument.bytes, mediaType: "application/yaml")
        }
        router.get("openapi-backend.yaml") { _, _ in
            BytesResponse.make(OpenAPIDocument.backendBytes, mediaType: "application/yaml")
        }
        router.get("metrics", use: exposition)
    }

    /// `200` when the store answers (a cheap read) and a policy is in force; `503` problem otherwise.
    @Sendable func readiness(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        do {
            _ = try await store.catalogueRevision()
        } catch {
            context.logger.warning("not ready: the store does not answer", metadata: ["error": "\(error)"])
            throw Problem(.unavailable, "the catalogue database does not answer")
        }
        return try JSONResponse.make(
            ["status": "ready", "policy_revision": policy.policy.revision, "database": databaseEngine])
    }

    /// Prometheus text: for an administrator, or for an unauthenticated scraper on the loopback interface.
    @Sendable func exposition(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try await authenticator.principal(
            authorization: request.headers[.authorization], channels: context.tlsChannelCandidates)
        if let principal {
            guard principal.roles.contains(.admin) else {
                throw Problem(.forbidden, "the metrics are for administrators (or a scraper on the loopback interface)")
            }
        } else if !Self.isLoopback(context.peerAddress) {
            throw Authenticator.unauthenticated(
                "the metrics need an administrator's credentials off the loopback interface")
        }
        return BytesResponse.make(metrics(), mediaType: "text/plain; version=0.0.4; charset=utf-8")
    }

    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }
}
