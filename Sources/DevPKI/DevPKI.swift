import Crypto
import Foundation
import X509

/// The development PKI (DESIGN.md §6 "Dev PKI"): a local CA, a certificate for the server on this machine and
/// client certificates for the demo users, as PEM files in one folder.
///
/// Layout of the folder (`certs/` by default):
/// ```
/// ca.pem  ca-key.pem  server.pem  server-key.pem  clients/<user>.pem  clients/<user>-key.pem
/// ```
/// Every certificate is an ECDSA P-256 certificate valid for ``validityDays`` days and carries the extensions that
/// strict validators (OpenSSL, Python `cryptography`, browsers) require. Private keys are written with mode 0600.
/// Existing files are never overwritten unless `force` is set, and an existing CA is always reused.
public enum DevPKI {
    /// How long each certificate is valid: 365 days (the gateway issue allows at most 366).
    public static let validityDays = 365

    /// The demo users of DESIGN.md §6 ("Demo data set"), plus `backend`, the identity the reference backend
    /// presents over mutual TLS (DESIGN.md §2, §7).
    public static let demoUsers = [
        "operator-a", "operator-b", "partner-1", "partner-2", "requester", "admin", "backend",
    ]

    /// Makes sure the folder holds a complete dev PKI for `users`, creating what is missing.
    ///
    /// The CA in `ca.pem`/`ca-key.pem` is reused when present; it is replaced only when it cannot be used
    /// (expired, unreadable, key mismatch) and `force` is set. Leaf certificates that exist and were issued by
    /// that CA are kept unless `force` is set, in which case they are re-issued.
    ///
    /// - Parameters:
    ///   - directory: The PKI folder; created when missing.
    ///   - users: The users that get a client certificate.
    ///   - force: Re-issue the server and client certificates (and replace an unusable CA).
    ///   - now: The issuing time (tests pass a fixed date).
    /// - Returns: The paths of the files and which of them this call wrote.
    /// - Throws: ``DevPKIError`` when a file is in the way without `force`, or when a file cannot be read or written.
    @discardableResult
    public static func ensure(
        in directory: URL, users: [String] = demoUsers, force: Bool = false, now: Date = Date()
    ) throws -> DevPKIFiles {
        var files = DevPKIFiles(directory: directory)
        let ca = try loadOrCreateCA(files: &files, force: force, now: now)
        try ensureLeaf(
            .server, certificate: files.serverCertificate, privateKey: files.serverPrivateKey,
            ca: ca, files: &files, force: force, now: now)
        for user in users {
            try ensureLeaf(
                .client(user: user), certificate: files.clientCertificate(for: user),
                privateKey: files.clientPrivateKey(for: user), ca: ca, files: &files, force: force, now: now)
        }
        return files
    }

    /// Issues a client certificate for one user (SAN URI `urn:essor:user:<user>`), reusing the folder's CA
    /// (created when the folder has none).
    ///
    /// - Throws: ``DevPKIError/invalidUserName(_:)`` for a name that is not `[A-Za-z0-9][A-Za-z0-9._-]*` (at most
    ///   64 characters), ``DevPKIError/fileExists(_:)`` when the user already has a certificate and `force` is not
    ///   set.
    @discardableResult
    public static func issueClientCertificate(
        for user: String, in directory: URL, force: Bool = false, now: Date = Date()
    ) throws -> DevPKIFiles {
        try LeafProfile.validate(userName: user)
        var files = DevPKIFiles(directory: directory)
        let ca = try loadOrCreateCA(files: &files, force: false, now: now)
        let certificate = files.clientCertificate(for: user)
        let privateKey = files.clientPrivateKey(for: user)
        if !force {
            for url in [certificate, privateKey] where FileManager.default.fileExists(atPath: url.path) {
                throw DevPKIError.fileExists(url)
            }
        }
        try issue(.client(user: user), certificate: certificate, privateKey: privateKey, ca: ca, now: now)
        files.written += [certificate, privateKey]
        return files
    }

    /// The SAN URI that identifies `user` in a client certificate (DESIGN.md §4): `urn:essor:user:<user>`.
    public static func userURI(_ user: String) -> String { "urn:essor:user:\(user)" }
}
