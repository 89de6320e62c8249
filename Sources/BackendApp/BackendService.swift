import Astrodynamics
import Backend
import DevPKI
import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOSSL
import ServiceLifecycle
import UnixSignals

/// `essor backend`: loads the sensors and the truth, opens its store, serves the backend protocol over mutual TLS
/// and runs the worker (plan, observe, report) until SIGTERM or SIGINT.
public enum BackendService {
    /// Runs the backend; `announce` prints the lines a person starting it wants to see.
    public static func run(
        _ configuration: BackendConfiguration, logger: Logger, announce: @escaping @Sendable (String) -> Void
    ) async throws {
        let network = try SensorNetwork.load(path: configuration.sensorsFile)
        var truth = try TruthCatalogue.load(truth: configuration.truthFile, manoeuvres: configuration.manoeuvresFile)
        if let sizes = configuration.sizesFile {
            guard let data = FileManager.default.contents(atPath: sizes) else {
                throw BackendConfigurationError("\(sizes): cannot read the file")
            }
            var catalogue = ObjectCatalogue(objects: truth.noradIDs.flatMap { truth.elementSets(of: $0) })
            try catalogue.applySizes(csv: String(decoding: data, as: UTF8.self), file: sizes)
            truth = TruthCatalogue(objects: catalogue.objects)
        }
        guard let clock = BackendClock.parse(configuration.clock) else {
            throw BackendConfigurationError("--clock must be real or accelerated:N (1 ≤ N ≤ 1000000), not '\(configuration.clock)'")
        }
        let files = try certificates(configuration)
        let store = try await open(configuration.database, logger: logger)
        do {
            try await store.migrate()
            let link = try GatewayLink(
                baseURL: configuration.gatewayURL, certificate: files.clientCertificate, key: files.clientKey,
                trustedCA: files.ca)
            let signal = WorkSignal()
            let worker = BackendWorker(
                store: store, link: link, clock: clock, network: network, truth: truth,
                transformer: configuration.transformer, seed: configuration.seed,
                weather: configuration.weather, retryMaxSeconds: configuration.retryMaxSeconds, signal: signal,
                logger: logger)
            let router = Router(context: BackendRequestContext.self)
            router.add(middleware: GatewayOnlyMiddleware(identity: configuration.gatewayIdentity))
            BackendRoutes(store: store, clock: clock, wake: { signal.raise() }).register(on: router)
            var tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(files.serverCertificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: files.serverKey, format: .pem)))
            tls.minimumTLSVersion = .tlsv12
            // A client certificate is required and must chain to the trusted CA; the middleware checks its name.
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(files.ca))
            let host = configuration.host
            let sensors = network.sensors.map(\.name).joined(separator: ", ")
            let objects = truth.noradIDs.count
            let clockText = clock.factor == 1 ? "real time" : "accelerated ×\(Int(clock.factor))"
            let app = Application(
                router: router, server: try .tls(.http1(), tlsConfiguration: tls),
                configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port)),
                onServerRunning: { channel in
                    let port = channel.localAddress?.port ?? configuration.port
                    announce(
                        "essor backend: listening on https://\(host):\(port) (mutual TLS), gateway "
                            + "\(configuration.gatewayURL), sensors \(sensors), \(objects) truth object(s), clock \(clockText)")
                }, logger: logger)
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [.init(service: app), .init(service: worker)],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            await link.shutdown()
        } catch {
            try? await store.close()
            throw error
        }
        try await store.close()
    }

    /// Opens the store a `--database` value names.
    static func open(_ database: String, logger: Logger) async throws -> any BackendStore {
        if database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") {
            return try PostgresBackendStore(url: database, logger: logger)
        }
        let directory = URL(fileURLWithPath: database).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return try SQLiteBackendStore(path: database)
    }

    /// The TLS files: as given, else the dev PKI's (created when missing).
    static func certificates(_ configuration: BackendConfiguration) throws -> (
        serverCertificate: String, serverKey: String, clientCertificate: String, clientKey: String, ca: String
    ) {
        let directory = URL(fileURLWithPath: configuration.certificatesDirectory)
        let needsDevPKI =
            configuration.serverCertificate == nil || configuration.clientCertificate == nil
            || configuration.trustedCA == nil
        let files = DevPKIFiles(directory: directory)
        if needsDevPKI { try DevPKI.ensure(in: directory) }
        return (
            configuration.serverCertificate ?? files.serverCertificate.path,
            configuration.serverKey ?? files.serverPrivateKey.path,
            configuration.clientCertificate ?? files.clientCertificate(for: "backend").path,
            configuration.clientKey ?? files.clientPrivateKey(for: "backend").path,
            configuration.trustedCA ?? files.caCertificate.path
        )
    }
}

/// A configuration the backend cannot run with.
public struct BackendConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
