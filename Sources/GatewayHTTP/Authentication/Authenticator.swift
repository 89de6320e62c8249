import Crypto
import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOSSL
import Policy
import Synchronization
import X509

/// Establishes who is calling (DESIGN §1, §4): an `Authorization: Bearer <api key>`, or else a verified client
/// certificate naming a user by its SAN URI `urn:essor:user:<name>` (exact match), or, when it has no such URI, by
/// its full subject DN equal to a user's `certificateSubject` (`CertificateSubject.canonical(_:)`); never a CN
/// substring. A SAN URI wins: a certificate that has one is never matched by its subject.
///
/// Verified credentials are remembered for `cacheSeconds`, so a hot key costs one hash and one table lookup rather
/// than store reads; a revoked key or a removed user therefore stops working within that time. A key's last-used
/// time is written at most once per `cacheSeconds`.
public final class Authenticator: Sendable {
    /// A remembered credential.
    struct Remembered {
        var principal: Principal
        var keyID: String?
        var expires: Date
    }

    private let store: any IdentityStore
    private let cacheSeconds: TimeInterval
    private let remembered = Mutex<[Data: Remembered]>([:])
    private let logger: Logger

    /// The URI prefix of a user's client certificate SAN.
    public static let userURIPrefix = "urn:essor:user:"

    /// Creates an authenticator over `store`.
    public init(store: any IdentityStore, cacheSeconds: TimeInterval = 30, logger: Logger) {
        self.store = store
        self.cacheSeconds = cacheSeconds
        self.logger = logger
    }

    /// The caller of a request: from `authorization` when present (a wrong key is `401`, never a fallback to the
    /// certificate), else from the connection's client certificate; nil when neither is there.
    func principal(authorization: String?, channels: [any Channel], now: Date = Date()) async throws(Problem)
        -> Principal?
    {
        if let authorization {
            return try await principal(apiKeyHeader: authorization, now: now)
        }
        for channel in channels {
            // A channel without the TLS handler fails; the next candidate is tried.
            guard let certificate = try? await channel.nioSSL_peerCertificate().get() else { continue }
            return try await principal(certificate: certificate, now: now)
        }
        return nil
    }

    /// `Bearer <key>` → the key's user.
    private func principal(apiKeyHeader: String, now: Date) async throws(Problem) -> Principal {
        let parts = apiKeyHeader.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Self.unauthenticated("the Authorization header must be 'Bearer <api key>'")
        }
        let text = String(parts[1]).trimmingCharacters(in: .whitespaces)
        let digest = Data(SHA256.hash(data: Data(text.utf8)))
        if let hit = lookup(digest, now: now) { return hit.principal }
        let authentication: APIKeyAuthentication?
        do {
            authentication = try await store.authenticate(apiKeyText: text, at: now)
        } catch {
            logger.error("authentication failed on the store", metadata: ["error": "\(error)"])
            throw Problem(error)
        }
        guard let authentication else {
            throw Self.unauthenticated("the API key is not valid (unknown, malformed or revoked)")
        }
        let principal = authentication.user.principal(authenticatedBy: .apiKey)
        remember(digest, Remembered(principal: principal, keyID: authentication.key.id, expires: now + cacheSeconds))
        return principal
    }

    /// A verified client certificate → the user its SAN URI names, else the user its subject DN is registered to.
    private func principal(certificate: NIOSSLCertificate, now: Date) async throws(Problem) -> Principal {
        let der: [UInt8]
        do {
            der = try certificate.toDERBytes()
        } catch {
            throw Self.unauthenticated("the client certificate cannot be read")
        }
        let digest = Data(SHA256.hash(data: der))
        if let hit = lookup(digest, now: now) { return hit.principal }
        guard let certificateName = Self.certificateName(certificateDER: der) else {
            throw Self.unauthenticated(
                "the client certificate names no user (one SAN URI \(Self.userURIPrefix)<name>, or a subject DN "
                    + "registered with 'essor user set-subject', is required)")
        }
        let user: User
        do {
            switch certificateName {
            case .user(let name): user = try await store.user(named: name)
            case .subject(let subject): user = try await store.user(certificateSubject: subject)
            }
        } catch .notFound {
            throw Self.unauthenticated("the client certificate's user is not known to the gateway")
        } catch {
            logger.error("authentication failed on the store", metadata: ["error": "\(error)"])
            throw Problem(error)
        }
        let principal = user.principal(authenticatedBy: .clientCertificate)
        remember(digest, Remembered(principal: principal, keyID: nil, expires: now + cacheSeconds))
        return principal
    }

    /// How a client certificate names its user.
    public enum CertificateName: Sendable, Equatable {
        /// By its SAN URI `urn:essor:user:<name>`.
        case user(String)
        /// By its subject DN, in `CertificateSubject.canonical(_:)` form.
        case subject(String)
    }

    /// The name a certificate gives its user: its one `urn:essor:user:` SAN URI, or, when it has none, its subject
    /// DN; nil when it cannot be parsed, has several such URIs or an empty name, or has neither.
    public static func certificateName(certificateDER der: [UInt8]) -> CertificateName? {
        guard let certificate = try? Certificate(derEncoded: der) else { return nil }
        let alternativeNames: SubjectAlternativeNames?
        do {
            alternativeNames = try certificate.extensions.subjectAlternativeNames
        } catch {
            return nil
        }
        let users = (alternativeNames.map(Array.init) ?? []).compactMap { name -> String? in
            guard case .uniformResourceIdentifier(let uri) = name, uri.hasPrefix(userURIPrefix) else { return nil }
            return String(uri.dropFirst(userURIPrefix.count))
        }
        if !users.isEmpty {
            return users.count == 1 && !users[0].isEmpty ? .user(users[0]) : nil
        }
        // swift-certificates prints the subject in RFC 4514 form, most specific RDN first.
        return (try? CertificateSubject.canonical(String(describing: certificate.subject))).map(CertificateName.subject)
    }

    /// The user name in a certificate's SAN URI `urn:essor:user:<name>`; nil when there is none (or several).
    public static func userName(certificateDER der: [UInt8]) -> String? {
        guard case .user(let name) = certificateName(certificateDER: der) else { return nil }
        return name
    }

    private func lookup(_ digest: Data, now: Date) -> Remembered? {
        remembered.withLock { table in
            guard let hit = table[digest] else { return nil }
            guard hit.expires > now else {
                table[digest] = nil
                return nil
            }
            return hit
        }
    }

    private func remember(_ digest: Data, _ credential: Remembered) {
        remembered.withLock { table in
            if table.count > 10_000 { table.removeAll(keepingCapacity: true) }  // bound the memory, whatever the load
            table[digest] = credential
        }
    }

    /// `401` with the `WWW-Authenticate` challenge.
    static func unauthenticated(_ detail: String) -> Problem {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = "Bearer realm=\"essor\""
        return Problem(.unauthenticated, detail, headers: headers)
    }
}
