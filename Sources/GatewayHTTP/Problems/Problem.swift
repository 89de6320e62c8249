import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem: what every error response of the gateway is (`application/problem+json`).
public struct Problem: Error, Sendable, HTTPResponseError {
    /// The problem type.
    public var kind: ProblemKind
    /// What happened in this occurrence, and how to fix it.
    public var detail: String
    /// The query parameter or header at fault (400s).
    public var parameter: String?
    /// Extra response headers (`Retry-After`, `WWW-Authenticate`).
    public var headers: HTTPFields
    /// For `invalid-message`: each error of the submission (the `errors` member).
    public var errors: [MessageError] = []
    /// Further members of the problem (RFC 9457 §3.2 extensions: a quota's `limit`, `value`, `used` …).
    public var members: [String: Member] = [:]

    /// An extension member's value.
    public enum Member: Sendable, Equatable {
        /// A string.
        case text(String)
        /// A whole number.
        case number(Int)

        var json: Any {
            switch self {
            case .text(let text): text
            case .number(let number): number
            }
        }
    }

    /// One error of a submitted message: where and what.
    public struct MessageError: Sendable {
        /// 1-based line, when known.
        public var line: Int?
        /// 1-based column, when known.
        public var column: Int?
        /// The keyword concerned, when known.
        public var keyword: String?
        /// What is wrong.
        public var message: String
    }

    /// Creates a problem.
    public init(_ kind: ProblemKind, _ detail: String, parameter: String? = nil, headers: HTTPFields = [:]) {
        self.kind = kind
        self.detail = detail
        self.parameter = parameter
        self.headers = headers
    }

    /// The HTTP status.
    public var status: HTTPResponse.Status { kind.status }

    /// The response for `request`, its request id taken from the context's logger metadata.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let requestID = context.logger[metadataKey: "request.id"]?.description ?? ""
        return response(instance: request.uri.path, requestID: requestID)
    }

    /// The response: the JSON body with `type`, `title`, `status`, `detail`, `instance`, `request_id` and, for
    /// parameter problems, `parameter`.
    public func response(instance: String, requestID: String) -> Response {
        var body: [String: Any] = [
            "type": kind.typeURI, "title": kind.title, "status": Int(kind.status.code), "detail": detail,
            "instance": instance, "request_id": requestID,
        ]
        if let parameter { body["parameter"] = parameter }
        for (name, value) in members where body[name] == nil { body[name] = value.json }
        if !errors.isEmpty {
            body["errors"] = errors.map { error -> [String: Any] in
                var member: [String: Any] = ["message": error.message]
                if let line = error.line { member["line"] = line }
                if let column = error.column { member["column"] = column }
                if let keyword = error.keyword { member["keyword"] = keyword }
                return member
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: kind.status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The `404` for an object that does not exist or that the caller may not see: the same body for both (the
    /// id is in `instance` already).
    static func noObject(_ noradID: Int) -> Problem {
        Problem(.notFound, "no such object in the catalogue is available to you")
    }

    /// The problem for an extract that cannot be produced.
    init(_ error: ExtractError) {
        switch error {
        case .badParameter: self.init(.badParameter, error.description, parameter: error.parameter)
        case .spanTooLong: self.init(.spanTooLong, error.description, parameter: error.parameter)
        case .tooManyObjects: self.init(.tooManyObjects, error.description, parameter: "since")
        case .notRepresentable: self.init(.badParameter, error.description, parameter: error.parameter)
        case .propagationFailed: self.init(.propagationFailed, error.description)
        }
    }

    /// The problem for a store failure: `503` when the database is unreachable, `500` otherwise (logged by the
    /// caller; the detail does not leak the engine's message).
    init(_ error: StoreError) {
        switch error {
        case .engine: self.init(.unavailable, "the catalogue database is not available; retry later")
        default: self.init(.internal, "the gateway failed to read its store")
        }
    }
}
