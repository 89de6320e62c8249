import GatewayCore
import HTTPTypes
import Hummingbird
import Logging
import Policy

/// What the routes need: the store, the policy in force, the rate limiter and the operational hooks.
public struct GatewayServices: Sendable {
    /// The store.
    public var store: any GatewayStore
    /// `sqlite` or `postgres`, for `/readyz`.
    public var databaseEngine: String
    /// The policy in force.
    public var policy: ActivePolicy
    /// Request counts per user.
    public var limiter: RequestRateLimiter
    /// The Prometheus text of the process's metrics.
    public var metrics: @Sendable () -> [UInt8]
    /// The largest request body accepted, in bytes.
    public var maximumBodyBytes: Int
    /// The largest product upload accepted, in bytes.
    public var maximumUploadBytes: Int
    /// The push machinery the subscription routes use; no subscription routes when nil.
    public var push: PushEndpoints?

    /// Creates the services.
    public init(
        store: any GatewayStore, databaseEngine: String, policy: ActivePolicy, limiter: RequestRateLimiter = .init(),
        metrics: @escaping @Sendable () -> [UInt8] = { [] }, maximumBodyBytes: Int = 1 << 20,
        maximumUploadBytes: Int = 50 << 20, push: PushEndpoints? = nil
    ) {
        self.store = store
        self.databaseEngine = databaseEngine
        self.policy = policy
        self.limiter = limiter
        self.metrics = metrics
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumUploadBytes = maximumUploadBytes
        self.push = push
    }
}

/// The gateway's router: conventions (request ids, problem+json, security headers), metrics, the body limit, the
/// operational routes and `/api/v1` behind authentication.
public func buildRouter(services: GatewayServices, logger: Logger) -> Router<GatewayRequestContext> {
    let router = Router(context: GatewayRequestContext.self)
    router.add(middleware: ConventionsMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(
        middleware: BodyLimitMiddleware(
            maximumBytes: services.maximumBodyBytes, maximumUploadBytes: services.maximumUploadBytes))
    let authenticator = Authenticator(store: services.store, logger: logger)
    let gatekeeper = Gatekeeper(policy: services.policy, limiter: services.limiter, audit: services.store)
    OperationsController(
        store: services.store, policy: services.policy, databaseEngine: services.databaseEngine,
        authenticator: authenticator, metrics: services.metrics
    ).addRoutes(to: router)
    let api = router.group("api/v1").add(middleware: AuthenticationMiddleware(authenticator: authenticator))
    let cache = CatalogueReadCache(store: services.store)
    ObjectsController(store: services.store, cache: cache, gatekeeper: gatekeeper).addRoutes(to: api)
    CatalogueController(store: services.store, cache: cache, gatekeeper: gatekeeper, rendered: RenderedCatalogues())
        .addRoutes(to: api)
    let internalAPI = router.group("internal/v1").add(
        middleware: AuthenticationMiddleware(authenticator: authenticator))
    ProductIngestController(
        store: services.store, cache: cache, gatekeeper: gatekeeper, uploadLimitBytes: services.maximumUploadBytes
    ).addRoutes(internal: internalAPI, api: api)
    ProductsController(store: services.store, gatekeeper: gatekeeper).addRoutes(to: api)
    ObservationRequestsController(store: services.store, cache: cache, gatekeeper: gatekeeper).addRoutes(to: api)
    BackendStatusController(store: services.store, gatekeeper: gatekeeper).addRoutes(internal: internalAPI)
    FeedController(store: services.store, gatekeeper: gatekeeper).addRoutes(to: api)
    if let push = services.push {
        SubscriptionsController(store: services.store, gatekeeper: gatekeeper, push: push).addRoutes(to: api)
    }
    refuseOtherMethods(on: router)
    return router
}

/// Every route is `GET` only: other methods on a known path answer `405` with `Allow: GET` (the router alone
/// would answer 404, as for a path that does not exist).
private func refuseOtherMethods(on router: Router<GatewayRequestContext>) {
    let paths = [
        "healthz", "readyz", "openapi.yaml", "openapi-backend.yaml", "metrics", "api/v1/objects", "api/v1/objects/:norad",
        "api/v1/objects/:norad/elements", "api/v1/objects/:norad/ephemeris", "api/v1/objects/:norad/state",
        "api/v1/catalogue", "api/v1/cdms", "api/v1/cdms/:id", "api/v1/tdms/:id", "api/v1/products/:id", "api/v1/feed",
    ]
    for path in paths {
        for method in [HTTPRequest.Method.post, .put, .delete, .patch] {
            router.on(RouterPath(path), method: method) { request, _ -> Response in
                var headers = HTTPFields()
                headers[.allow] = "GET, HEAD"
                throw Problem(.methodNotAllowed, "\(request.uri.path) answers GET only", headers: headers)
            }
        }
    }
}
