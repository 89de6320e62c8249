import Foundation
import Synchronization

/// How the gateway reaches the collection / tasking backend (issue 11 §3): `--backend-url`,
/// `--backend-client-cert`/`--backend-client-key` (the gateway's client certificate), `--backend-ca` (what the
/// backend's server certificate must chain to).
public struct BackendSettings: Sendable {
    /// The backend's base URL (`https://host:port`); the protocol's paths (`/v1/requests` …) are appended.
    public var url: String
    /// The gateway's client certificate (PEM), presented to the backend.
    public var clientCertificateFile: String?
    /// Its private key (PEM).
    public var clientKeyFile: String?
    /// The CA certificates (PEM) the backend's certificate must chain to; nil uses the system's.
    public var trustedCAFile: String?
    /// The gateway's own base URL as the backend reaches it (the callbacks in `POST /v1/requests`).
    public var gatewayURL: String { gatewayAddress.url }
    /// Where that URL is kept: known once the server is listening (`--port 0` picks the port then).
    public let gatewayAddress: GatewayAddress
    /// How long one call may take.
    public var timeout: Duration = .seconds(10)
    /// How long a claimed command is kept from other forwarders (longer than a call).
    public var lease: Duration = .seconds(30)
    /// The first retry delay; each further one doubles, up to `longestRetry`, with ±20 % jitter.
    public var firstRetry: Duration = .seconds(1)
    /// The longest retry delay.
    public var longestRetry: Duration = .seconds(60)
    /// Commands claimed per round.
    public var batch = 64
    /// How often the outbox is polled when no change is signalled.
    public var pollInterval: Duration = .seconds(1)

    /// Creates settings.
    public init(
        url: String, clientCertificateFile: String? = nil, clientKeyFile: String? = nil, trustedCAFile: String? = nil,
        gatewayURL: String
    ) {
        self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
        self.clientCertificateFile = clientCertificateFile
        self.clientKeyFile = clientKeyFile
        self.trustedCAFile = trustedCAFile
        self.gatewayAddress = GatewayAddress(gatewayURL)
    }

    /// The delay before try `attempts + 1` after `attempts` failed tries: 1 s, 2 s, 4 s … capped, with jitter.
    public func retryDelay(afterAttempts attempts: Int) -> TimeInterval {
        let first = firstRetry.seconds
        let longest = longestRetry.seconds
        let base = min(longest, first * pow(2, Double(max(0, attempts - 1))))
        return base * Double.random(in: 0.8...1.2)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}

/// The gateway's base URL as the backend reaches it; set again once the listening port is known.
public final class GatewayAddress: Sendable {
    private let value: Mutex<String>

    /// Creates it with `url`.
    public init(_ url: String) {
        value = Mutex(GatewayAddress.trimmed(url))
    }

    /// The base URL, without a trailing `/`.
    public var url: String { value.withLock { $0 } }

    /// Replaces the URL.
    public func set(_ url: String) {
        value.withLock { $0 = GatewayAddress.trimmed(url) }
    }

    private static func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
