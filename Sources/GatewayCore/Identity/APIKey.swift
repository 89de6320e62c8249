import Foundation

/// A stored API key: everything about the key except its secret, of which only the SHA-256 is kept (DESIGN §4).
///
/// The key's text is `essor_<id>_<secret>`: `id` is 16 lowercase hexadecimal digits (64 random bits, the lookup
/// key), `secret` is 256 random bits in unpadded base64url. The text is shown once, at creation (`IssuedAPIKey`).
public struct APIKey: Sendable, Hashable {
    /// The key's public identifier (16 lowercase hexadecimal digits), also written in the key text.
    public var id: String
    /// The `User.name` of the key's owner.
    public var userName: String
    /// The non-secret beginning of the key text, `essor_<id>`, for listings ("which key is this?").
    public var prefix: String
    /// SHA-256 of the whole key text (UTF-8), 32 bytes.
    public var hash: [UInt8]
    /// When the key was created.
    public var created: Date
    /// When the key last authenticated a request; nil when never used.
    public var lastUsed: Date?
    /// When the key was revoked; nil while it is valid.
    public var revoked: Date?

    /// Creates a key record.
    public init(
        id: String, userName: String, prefix: String, hash: [UInt8], created: Date, lastUsed: Date? = nil,
        revoked: Date? = nil
    ) {
        self.id = id
        self.userName = userName
        self.prefix = prefix
        self.hash = hash
        self.created = created
        self.lastUsed = lastUsed
        self.revoked = revoked
    }

    /// Whether the key may still authenticate.
    public var isRevoked: Bool { revoked != nil }
}

/// A freshly created API key: the stored record and the key text, which exists only here and is never stored.
public struct IssuedAPIKey: Sendable {
    /// The record as stored.
    public var key: APIKey
    /// The key text, `essor_<id>_<secret>`, to show the user once.
    public var text: String
}

/// A successful API-key authentication: the key (with its new last-used time) and its owner.
public struct APIKeyAuthentication: Sendable, Hashable {
    /// The key that matched.
    public var key: APIKey
    /// The key's owner.
    public var user: User
}
