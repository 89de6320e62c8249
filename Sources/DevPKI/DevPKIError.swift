import Foundation

/// Why the dev PKI could not be created or reused. Each description says what to do.
public enum DevPKIError: Error, Equatable, CustomStringConvertible {
    /// The file exists and `force` was not given.
    case fileExists(URL)
    /// One file of a certificate/key pair exists without the other.
    case incompletePair(present: URL, missing: URL)
    /// The file is not a PEM certificate or P-256 private key we can read.
    case unreadable(URL, reason: String)
    /// The private key does not belong to the certificate next to it.
    case keyMismatch(certificate: URL, privateKey: URL)
    /// The certificate was not signed by the folder's CA.
    case notIssuedByCA(URL)
    /// The certificate is outside its validity period.
    case expired(URL, notValidAfter: Date)
    /// A user name that cannot be a file name or a URN: `[A-Za-z0-9][A-Za-z0-9._-]*`, at most 64 characters.
    case invalidUserName(String)
    /// Writing a file failed (errno text).
    case writeFailed(URL, reason: String)

    public var description: String {
        switch self {
        case .fileExists(let url):
            return "\(url.path) exists; pass --force to re-issue it"
        case .incompletePair(let present, let missing):
            return "\(present.path) exists but \(missing.path) does not; pass --force to re-issue the pair"
        case .unreadable(let url, let reason):
            return "\(url.path): cannot read it (\(reason)); pass --force to replace it"
        case .keyMismatch(let certificate, let privateKey):
            return "\(privateKey.path) is not the key of \(certificate.path); pass --force to re-issue them"
        case .notIssuedByCA(let url):
            return "\(url.path) was not issued by the CA in the same folder; pass --force to re-issue it"
        case .expired(let url, let notValidAfter):
            return "\(url.path) expired on \(notValidAfter.ISO8601Format()); pass --force to re-issue it"
        case .invalidUserName(let name):
            return "'\(name)' is not a valid user name: use letters, digits, '.', '_' and '-' (at most 64)"
        case .writeFailed(let url, let reason):
            return "\(url.path): cannot write it (\(reason))"
        }
    }
}
