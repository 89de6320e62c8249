import Hummingbird

/// Requires an authenticated caller on the routes it guards and puts the caller in the context; `401` problem
/// (with `WWW-Authenticate`) otherwise.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    let authenticator: Authenticator

    func handle(
        _ request: Request, context: GatewayRequestContext,
        next: (Request, GatewayRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        guard
            let principal = try await authenticator.principal(
                authorization: request.headers[.authorization], channels: context.tlsChannelCandidates)
        else {
            throw Authenticator.unauthenticated(
                "authenticate with 'Authorization: Bearer <api key>' or a client certificate")
        }
        context.principal = principal
        context.logger[metadataKey: "user.name"] = .string(principal.userName)
        return try await next(request, context)
    }
}
