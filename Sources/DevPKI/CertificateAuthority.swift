import Crypto
import Foundation
import X509

/// The dev CA: its certificate and P-256 key, loaded from the PKI folder or newly made.
struct CertificateAuthority {
    var certificate: Certificate
    var privateKey: P256.Signing.PrivateKey

    /// A new self-signed CA valid for ``DevPKI/validityDays`` days from five minutes before `now` (clock skew).
    ///
    /// basicConstraints CA:TRUE with pathLen 0 and keyUsage keyCertSign+cRLSign, both critical: without keyUsage
    /// Python `cryptography` refuses the chain ("missing required extension 2.5.29.15").
    static func make(now: Date) throws -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName(LeafProfile.organisation)
            // The date tells two dev CAs apart in a trust store.
            CommonName("Essor development CA \(now.ISO8601Format(.iso8601.year().month().day()))")
        }
        let validity = Validity(startingAround: now)
        let certificate = try Certificate(
            version: .v3, serialNumber: .positiveRandom(), publicKey: .init(key.publicKey),
            notValidBefore: validity.notBefore, notValidAfter: validity.notAfter,
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(keyIdentifier: KeyIdentifier.of(key.publicKey))
            },
            issuerPrivateKey: .init(key))
        return CertificateAuthority(certificate: certificate, privateKey: key)
    }

    /// Issues a leaf certificate for a new key; it never outlives the CA.
    func issue(_ profile: LeafProfile, now: Date) throws -> (Certificate, P256.Signing.PrivateKey) {
        let key = P256.Signing.PrivateKey()
        let validity = Validity(startingAround: now)
        let certificate = try Certificate(
            version: .v3, serialNumber: .positiveRandom(), publicKey: .init(key.publicKey),
            notValidBefore: validity.notBefore,
            notValidAfter: min(validity.notAfter, certificate.notValidAfter),
            issuer: certificate.subject, subject: try profile.subject(), signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try profile.extensions(subjectKey: key.publicKey, issuerKey: privateKey.publicKey),
            issuerPrivateKey: .init(privateKey))
        return (certificate, key)
    }

    /// True when `certificate` carries a valid signature by this CA.
    func signed(_ leaf: Certificate) -> Bool {
        leaf.issuer == certificate.subject
            && certificate.publicKey.isValidSignature(leaf.signature, for: leaf)
    }
}

/// A validity period of exactly ``DevPKI/validityDays`` days that starts five minutes before the issuing time.
struct Validity {
    var notBefore: Date
    var notAfter: Date

    init(startingAround now: Date) {
        // Whole seconds: X.509 times have no fractions, and the span stays exactly validityDays days.
        let start = (now.timeIntervalSince1970 - 300).rounded(.down)
        notBefore = Date(timeIntervalSince1970: start)
        notAfter = Date(timeIntervalSince1970: start + Double(DevPKI.validityDays) * 86_400)
    }
}

extension Certificate.SerialNumber {
    /// 20 random bytes with the top bit clear: a positive DER INTEGER (RFC 5280 §4.1.2.2) with ≥ 64 bits of
    /// randomness (CA/Browser Forum BR §7.1).
    static func positiveRandom() -> Certificate.SerialNumber {
        var bytes = (0..<20).map { _ in UInt8.random(in: .min ... .max) }
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }
}
