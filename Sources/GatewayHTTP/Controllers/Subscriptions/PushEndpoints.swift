import GatewayCore

/// What the subscription routes need from the push machinery (the gateway wires it to `Delivery`'s SSRF guard and
/// key generators; tests may substitute their own).
public struct PushEndpoints: Sendable {
    /// Checks a webhook URL as a delivery will (scheme, resolution, refused address ranges); nil when acceptable,
    /// else why not.
    public var checkWebhookURL: @Sendable (String) async -> String?
    /// Checks an SFTP server's host the same way; nil when acceptable, else why not.
    public var checkSFTPHost: @Sendable (_ host: String, _ port: Int) async -> String?
    /// A new `whsec_` signing secret.
    public var newSecret: @Sendable () -> String
    /// A new ed25519 key pair for an SFTP subscription, its public key commented with the given text.
    public var newSSHKey: @Sendable (_ comment: String) -> SSHKeyPair

    /// Creates the endpoints.
    public init(
        checkWebhookURL: @escaping @Sendable (String) async -> String?,
        checkSFTPHost: @escaping @Sendable (String, Int) async -> String?, newSecret: @escaping @Sendable () -> String,
        newSSHKey: @escaping @Sendable (String) -> SSHKeyPair
    ) {
        self.checkWebhookURL = checkWebhookURL
        self.checkSFTPHost = checkSFTPHost
        self.newSecret = newSecret
        self.newSSHKey = newSSHKey
    }
}
