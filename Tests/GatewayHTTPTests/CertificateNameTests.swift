import Crypto
import Foundation
import GatewayCore
import GatewayHTTP
import Testing
import X509

/// How a client certificate names its user (DESIGN §4): one SAN URI `urn:essor:user:<name>`, else the full subject DN.
@Suite struct CertificateNameTests {
    /// A self-signed certificate for `CN=alice,O=Operator A,C=GB` with the given SAN URIs, in DER.
    static func certificate(uris: [String] = []) throws -> [UInt8] {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            CountryName("GB")
            OrganizationName("Operator A")
            CommonName("alice")
        }
        let now = Date()
        let extensions = try Certificate.Extensions {
            if !uris.isEmpty { SubjectAlternativeNames(uris.map { .uniformResourceIdentifier($0) }) }
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: now,
            notValidAfter: now + 3600, issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: .init(key))
        return try certificate.serializeAsPEM().derBytes
    }

    @Test func certificateWithoutUserURIIsNamedByItsCanonicalSubject() throws {
        let der = try Self.certificate(uris: ["https://example.com/alice"])
        #expect(Authenticator.userName(certificateDER: der) == nil)
        #expect(Authenticator.certificateName(certificateDER: der) == .subject("CN=alice,O=Operator A,C=GB"))
        // What an administrator types for that certificate reaches the same canonical form.
        #expect(try CertificateSubject.canonical("cn = alice, O=Operator A ,c=GB") == "CN=alice,O=Operator A,C=GB")
    }

    @Test func userURIWinsOverTheSubject() throws {
        let der = try Self.certificate(uris: ["urn:essor:user:operator-a"])
        #expect(Authenticator.userName(certificateDER: der) == "operator-a")
        #expect(Authenticator.certificateName(certificateDER: der) == .user("operator-a"))
        let ambiguous = try Self.certificate(uris: ["urn:essor:user:operator-a", "urn:essor:user:admin"])
        #expect(Authenticator.certificateName(certificateDER: ambiguous) == nil)
    }

    @Test func subjectFindsTheUserRegisteredWithIt() async throws {
        try await GatewayHarness.run { harness, _ in
            var user = try await harness.store.user(named: "operator-a")
            user.certificateSubject = "cn=alice, o=Operator A, c=GB"
            try await harness.store.updateUser(user)
            guard case .subject(let subject) = Authenticator.certificateName(certificateDER: try Self.certificate())
            else { throw CertificateSubjectError("no subject") }
            #expect(try await harness.store.user(certificateSubject: subject).name == "operator-a")
        }
    }
}
