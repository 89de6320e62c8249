import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The outermost middleware: gives each request its id, turns every error into RFC 9457 problem+json, adds the
/// headers every response carries (`X-Request-ID`, HSTS, `nosniff`) and writes one access-log line.
struct ConventionsMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(
        _ request: Request, context: GatewayRequestContext,
        next: (Request, GatewayRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        let requestID = Self.acceptedRequestID(request.headers[.xRequestID]) ?? Self.newRequestID()
        context.requestID = requestID
        context.logger[metadataKey: "request.id"] = .string(requestID)
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let problem as Problem {
            response = problem.response(instance: request.uri.path, requestID: requestID)
        } catch let error as any HTTPResponseError {
            // Framework errors: an unmatched route (404), a body over the upload limit (413) …
            let kind = ProblemKind.answering(error.status)
            let detail = kind == .notFound ? "no resource at \(request.uri.path)" : "\(kind.title.lowercased())"
            response = Problem(kind, detail).response(instance: request.uri.path, requestID: requestID)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            response = Problem(.internal, "the gateway failed to answer; quote the request id when reporting it")
                .response(instance: request.uri.path, requestID: requestID)
        }
        response.headers[.xRequestID] = requestID
        response.headers[.strictTransportSecurity] = "max-age=63072000; includeSubDomains"
        response.headers[.xContentTypeOptions] = "nosniff"
        let elapsed = ContinuousClock.now - start
        context.logger.info(
            "request",
            metadata: [
                "http.method": "\(request.method)", "http.path": "\(request.uri.path)",
                "http.status": "\(response.status.code)",
                "http.duration_ms":
                    "\(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3)",
                "user.name": "\(context.outcome.userName.withLock { $0 } ?? "-")",
            ])
        return response
    }

    /// A client's request id when it is 1–64 characters of `A-Z a-z 0-9 . _ -`; nil otherwise.
    static func acceptedRequestID(_ text: String?) -> String? {
        guard let text, (1...64).contains(text.utf8.count),
            text.utf8.allSatisfy({ byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2E || byte == 0x5F || byte == 0x2D
            })
        else { return nil }
        return text
    }

    /// 16 random hexadecimal digits.
    static func newRequestID() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension HTTPField.Name {
    /// `X-Request-ID`.
    static let xRequestID = HTTPField.Name("X-Request-ID")!
    /// `X-Content-Type-Options`.
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    /// `Retry-After`.
    static let retryAfterSeconds = HTTPField.Name("Retry-After")!
}
