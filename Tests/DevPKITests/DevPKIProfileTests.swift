import Crypto
import DevPKI
import Foundation
import SwiftASN1
import Testing
import X509

/// The certificates carry what strict validators require (NOTES-stack.md "A dev PKI that strict validators accept").
@Suite struct DevPKIProfileTests {
    @Test func caIsACriticallyConstrainedCertificateAuthority() async throws {
        try await withTemporaryDirectory { folder in
            let files = try DevPKI.ensure(in: folder)
            let ca = try load(files.caCertificate)
            #expect(ca.issuer == ca.subject)
            #expect(try extensionIsCritical(ca, .X509ExtensionID.basicConstraints))
            #expect(try ca.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
            #expect(try extensionIsCritical(ca, .X509ExtensionID.keyUsage))
            #expect(try ca.extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
            #expect(try ca.extensions.subjectKeyIdentifier != nil)
            try expectValidityAndSerial(ca)
        }
    }

    @Test func serverCertificateNamesLocalhostAndIsForServerAuthenticationOnly() async throws {
        try await withTemporaryDirectory { folder in
            let files = try DevPKI.ensure(in: folder)
            let server = try load(files.serverCertificate)
            let names = try #require(try server.extensions.subjectAlternativeNames)
            #expect(names.contains(.dnsName("localhost")))
            #expect(names.contains(.ipAddress(ASN1OctetStringBytes.ipv4Loopback)))
            #expect(names.contains(.ipAddress(ASN1OctetStringBytes.ipv6Loopback)))
            #expect(try server.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth]))
            try expectEndEntityConstraints(server)
            try expectValidityAndSerial(server)
        }
    }

    @Test(arguments: DevPKI.demoUsers)
    func clientCertificateCarriesTheUserURI(user: String) async throws {
        try await withTemporaryDirectory { folder in
            let files = try DevPKI.ensure(in: folder)
            let client = try load(files.clientCertificate(for: user))
            let names = try #require(try client.extensions.subjectAlternativeNames)
            #expect(Array(names) == [.uniformResourceIdentifier("urn:essor:user:\(user)")])
            #expect(try client.extensions.extendedKeyUsage == ExtendedKeyUsage([.clientAuth]))
            #expect(client.subject.description.contains("CN=\(user)"))
            try expectEndEntityConstraints(client)
            try expectValidityAndSerial(client)
        }
    }

    @Test func demoUsersAreThoseOfTheDesign() {
        #expect(
            DevPKI.demoUsers == ["operator-a", "operator-b", "partner-1", "partner-2", "requester", "admin", "backend"])
    }

    @Test func validityIsAtMost366Days() {
        #expect(DevPKI.validityDays <= 366)
    }
}

/// Raw SAN IP address values (RFC 5280 §4.2.1.6: four or sixteen octets, network byte order).
enum ASN1OctetStringBytes {
    static let ipv4Loopback = ASN1OctetString(contentBytes: [127, 0, 0, 1])
    static let ipv6Loopback = ASN1OctetString(contentBytes: ArraySlice(Array(repeating: 0, count: 15) + [1]))
}

func load(_ url: URL) throws -> Certificate {
    try Certificate(pemEncoded: String(contentsOf: url, encoding: .utf8))
}

func extensionIsCritical(_ certificate: Certificate, _ oid: ASN1ObjectIdentifier) throws -> Bool {
    try #require(certificate.extensions[oid: oid]).critical
}

/// CA:FALSE and keyUsage digitalSignature, both critical; key identifiers present.
func expectEndEntityConstraints(_ certificate: Certificate) throws {
    #expect(try extensionIsCritical(certificate, .X509ExtensionID.basicConstraints))
    #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
    #expect(try extensionIsCritical(certificate, .X509ExtensionID.keyUsage))
    #expect(try certificate.extensions.keyUsage == KeyUsage(digitalSignature: true))
    #expect(try !extensionIsCritical(certificate, .X509ExtensionID.subjectAlternativeName))
    #expect(try certificate.extensions.subjectKeyIdentifier != nil)
    #expect(try certificate.extensions.authorityKeyIdentifier != nil)
}

/// Exactly DevPKI.validityDays (≤ 366) days, started before now; a positive serial of at most 20 bytes.
func expectValidityAndSerial(_ certificate: Certificate) throws {
    let days = certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore) / 86_400
    #expect(days <= 366)
    #expect(days == Double(DevPKI.validityDays))
    #expect(certificate.notValidBefore <= Date())
    let serial = Array(certificate.serialNumber.bytes)
    #expect(!serial.isEmpty && serial.count <= 20)
    #expect(serial[0] & 0x80 == 0, "negative serial")
    #expect(serial.contains { $0 != 0 }, "zero serial")
}
