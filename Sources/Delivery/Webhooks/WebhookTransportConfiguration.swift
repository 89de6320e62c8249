/// How webhooks are sent (issue 10 §2).
public struct WebhookTransportConfiguration: Sendable {
    /// The SSRF guard every attempt passes first (carries `--webhook-allow`).
    public var addressGuard: AddressGuard
    /// A PEM file of CA certificates trusted besides the system's, for receivers with a private PKI (the dev CA in
    /// tests).
    public var trustedCAFile: String?
    /// How long establishing the TCP connection and the TLS handshake may take.
    public var connectTimeout: Duration
    /// How long the whole exchange may take, from sending the request to the end of the (truncated) response.
    public var responseTimeout: Duration
    /// How much of a response body is read; the rest is not waited for.
    public var maximumResponseBytes: Int
    /// How many `(host, address)` clients are kept (each with its own keep-alive connections).
    public var maximumClients: Int
    /// Keep-alive connections per client.
    public var connectionsPerClient: Int
    /// The `user-agent` sent.
    public var userAgent: String

    /// Creates a configuration: connect timeout 5 s, response timeout 10 s, 64 KiB of response read.
    public init(
        addressGuard: AddressGuard = AddressGuard(), trustedCAFile: String? = nil,
        connectTimeout: Duration = .seconds(5),
        responseTimeout: Duration = .seconds(10), maximumResponseBytes: Int = 64 * 1024, maximumClients: Int = 64,
        connectionsPerClient: Int = 8, userAgent: String = "Essor-Webhooks/1"
    ) {
        self.addressGuard = addressGuard
        self.trustedCAFile = trustedCAFile
        self.connectTimeout = connectTimeout
        self.responseTimeout = responseTimeout
        self.maximumResponseBytes = maximumResponseBytes
        self.maximumClients = maximumClients
        self.connectionsPerClient = connectionsPerClient
        self.userAgent = userAgent
    }
}

/// What one webhook attempt came to.
public struct WebhookOutcome: Sendable, Equatable {
    /// The HTTP status, when a response came.
    public var status: Int?
    /// Nil on success (2xx); else `address-refused`, `dns`, `bad-url`, `connect`, `tls`, `timeout`, `http-status`,
    /// `redirect` or `io`.
    public var errorClass: String?
    /// What went wrong, in one line.
    public var message: String?
    /// How long the attempt took, guard and resolution included, in seconds.
    public var seconds: Double
    /// The start of the response body (at most the configured maximum).
    public var responseBody: [UInt8]
    /// Whether the body was longer than what was read.
    public var responseTruncated: Bool

    /// Creates an outcome.
    public init(
        status: Int? = nil, errorClass: String? = nil, message: String? = nil, seconds: Double = 0,
        responseBody: [UInt8] = [], responseTruncated: Bool = false
    ) {
        self.status = status
        self.errorClass = errorClass
        self.message = message
        self.seconds = seconds
        self.responseBody = responseBody
        self.responseTruncated = responseTruncated
    }

    /// Whether the receiver accepted the message (2xx).
    public var delivered: Bool { errorClass == nil }
}
