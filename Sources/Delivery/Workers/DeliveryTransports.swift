import GatewayCore

/// What one attempt on a channel came to: the workers turn it into a `DeliveryAttempt` with the retry schedule.
public struct TransportOutcome: Error, Sendable, Equatable {
    /// The receiver has the message (2xx; the file renamed into place).
    public var delivered: Bool
    /// The receiver says it is gone for good (HTTP 410): the subscription is disabled.
    public var gone: Bool
    /// The class of the failure (`connect`, `timeout`, `http-status`, `address-refused`, `host-key` …).
    public var errorClass: String?
    /// The HTTP status or libcurl code.
    public var status: Int?
    /// A one-line description of the failure.
    public var message: String?
    /// How long the attempt took, in seconds.
    public var seconds: Double

    /// Creates an outcome.
    public init(
        delivered: Bool, gone: Bool = false, errorClass: String? = nil, status: Int? = nil, message: String? = nil,
        seconds: Double = 0
    ) {
        self.delivered = delivered
        self.gone = gone
        self.errorClass = errorClass
        self.status = status
        self.message = message
        self.seconds = seconds
    }
}

/// The three channels as the workers call them; the gateway composes them from `WebhookTransport`,
/// `SFTPTransport` and `DropFolder`, tests may substitute their own.
public struct DeliveryTransports: Sendable {
    /// POSTs `body` with `headers` to `url`.
    public var webhook: @Sendable (_ url: String, _ headers: [(String, String)], _ body: [UInt8]) async -> TransportOutcome
    /// Uploads `bytes` as `fileName` to the subscription's SFTP destination.
    public var sftp: @Sendable (_ subscription: Subscription, _ fileName: String, _ bytes: [UInt8]) async -> TransportOutcome
    /// Writes `bytes` as `fileName` into the subscription's drop folder.
    public var drop: @Sendable (_ subscription: Subscription, _ fileName: String, _ bytes: [UInt8]) async -> TransportOutcome

    /// Creates the set.
    public init(
        webhook: @escaping @Sendable (String, [(String, String)], [UInt8]) async -> TransportOutcome,
        sftp: @escaping @Sendable (Subscription, String, [UInt8]) async -> TransportOutcome,
        drop: @escaping @Sendable (Subscription, String, [UInt8]) async -> TransportOutcome
    ) {
        self.webhook = webhook
        self.sftp = sftp
        self.drop = drop
    }
}
