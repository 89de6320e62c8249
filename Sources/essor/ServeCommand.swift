import ArgumentParser
import Foundation
import GatewayApp
import Logging
import Metrics
import Policy
import Prometheus

/// `essor serve` (DESIGN §6): the HTTPS gateway. Flags override the `ESSOR_*` environment variables, which
/// override the defaults (see `GatewayConfiguration`).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the HTTPS gateway (TLS 1.2/1.3, HTTP/2, API keys and mutual TLS).")

    @Option(help: "Database URL: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB (ESSOR_DATABASE).")
    var database: String?
    @Option(help: "Address to listen on (ESSOR_HOST; default 127.0.0.1).")
    var host: String?
    @Option(help: "Port (ESSOR_PORT; default 8443; 0 picks a free port).")
    var port: Int?
    @Option(
        name: .customLong("tls-cert"), help: "Server certificate chain, PEM (ESSOR_TLS_CERT; default CERTS/server.pem)."
    )
    var tlsCertificate: String?
    @Option(
        name: .customLong("tls-key"), help: "Server private key, PEM (ESSOR_TLS_KEY; default CERTS/server-key.pem).")
    var tlsKey: String?
    @Option(name: .customLong("client-ca"), help: "Verify client certificates against these CAs (ESSOR_CLIENT_CA).")
    var clientCA: String?
    @Option(help: "Policy folder (ESSOR_POLICIES; default policies).")
    var policies: String?
    @Option(help: "Dev PKI folder, created when missing (ESSOR_CERTS; default certs).")
    var certs: String?
    @Flag(help: "Seed the demo data set when the store is empty (ESSOR_DEMO).")
    var demo = false
    @Option(
        name: .customLong("demo-keys-out"),
        help: "Where seeding writes the demo API keys (default data/demo-keys.json).")
    var demoKeysOut: String?
    @Option(name: .customLong("max-body-bytes"), help: "Largest request body accepted (ESSOR_MAX_BODY_BYTES; 1 MiB).")
    var maxBodyBytes: Int?
    @Option(name: .customLong("max-upload-bytes"), help: "Largest product upload accepted (ESSOR_MAX_UPLOAD_BYTES; 50 MiB).")
    var maxUploadBytes: Int?
    @Option(
        name: .customLong("webhook-allow"),
        help: "Address range (CIDR) deliveries may reach despite the SSRF guard; repeatable (ESSOR_WEBHOOK_ALLOW).")
    var webhookAllow: [String] = []
    @Option(name: .customLong("webhook-ca"), help: "Extra CA (PEM) trusted for webhook receivers (ESSOR_WEBHOOK_CA).")
    var webhookCA: String?
    @Option(
        name: .customLong("webhook-timeout-seconds"),
        help: "How long a webhook receiver may take to answer (ESSOR_WEBHOOK_TIMEOUT_SECONDS; 10).")
    var webhookTimeoutSeconds: Double?
    @Option(help: "Drop folders' root (ESSOR_DROPS; default data/drops).")
    var drops: String?
    @Option(name: .customLong("drop-retention-days"), help: "Days dropped files are kept (ESSOR_DROP_RETENTION_DAYS; 30).")
    var dropRetentionDays: Double?
    @Option(
        name: .customLong("delivery-retry-scale"),
        help: "Multiplies the retry schedule's delays, for tests (ESSOR_DELIVERY_RETRY_SCALE; 1).")
    var deliveryRetryScale: Double?
    @Option(
        name: .customLong("delivery-lease-seconds"),
        help: "How long a claimed delivery is held before a retry after a crash (ESSOR_DELIVERY_LEASE_SECONDS; 60).")
    var deliveryLeaseSeconds: Double?
    @Flag(name: .customLong("no-push-workers"), help: "Serve the API without running the push workers (ESSOR_PUSH_WORKERS=0).")
    var noPushWorkers = false
    @Option(
        name: .customLong("backend-url"),
        help: "The collection / tasking backend, https:// (ESSOR_BACKEND_URL); requests are not forwarded without it.")
    var backendURL: String?
    @Option(
        name: .customLong("backend-client-cert"),
        help: "The gateway's client certificate (PEM) for the backend (ESSOR_BACKEND_CLIENT_CERT; <certs>/clients/gateway.pem).")
    var backendClientCert: String?
    @Option(
        name: .customLong("backend-client-key"),
        help: "Its private key (PEM) (ESSOR_BACKEND_CLIENT_KEY; <certs>/clients/gateway-key.pem).")
    var backendClientKey: String?
    @Option(
        name: .customLong("backend-ca"),
        help: "The CA (PEM) the backend's certificate must chain to (ESSOR_BACKEND_CA; <certs>/ca.pem).")
    var backendCA: String?
    @Option(
        name: .customLong("public-url"),
        help: "The gateway's base URL as the backend reaches it, for its callbacks (ESSOR_PUBLIC_URL; https://localhost:PORT).")
    var publicURL: String?
    @Option(
        name: .customLong("backend-retry-max-seconds"),
        help: "The longest wait between tries of an unacknowledged backend command (ESSOR_BACKEND_RETRY_MAX_SECONDS; 60).")
    var backendRetryMaxSeconds: Double?

    func run() async throws {
        var configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration(environment: ProcessInfo.processInfo.environment)
        } catch {
            printError("essor serve: \(error)")
            throw ExitCode(2)
        }
        if let database { configuration.databaseURL = database }
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if let tlsCertificate { configuration.tlsCertificate = tlsCertificate }
        if let tlsKey { configuration.tlsKey = tlsKey }
        if let clientCA { configuration.clientCA = clientCA }
        if let policies { configuration.policiesDirectory = policies }
        if let certs { configuration.certificatesDirectory = certs }
        if demo { configuration.demo = true }
        if let demoKeysOut { configuration.demoKeysFile = demoKeysOut }
        if let maxBodyBytes { configuration.maximumBodyBytes = maxBodyBytes }
        if let maxUploadBytes { configuration.maximumUploadBytes = maxUploadBytes }
        if !webhookAllow.isEmpty { configuration.webhookAllow = webhookAllow }
        if let webhookCA { configuration.webhookCA = webhookCA }
        if let drops { configuration.dropsDirectory = drops }
        if noPushWorkers { configuration.pushWorkers = false }
        if let backendURL { configuration.backendURL = backendURL }
        if let backendClientCert { configuration.backendClientCertificate = backendClientCert }
        if let backendClientKey { configuration.backendClientKey = backendClientKey }
        if let backendCA { configuration.backendCA = backendCA }
        if let publicURL { configuration.publicURL = publicURL }
        do {
            if let value = webhookTimeoutSeconds {
                configuration.webhookTimeoutSeconds = try GatewayConfiguration.decimal(
                    String(value), key: "--webhook-timeout-seconds", in: 0.1...300)
            }
            if let value = backendRetryMaxSeconds {
                configuration.backendRetryMaxSeconds = try GatewayConfiguration.decimal(
                    String(value), key: "--backend-retry-max-seconds", in: 0.01...86_400)
            }
            if let value = dropRetentionDays {
                configuration.dropRetentionDays = try GatewayConfiguration.decimal(
                    String(value), key: "--drop-retention-days", in: 0.001...3650)
            }
            if let value = deliveryRetryScale {
                configuration.deliveryRetryScale = try GatewayConfiguration.decimal(
                    String(value), key: "--delivery-retry-scale", in: 0.00001...100)
            }
            if let value = deliveryLeaseSeconds {
                configuration.deliveryLeaseSeconds = try GatewayConfiguration.decimal(
                    String(value), key: "--delivery-lease-seconds", in: 0.5...86_400)
            }
        } catch {
            printError("essor serve: \(error)")
            throw ExitCode(2)
        }

        CommandLogging.bootstrapServer()
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "essor")
        do {
            try await GatewayServer.run(configuration: configuration, metrics: registry, logger: logger) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch let error as PolicyLoadError {
            for problem in error.problems { printError(problem.description) }
            printError("essor serve: the policies in \(configuration.policiesDirectory) do not load; not starting")
            throw ExitCode(1)
        } catch {
            printError("essor serve: \(error)")
            throw ExitCode(1)
        }
    }
}
