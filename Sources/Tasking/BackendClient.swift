import AsyncHTTPClient
import CCSDS
import Foundation
import GatewayCore
import NIOCore
import NIOSSL

/// The gateway's side of the backend protocol (issue 11 §3): one HTTP call per outbox command, over mutual TLS.
/// The answer decides the command's fate: acknowledged, retried later, or refused for good.
public final class BackendClient: Sendable {
    private let settings: BackendSettings
    private let client: HTTPClient

    /// Creates the client.
    /// - Throws: when the certificate, key or CA file cannot be read as PEM.
    public init(settings: BackendSettings) throws {
        self.settings = settings
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if let file = settings.trustedCAFile {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file))
        }
        if let certificate = settings.clientCertificateFile, let key = settings.clientKeyFile {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(5), read: TimeAmount(settings.timeout)))
        configuration.httpVersion = .http1Only
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 16
        self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// What the backend's answer to one call means.
    public enum Answer: Sendable, Equatable {
        /// Acknowledged.
        case acknowledged
        /// Not now (unreachable, 5xx, 408, 429, timeout): try again.
        case retry(String)
        /// Refused for good (another 4xx): do not try again.
        case refused(String)
    }

    /// Sends `command` for `request` (with the target's latest OMM for a submission).
    public func send(_ command: BackendCommand, request: ObservationRequest, latestOMM: Message?) async -> Answer {
        let base = settings.url + "/v1/requests"
        var call: HTTPClientRequest
        switch command.kind {
        case .submit:
            call = HTTPClientRequest(url: base)
            call.method = .POST
            call.body = .bytes(
                ByteBuffer(bytes: BackendMessage.submission(request, latestOMM: latestOMM, gatewayURL: settings.gatewayURL)))
        case .acceptProposal:
            call = HTTPClientRequest(url: "\(base)/\(request.id)/accept")
            call.method = .POST
            call.body = .bytes(ByteBuffer(bytes: BackendMessage.acceptance(request)))
        case .cancel:
            call = HTTPClientRequest(url: "\(base)/\(request.id)")
            call.method = .DELETE
        }
        if call.method == .POST { call.headers.add(name: "content-type", value: "application/json") }
        call.headers.add(name: "user-agent", value: "Essor-Gateway")
        call.headers.add(name: "essor-command-id", value: String(command.id))
        call.headers.add(name: "essor-request-id", value: request.id)
        do {
            let response = try await client.execute(call, deadline: .now() + TimeAmount(settings.timeout))
            let status = Int(response.status.code)
            let body = try await response.body.collect(upTo: 64 * 1024)
            let text = String(decoding: body.readableBytesView.prefix(300), as: UTF8.self)
            return Self.answer(status: status, kind: command.kind, body: text)
        } catch {
            return .retry("\(error)")
        }
    }

    /// The meaning of `status` for a command of `kind` (the protocol's table).
    static func answer(status: Int, kind: BackendCommandKind, body: String) -> Answer {
        switch status {
        case 200..<300: return .acknowledged
        case 409 where kind == .submit: return .acknowledged  // the backend has it already
        case 404 where kind == .cancel: return .acknowledged  // nothing left to withdraw
        case 408, 429, 500...: return .retry("the backend answered \(status)")
        default:
            let detail = body.trimmingCharacters(in: .whitespacesAndNewlines)
            return .refused("the backend refused the \(kind.rawValue) (\(status))" + (detail.isEmpty ? "" : ": \(detail)"))
        }
    }

    /// `GET /v1/health`: whether the backend answers 200.
    public func healthy() async -> Bool {
        var call = HTTPClientRequest(url: settings.url + "/v1/health")
        call.method = .GET
        guard let response = try? await client.execute(call, deadline: .now() + .seconds(5)) else { return false }
        _ = try? await response.body.collect(upTo: 64 * 1024)
        return response.status.code == 200
    }

    /// Closes the connections.
    public func shutdown() async {
        try? await client.shutdown()
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
