import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

extension WebhookTransport {
    /// The class and message of a failed exchange: `timeout`, `tls`, `connect` or `io`.
    static func classify(_ error: any Error, target: CheckedTarget) -> (String, String) {
        let peer = "\(target.host) (\(target.address)) port \(target.port)"
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout, .tlsHandshakeTimeout:
                return ("timeout", "no connection to \(peer) within the connect timeout")
            case .readTimeout, .writeTimeout, .deadlineExceeded, .getConnectionFromPoolTimeout, .cancelled:
                return ("timeout", "\(peer) did not answer within the response timeout")
            case .remoteConnectionClosed:
                return ("io", "\(peer) closed the connection before answering")
            default:
                return ("io", "\(peer): \(error)")
            }
        }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return ("tls", "TLS with \(peer) failed: \(error)")
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return ("timeout", "no connection to \(peer) within the connect timeout")
        }
        if error is NIOConnectionError || error is IOError || error is ChannelError {
            return ("connect", "cannot connect to \(peer): \(error)")
        }
        return ("io", "\(peer): \(error)")
    }
}
