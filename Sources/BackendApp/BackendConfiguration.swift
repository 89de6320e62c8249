import Astrodynamics
import Foundation

/// What `essor backend` runs with (flags; README "Reference backend").
public struct BackendConfiguration: Sendable {
    /// The gateway's base URL (`https://localhost:8443`).
    public var gatewayURL: String
    /// The sensors file.
    public var sensorsFile: String
    /// The truth element sets the simulated sensors observe.
    public var truthFile: String
    /// Element sets that take over from their epoch (manoeuvres), optional.
    public var manoeuvresFile: String?
    /// Per-object sizes (`norad_id,diameter_m[,albedo]`), optional.
    public var sizesFile: String?
    /// The clock (`real` or `accelerated:N`).
    public var clock: String = "real"
    /// Where the backend listens.
    public var host = "127.0.0.1"
    public var port = 8444
    /// The backend's store: a SQLite file path, or a `postgres://` URL.
    public var database = "data/backend.sqlite"
    /// The dev PKI folder (certificates are taken from it unless given).
    public var certificatesDirectory = "certs"
    /// The backend's server certificate and key (default: the dev PKI's server certificate).
    public var serverCertificate: String?
    public var serverKey: String?
    /// The backend's client certificate for the gateway (default: the dev PKI's `backend` user).
    public var clientCertificate: String?
    public var clientKey: String?
    /// The CA that both the gateway's server and client certificates chain to (default: the dev CA).
    public var trustedCA: String?
    /// The user the gateway's client certificate names (`urn:essor:user:<name>`).
    public var gatewayIdentity = "gateway"
    /// The seed of the noise and the weather.
    public var seed: UInt64 = 1
    /// Whether clouds may cancel slots.
    public var weather = true
    /// Frame changes (with Earth-orientation data from `--eop`, else UT1 = UTC and no polar motion).
    public var transformer = FrameTransformer()
    /// The longest wait between two tries of an undelivered message, seconds.
    public var retryMaxSeconds = 30.0

    public init(gatewayURL: String, sensorsFile: String, truthFile: String) {
        self.gatewayURL = gatewayURL
        self.sensorsFile = sensorsFile
        self.truthFile = truthFile
    }
}
