import DevPKI
import Foundation
import GatewayCore
import GatewayHTTP
import Hummingbird
import HummingbirdHTTP2
import HummingbirdTLS
import Logging
import Policy
import Prometheus
import ServiceLifecycle
import Storage

/// `essor serve`: the HTTPS gateway (DESIGN §1, §6). Prepares everything the server needs — the dev PKI when the
/// certificate comes from it, the policy (a policy that does not load stops the start), the store (migrated),
/// the demo data with `demo` — then serves until SIGTERM or SIGINT, reloading the policy on SIGHUP.
public enum GatewayServer {
    /// Runs the gateway until a graceful shutdown; throws when it cannot start.
    ///
    /// - Parameters:
    ///   - configuration: The settings.
    ///   - metrics: The registry the process's metrics are bootstrapped into (served at `/metrics`).
    ///   - logger: The server's logger (the process bootstraps logging).
    ///   - announce: Called with the listening line once the socket is bound (`essor: listening on https://…`).
    public static func run(
        configuration: GatewayConfiguration, metrics: PrometheusCollectorRegistry, logger: Logger,
        announce: @escaping @Sendable (String) -> Void
    ) async throws {
        try prepareCertificates(configuration, logger: logger)
        let tls = try GatewayTLS.configuration(configuration)
        let policiesURL = URL(fileURLWithPath: configuration.policiesDirectory)
        let policy = try PolicyLoader.load(directory: policiesURL)
        logger.info(
            "policy loaded",
            metadata: ["policy.revision": "\(policy.revision)", "policy.rules": "\(policy.rules.count)"])
        let opened = try await StoreConnection.open(url: configuration.databaseURL, logger: logger)
        do {
            let exampleKey =
                configuration.demo
                ? try await seedDemo(opened.store, configuration: configuration, announce: announce) : nil
            let active = ActivePolicy(policy)
            let push = try PushComposition(
                configuration: configuration, store: opened.store, policy: active, logger: logger)
            let tasking = try TaskingComposition(configuration: configuration, store: opened.store, logger: logger)
            let services = GatewayServices(
                store: opened.store, databaseEngine: opened.engine, policy: active,
                metrics: { metrics.emitToBuffer() }, maximumBodyBytes: configuration.maximumBodyBytes,
                maximumUploadBytes: configuration.maximumUploadBytes, push: push.endpoints)
            let router = buildRouter(services: services, logger: logger)
            let host = configuration.host
            let app = Application(
                router: router,
                server: try .http2Upgrade(tlsConfiguration: tls),
                configuration: ApplicationConfiguration(
                    address: .hostname(host, port: configuration.port), serverName: nil),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? configuration.port
                    tasking.listening(port)
                    let shown = host.contains(":") ? "[\(host)]" : host
                    announce("essor: listening on https://\(shown):\(port)")
                    if let exampleKey {
                        announce(
                            "essor: try  curl --cacert \(configuration.certificatesDirectory)/ca.pem "
                                + "-H 'Authorization: Bearer \(exampleKey)' "
                                + "https://localhost:\(port)/api/v1/objects/90001/elements?format=3le")
                    }
                },
                logger: logger)
            let reload = PolicyReloadService(directory: policiesURL, active: active, logger: logger)
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [.init(service: app), .init(service: reload)]
                        + (push.services + tasking.services).map {
                            ServiceGroupConfiguration.ServiceConfiguration(service: $0)
                        },
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            do {
                try await group.run()
            } catch {
                await push.shutdown()
                throw error
            }
            await push.shutdown()
        } catch {
            await opened.close()
            throw error
        }
        await opened.close()
    }

    /// Creates the dev PKI when the server certificate is the one of the certificates folder and is missing.
    static func prepareCertificates(_ configuration: GatewayConfiguration, logger: Logger) throws {
        guard configuration.tlsCertificate == nil, configuration.tlsKey == nil,
            !FileManager.default.fileExists(atPath: configuration.certificateFile)
        else { return }
        let files = try DevPKI.ensure(in: URL(fileURLWithPath: configuration.certificatesDirectory))
        logger.notice(
            "created the development PKI (not for production: see certs/README.md)",
            metadata: ["pki.directory": "\(files.directory.path)", "pki.files": "\(files.written.count)"])
    }

    /// Seeds the demo data set into an empty store and writes the demo users' keys (mode 0600); returns
    /// `operator-a`'s key for the example the server prints (nil when the store was not empty).
    static func seedDemo(
        _ store: any GatewayStore, configuration: GatewayConfiguration, announce: @Sendable (String) -> Void
    ) async throws -> String? {
        guard try await store.organisations().isEmpty else { return nil }
        let keys = try await DemoDataSet.seed(into: store)
        let url = URL(fileURLWithPath: configuration.demoKeysPath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let data = try JSONSerialization.data(withJSONObject: keys, options: [.prettyPrinted, .sortedKeys])
        guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw ConfigurationError(key: "ESSOR_DEMO_KEYS_OUT", message: "cannot write \(url.path)") }
        announce("essor: seeded the demo data set; the demo users' API keys are in \(url.path)")
        return keys["operator-a"]
    }
}
