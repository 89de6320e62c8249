/// Where a subscription's messages go (issue 10 §2–4).
public enum DeliveryChannel: Sendable, Hashable {
    /// An HTTPS endpoint receiving Standard Webhooks v1 `POST`s (`http://` only inside an allowed range).
    case webhook(url: String)
    /// A remote SFTP server: `sftp://host:port/dir`, logged into as `username` with the subscription's ed25519 key,
    /// the server's host key pinned by the base64 SHA-256 fingerprint `hostKeySHA256` (as `ssh-keygen -l -E sha256`
    /// prints it, without `SHA256:`).
    case sftp(url: String, username: String, hostKeySHA256: String)
    /// Files written under the gateway's drop folder, `DROPS/<user>/<subscription id>/`, served by OpenSSH.
    case drop

    /// The channel's type as the API spells it: `webhook`, `sftp`, `drop`.
    public var type: String {
        switch self {
        case .webhook: "webhook"
        case .sftp: "sftp"
        case .drop: "drop"
        }
    }
}
