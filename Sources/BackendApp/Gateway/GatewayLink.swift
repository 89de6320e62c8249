import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL

/// The backend's calls to the gateway (the protocol's backend → Essor half), over mutual TLS as the `backend` user.
public final class GatewayLink: Sendable {
    private let client: HTTPClient
    /// The gateway's base URL (`https://host:port`).
    public let baseURL: String

    /// What the gateway answered.
    public enum Answer: Sendable, Equatable {
        case accepted
        /// Not now (unreachable, 5xx, 408, 429): try again later.
        case retry(String)
        /// Refused for good (another 4xx): the message is dropped and logged.
        case refused(String)
    }

    public init(baseURL: String, certificate: String, key: String, trustedCA: String) throws {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trustedCA))
        tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: .seconds(30)))
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// Sends one outbox message.
    public func send(_ message: OutboxMessage) async -> Answer {
        let id = message.taskID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? message.taskID
        var request: HTTPClientRequest
        switch message.kind {
        case .status:
            request = HTTPClientRequest(url: "\(baseURL)/internal/v1/observation-requests/\(id)/status")
            request.headers.add(name: "Content-Type", value: "application/json")
        case .product:
            request = HTTPClientRequest(url: "\(baseURL)/internal/v1/products?request=\(id)")
            request.headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        }
        request.method = .POST
        request.headers.add(name: "Essor-Backend-Message", value: String(message.sequence))
        request.body = .bytes(ByteBuffer(bytes: message.body))
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 1 << 20)
            let text = String(buffer: body)
            let status = Int(response.status.code)
            switch status {
            case 200..<300: return .accepted
            // 401/403: the gateway does not (yet) know the backend's certificate — a set-up to fix, not a message
            // to drop.
            case 401, 403, 408, 429, 500...: return .retry("HTTP \(status): \(text.prefix(300))")
            default: return .refused("HTTP \(status): \(text.prefix(500))")
            }
        } catch {
            return .retry("\(error)")
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
