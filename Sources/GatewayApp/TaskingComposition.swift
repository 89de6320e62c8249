import DevPKI
import Foundation
import GatewayCore
import Logging
import ServiceLifecycle
import Tasking

/// Composes the backend bridge (issue 11 §3) from the configuration: the client over mutual TLS and the outbox
/// forwarder. Without `--backend-url` requests are stored and their commands wait in the outbox.
struct TaskingComposition: Sendable {
    let services: [any Service]
    /// Called with the listening port: without `--public-url`, the callbacks name `https://localhost:<port>`.
    let listening: @Sendable (Int) -> Void

    init(configuration: GatewayConfiguration, store: any GatewayStore, logger: Logger) throws {
        let monitor = BackendOutboxMonitor(store: store, logger: logger)
        guard let url = configuration.backendURL else {
            services = [monitor]
            listening = { _ in }
            return
        }
        guard url.hasPrefix("https://") else {
            throw ConfigurationError(key: "--backend-url", message: "must be an https:// URL (mutual TLS), not '\(url)'")
        }
        let certs = URL(fileURLWithPath: configuration.certificatesDirectory)
        var certificate = configuration.backendClientCertificate
        var key = configuration.backendClientKey
        if certificate == nil && key == nil {
            // The dev PKI's client certificate for the gateway itself, issued from the dev CA when missing.
            let files = DevPKIFiles(directory: certs)
            let certificateURL = files.clientCertificate(for: Self.gatewayClient)
            if !FileManager.default.fileExists(atPath: certificateURL.path) {
                try DevPKI.issueClientCertificate(for: Self.gatewayClient, in: certs, force: true)
                logger.notice(
                    "issued the gateway's development client certificate for the backend",
                    metadata: ["file": "\(certificateURL.path)"])
            }
            certificate = certificateURL.path
            key = files.clientPrivateKey(for: Self.gatewayClient).path
        }
        guard (certificate == nil) == (key == nil) else {
            throw ConfigurationError(
                key: "--backend-client-cert", message: "give --backend-client-cert and --backend-client-key together")
        }
        var settings = BackendSettings(
            url: url, clientCertificateFile: certificate, clientKeyFile: key,
            trustedCAFile: configuration.backendCA ?? certs.appendingPathComponent("ca.pem").path,
            gatewayURL: configuration.publicURL ?? "https://localhost:\(configuration.port)")
        settings.batch = 64
        settings.longestRetry = .milliseconds(Int64(configuration.backendRetryMaxSeconds * 1000))
        settings.firstRetry = min(settings.firstRetry, settings.longestRetry)
        let client: BackendClient
        do {
            client = try BackendClient(settings: settings)
        } catch {
            throw ConfigurationError(key: "--backend-client-cert", message: "cannot load the backend TLS files: \(error)")
        }
        services = [
            BackendForwarder(store: store, client: client, settings: settings, logger: logger),
            BackendOutboxMonitor(store: store, client: client, logger: logger),
        ]
        let address = settings.gatewayAddress
        let fixed = configuration.publicURL != nil
        listening = { port in if !fixed { address.set("https://localhost:\(port)") } }
        logger.info("forwarding observation requests", metadata: ["backend.url": "\(url)"])
    }

    /// The dev PKI's name for the gateway's own client certificate.
    static let gatewayClient = "gateway"
}
