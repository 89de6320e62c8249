import Crypto
import Foundation

/// Signs webhook messages as Standard Webhooks v1 specifies (standardwebhooks.com, "Signature scheme"): the
/// `webhook-signature` header is `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per secret, space-separated,
/// so a receiver holding either secret verifies during a rotation.
public enum StandardWebhookSignature {
    /// The secret prefix Standard Webhooks gives symmetric secrets.
    public static let secretPrefix = "whsec_"

    /// The `webhook-signature` header value for a message signed with every secret in `secrets`, in order.
    ///
    /// - Parameters:
    ///   - id: the `webhook-id` header (the same on every attempt).
    ///   - timestamp: the `webhook-timestamp` header, seconds since 1970.
    ///   - body: the exact bytes sent.
    ///   - secrets: `whsec_` + base64 key (the prefix is optional, as in the reference libraries).
    /// - Throws: ``WebhookSecretError`` when a secret is not base64 or there is none.
    public static func header(id: String, timestamp: Int, body: [UInt8], secrets: [String]) throws -> String {
        guard !secrets.isEmpty else { throw WebhookSecretError(message: "no secret to sign with") }
        var signed = Array("\(id).\(timestamp).".utf8)
        signed.append(contentsOf: body)
        return try secrets.map { secret in
            let code = HMAC<SHA256>.authenticationCode(for: signed, using: try key(secret))
            return "v1," + Data(code).base64EncodedString()
        }.joined(separator: " ")
    }

    /// A new secret: `whsec_` + base64 of 32 random bytes (Standard Webhooks recommends 24 to 64 bytes).
    public static func generateSecret() -> String {
        let key = SymmetricKey(size: .bits256)
        return secretPrefix + key.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// The HMAC key a secret stands for.
    static func key(_ secret: String) throws -> SymmetricKey {
        let encoded = secret.hasPrefix(secretPrefix) ? String(secret.dropFirst(secretPrefix.count)) : secret
        guard let bytes = Data(base64Encoded: encoded), !bytes.isEmpty else {
            throw WebhookSecretError(message: "a webhook secret must be \(secretPrefix) followed by base64")
        }
        return SymmetricKey(data: bytes)
    }
}

/// A webhook secret that cannot be used.
public struct WebhookSecretError: Error, Sendable, CustomStringConvertible {
    /// What is wrong with it (never the secret itself).
    public var message: String

    /// A description for logs.
    public var description: String { message }
}
