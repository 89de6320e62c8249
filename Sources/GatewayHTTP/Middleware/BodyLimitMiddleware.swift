import Hummingbird

/// Refuses a request whose body is over the limit with `413`, before any handler reads it: by its
/// `Content-Length`, or while a body without one is collected.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    /// The largest body accepted, in bytes.
    let maximumBytes: Int
    /// The largest upload (product submissions, `POST` to `uploadPaths`), in bytes.
    let maximumUploadBytes: Int
    /// The paths that take uploads.
    static let uploadPaths: Set<String> = ["/internal/v1/products", "/api/v1/tdms"]

    func handle(
        _ request: Request, context: GatewayRequestContext,
        next: (Request, GatewayRequestContext) async throws -> Response
    ) async throws -> Response {
        let isUpload = request.method == .post && Self.uploadPaths.contains(request.uri.path)
        let maximumBytes = isUpload ? maximumUploadBytes : maximumBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximumBytes {
            throw Problem(
                .payloadTooLarge, "the body has \(length) bytes; at most \(maximumBytes) are accepted",
                parameter: "Content-Length")
        }
        return try await next(request, context)
    }
}
