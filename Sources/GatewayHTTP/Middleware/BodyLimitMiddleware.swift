import Hummingbird

/// Refuses a request whose body is over the limit with `413`, before any handler reads it: by its
/// `Content-Length`, or while a body without one is collected.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    /// The largest body accepted, in bytes.
    let maximumBytes: Int

    func handle(
        _ request: Request, context: GatewayRequestContext,
        next: (Request, GatewayRequestContext) async throws -> Response
    ) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximumBytes {
            throw Problem(
                .payloadTooLarge, "the body has \(length) bytes; at most \(maximumBytes) are accepted",
                parameter: "Content-Length")
        }
        return try await next(request, context)
    }
}
