import Crypto
import Foundation
import SwiftASN1
import X509

/// What a leaf certificate of the dev PKI is for, and the name and extensions that follow from it.
enum LeafProfile: Equatable {
    /// The gateway's TLS server certificate: DNS `localhost`, IP `127.0.0.1` and `::1`.
    case server
    /// A user's client certificate: SAN URI `urn:essor:user:<user>` (DESIGN.md §4).
    case client(user: String)

    /// The organisation in every subject of the dev PKI.
    static let organisation = "Essor (development)"

    /// The subject: `CN=localhost` or `CN=<user>`, `O=Essor (development)`.
    func subject() throws -> DistinguishedName {
        let commonName: String
        switch self {
        case .server: commonName = "localhost"
        case .client(let user): commonName = user
        }
        return try DistinguishedName {
            OrganizationName(Self.organisation)
            CommonName(commonName)
        }
    }

    /// The subject alternative names: the only identity clients and the gateway look at.
    var subjectAlternativeNames: SubjectAlternativeNames {
        switch self {
        case .server:
            return SubjectAlternativeNames([
                .dnsName("localhost"),
                .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
            ])
        case .client(let user):
            return SubjectAlternativeNames([.uniformResourceIdentifier(DevPKI.userURI(user))])
        }
    }

    /// The extensions strict validators require of an end-entity certificate (NOTES-stack.md "A dev PKI that
    /// strict validators accept"; RFC 5280 §4.2; CA/Browser Forum BR §7.1.2.7): CA:FALSE and keyUsage
    /// digitalSignature (ECDSA keys sign, they do not encipher), both critical; one extended key usage; the SANs;
    /// key identifiers that tie the certificate to its key and its issuer.
    func extensions(subjectKey: P256.Signing.PublicKey, issuerKey: P256.Signing.PublicKey) throws
        -> Certificate.Extensions
    {
        let usage: ExtendedKeyUsage.Usage = self == .server ? .serverAuth : .clientAuth
        return try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([usage])
            subjectAlternativeNames
            SubjectKeyIdentifier(keyIdentifier: KeyIdentifier.of(subjectKey))
            AuthorityKeyIdentifier(keyIdentifier: KeyIdentifier.of(issuerKey))
        }
    }

    /// Accepts user names that are safe both as a file name and inside a URN: `[A-Za-z0-9][A-Za-z0-9._-]*`, at
    /// most 64 characters.
    static func validate(userName: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard let first = userName.first, first.isASCII, first.isLetter || first.isNumber,
            userName.count <= 64, userName.allSatisfy(allowed.contains)
        else { throw DevPKIError.invalidUserName(userName) }
    }
}

/// Key identifiers (RFC 5280 §4.2.1.2, method 1): the SHA-1 of the subjectPublicKey bit string.
enum KeyIdentifier {
    static func of(_ key: P256.Signing.PublicKey) -> ArraySlice<UInt8> {
        ArraySlice(Insecure.SHA1.hash(data: key.x963Representation))
    }
}
