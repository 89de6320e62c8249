import DevPKI
import Foundation
import Testing
import X509

/// swift-certificates' RFC 5280 verifier accepts the chains (the gateway verifies client certificates this way).
@Suite struct DevPKIChainTests {
    @Test func serverCertificateVerifiesForLocalhostAndLoopback() async throws {
        try await withTemporaryDirectory { folder in
            let files = try DevPKI.ensure(in: folder)
            let ca = try load(files.caCertificate)
            let server = try load(files.serverCertificate)
            for (hostname, ip) in [("localhost", nil), (nil, "127.0.0.1"), (nil, "::1")] as [(String?, String?)] {
                var verifier = Verifier(rootCertificates: CertificateStore([ca])) {
                    RFC5280Policy()
                    ServerIdentityPolicy(serverHostname: hostname, serverIP: ip)
                }
                let result = await verifier.validate(leaf: server, intermediates: CertificateStore())
                guard case .validCertificate(let chain) = result else {
                    Issue.record("server certificate rejected for \(hostname ?? ip ?? ""): \(result)")
                    continue
                }
                #expect(Array(chain) == [server, ca])
            }
        }
    }

    @Test func serverCertificateDoesNotVerifyForAnotherHost() async throws {
        try await withTemporaryDirectory { folder in
            let files = try DevPKI.ensure(in: folder)
            var verifier = Verifier(rootCertificates: CertificateStore([try load(files.caCertificate)])) {
                RFC5280Policy()
                ServerIdentityPolicy(serverHostname: "example.com", serverIP: nil)
            }
            let result = await verifier.validate(
                leaf: try load(files.serverCertificate), intermediates: CertificateStore())
            guard case .couldNotValidate = result else {
                Issue.record("accepted for example.com")
                return
            }
        }
    }

    @Test(arguments: DevPKI.demoUsers)
    func clientCertificateVerifies(user: String) async throws {
        try await withTemporaryDirectory { folder in
            let files = try DevPKI.ensure(in: folder)
            var verifier = Verifier(rootCertificates: CertificateStore([try load(files.caCertificate)])) {
                RFC5280Policy()
            }
            let leaf = try load(files.clientCertificate(for: user))
            let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore())
            guard case .validCertificate = result else {
                Issue.record("\(user): \(result)")
                return
            }
        }
    }

    @Test func aCertificateFromAnotherDevCADoesNotVerify() async throws {
        try await withTemporaryDirectory { folder in
            let mine = try DevPKI.ensure(in: folder.appendingPathComponent("a"))
            let theirs = try DevPKI.ensure(in: folder.appendingPathComponent("b"))
            var verifier = Verifier(rootCertificates: CertificateStore([try load(mine.caCertificate)])) {
                RFC5280Policy()
            }
            let result = await verifier.validate(
                leaf: try load(theirs.clientCertificate(for: "admin")), intermediates: CertificateStore())
            guard case .couldNotValidate = result else {
                Issue.record("a foreign client certificate verified")
                return
            }
        }
    }
}
