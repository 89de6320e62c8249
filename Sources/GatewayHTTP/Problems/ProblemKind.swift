import HTTPTypes

/// The problem types the gateway answers with (RFC 9457 `type` = `urn:essor:problem:<slug>`), each with its
/// status and title. The OpenAPI document lists the same slugs.
public enum ProblemKind: String, Sendable, CaseIterable {
    /// A malformed or out-of-range parameter (the problem names it).
    case badParameter = "bad-parameter"
    /// An ephemeris longer than the caller's policy allows.
    case spanTooLong = "span-too-long"
    /// A bulk call over the caller's policy limit.
    case tooManyObjects = "too-many-objects"
    /// A submitted CCSDS message that breaks the standard (the problem lists each error with its line).
    case invalidMessage = "invalid-message"
    /// No valid credentials.
    case unauthenticated
    /// Authenticated, but the action is not allowed (never used for objects: those answer `notFound`).
    case forbidden
    /// No such resource, or one the caller may not see (the two answer identically).
    case notFound = "not-found"
    /// The route exists but not with this method.
    case methodNotAllowed = "method-not-allowed"
    /// No representation satisfies the `Accept` header.
    case notAcceptable = "not-acceptable"
    /// The request body is over the limit.
    case payloadTooLarge = "payload-too-large"
    /// SGP4 could not compute what was asked.
    case propagationFailed = "propagation-failed"
    /// Over a rate limit.
    case rateLimited = "rate-limited"
    /// An `Idempotency-Key` reused with another body.
    case idempotencyConflict = "idempotency-conflict"
    /// A state change the observation-request state machine does not allow (whoever asks).
    case illegalTransition = "illegal-transition"
    /// Over an observation-request quota (`limit`, `value` and `used` say which).
    case quotaExceeded = "quota-exceeded"
    /// An observation priority above what the caller's policy grants.
    case priorityNotAllowed = "priority-not-allowed"
    /// A fault of the gateway.
    case `internal`
    /// A dependency (the database) is not available.
    case unavailable

    /// The RFC 9457 `type` URI.
    public var typeURI: String { "urn:essor:problem:" + rawValue }

    /// The HTTP status.
    public var status: HTTPResponse.Status {
        switch self {
        case .badParameter, .spanTooLong, .tooManyObjects, .invalidMessage: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .notAcceptable: .notAcceptable
        case .payloadTooLarge: .contentTooLarge
        case .propagationFailed: .unprocessableContent
        case .rateLimited: .tooManyRequests
        case .idempotencyConflict, .illegalTransition: .conflict
        case .quotaExceeded: .tooManyRequests
        case .priorityNotAllowed: .forbidden
        case .internal: .internalServerError
        case .unavailable: .serviceUnavailable
        }
    }

    /// The RFC 9457 `title`: the same for every occurrence of the type.
    public var title: String {
        switch self {
        case .badParameter: "Bad parameter"
        case .spanTooLong: "Ephemeris span too long"
        case .tooManyObjects: "Too many objects"
        case .invalidMessage: "Invalid CCSDS message"
        case .unauthenticated: "Authentication required"
        case .forbidden: "Forbidden"
        case .notFound: "Not found"
        case .methodNotAllowed: "Method not allowed"
        case .notAcceptable: "Not acceptable"
        case .payloadTooLarge: "Payload too large"
        case .propagationFailed: "Propagation failed"
        case .rateLimited: "Rate limit exceeded"
        case .idempotencyConflict: "Idempotency key reused"
        case .illegalTransition: "Illegal state transition"
        case .quotaExceeded: "Quota exceeded"
        case .priorityNotAllowed: "Priority not allowed"
        case .internal: "Internal error"
        case .unavailable: "Service unavailable"
        }
    }

    /// The kind answering an HTTP status that a framework error carries.
    static func answering(_ status: HTTPResponse.Status) -> ProblemKind {
        switch status.code {
        case 400: .badParameter
        case 401: .unauthenticated
        case 403: .forbidden
        case 404: .notFound
        case 405: .methodNotAllowed
        case 406: .notAcceptable
        case 413: .payloadTooLarge
        case 429: .rateLimited
        case 503: .unavailable
        default: .internal
        }
    }
}
