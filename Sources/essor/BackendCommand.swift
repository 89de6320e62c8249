import ArgumentParser
import Astrodynamics
import BackendApp
import Foundation
import Logging

/// `essor backend` (issue 12): the reference collection / tasking backend. It answers the backend protocol over
/// mutual TLS, plans the requests it receives on its sensor network, observes them with simulated sensors on the
/// truth catalogue and hands the TDMs and status reports to the gateway.
struct BackendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backend",
        abstract: "Run the reference backend (the backend protocol over mutual TLS; simulated sensors).")

    @Option(help: "The gateway's base URL (https://localhost:8443).")
    var gateway: String
    @Option(help: "The sensors file (YAML).")
    var sensors = "backend/sensors.yaml"
    @Option(help: "The truth element sets the simulated sensors observe (TLE, 3LE or OMM).")
    var truth: String
    @Option(help: "Element sets that take over from their epoch (manoeuvres in the truth).")
    var manoeuvres: String?
    @Option(help: "Object sizes, CSV norad_id,diameter_m[,albedo].")
    var sizes: String?
    @Option(help: "real, or accelerated:N (simulated time N times faster).")
    var clock = "real"
    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"
    @Option(help: "Port (0 picks a free port).")
    var port = 8444
    @Option(help: "The backend's store: a SQLite file, or postgres://USER:PASSWORD@HOST:PORT/DB.")
    var database = "data/backend.sqlite"
    @Option(help: "Dev PKI folder (the default certificates are taken and created there).")
    var certs = "certs"
    @Option(name: .customLong("tls-cert"), help: "Server certificate (default CERTS/server.pem).")
    var tlsCertificate: String?
    @Option(name: .customLong("tls-key"), help: "Server key (default CERTS/server-key.pem).")
    var tlsKey: String?
    @Option(name: .customLong("client-cert"), help: "Client certificate for the gateway (default CERTS/clients/backend.pem).")
    var clientCertificate: String?
    @Option(name: .customLong("client-key"), help: "Its key (default CERTS/clients/backend-key.pem).")
    var clientKey: String?
    @Option(help: "The CA the gateway's certificates chain to (default CERTS/ca.pem).")
    var ca: String?
    @Option(name: .customLong("gateway-identity"), help: "The user the gateway's client certificate names.")
    var gatewayIdentity = "gateway"
    @Option(help: "Seed of the measurement noise and the weather.")
    var seed: UInt64 = 1
    @Flag(name: .customLong("no-weather"), help: "Clear skies every night.")
    var noWeather = false
    @Option(help: "IERS Earth-orientation file (finals2000A.all or EOP C04) for UT1 and polar motion.")
    var eop: String?
    @Option(name: .customLong("retry-max-seconds"), help: "Longest wait between two tries of a message to the gateway.")
    var retryMaxSeconds = 30.0

    func run() async throws {
        var configuration = BackendConfiguration(gatewayURL: gateway, sensorsFile: sensors, truthFile: truth)
        configuration.manoeuvresFile = manoeuvres
        configuration.sizesFile = sizes
        configuration.clock = clock
        configuration.host = host
        configuration.port = port
        configuration.database = database
        configuration.certificatesDirectory = certs
        configuration.serverCertificate = tlsCertificate
        configuration.serverKey = tlsKey
        configuration.clientCertificate = clientCertificate
        configuration.clientKey = clientKey
        configuration.trustedCA = ca
        configuration.gatewayIdentity = gatewayIdentity
        configuration.seed = seed
        configuration.weather = !noWeather
        configuration.retryMaxSeconds = retryMaxSeconds
        do {
            configuration.transformer = FrameTransformer(eop: try eop.map(EarthOrientationFile.load))
        } catch {
            printError("essor backend: \(error)")
            throw ExitCode(1)
        }
        CommandLogging.bootstrapServer()
        do {
            try await BackendService.run(configuration, logger: Logger(label: "essor.backend")) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        } catch {
            printError("essor backend: \(error)")
            throw ExitCode(1)
        }
    }
}
