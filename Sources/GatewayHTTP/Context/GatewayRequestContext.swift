import Hummingbird
import NIOCore
import Policy
import Synchronization

/// The request context of every gateway route: Hummingbird's core storage, the connection (for the TLS peer
/// certificate and the peer address), the request id and, once authenticated, the caller.
public struct GatewayRequestContext: RequestContext {
    /// Hummingbird's per-request storage (logger, route parameters).
    public var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on (an HTTP/2 stream's channel has the connection as its parent).
    public let channel: any Channel
    /// The request id: the client's `X-Request-ID` when acceptable, else generated.
    public var requestID: String = ""
    /// The authenticated caller; nil before authentication and on unauthenticated routes.
    public var principal: Principal? {
        didSet { outcome.userName.withLock { $0 = principal?.userName } }
    }
    /// What inner handlers learn that the outer middleware logs (the context is a value: inner copies are not
    /// seen outside).
    let outcome = RequestOutcome()

    /// Creates the context of a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The channels that may carry the TLS handler, nearest first: the request's channel (the TCP connection for
    /// HTTP/1.1), then its parent (the connection of an HTTP/2 stream). A TCP channel's parent is the listening
    /// socket, which has none, so the first one with a TLS handler is the connection.
    var tlsChannelCandidates: [any Channel] { [channel] + (channel.parent.map { [$0] } ?? []) }

    /// The peer's address (an HTTP/2 stream answers with its connection's).
    var peerAddress: SocketAddress? { channel.remoteAddress ?? channel.parent?.remoteAddress }

    /// The authenticated caller; `401` when there is none (only reachable if a route forgot the middleware).
    func requirePrincipal() throws(Problem) -> Principal {
        guard let principal else {
            throw Problem(.unauthenticated, "authenticate with a client certificate or an API key")
        }
        return principal
    }
}

/// Shared between a request's context copies: the authenticated user's name, for the access log.
final class RequestOutcome: Sendable {
    let userName = Mutex<String?>(nil)
}
