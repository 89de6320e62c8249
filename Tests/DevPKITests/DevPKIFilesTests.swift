import DevPKI
import Foundation
import Testing
import X509

/// Files, modes, reuse and the refusal to overwrite.
@Suite struct DevPKIFilesTests {
    @Test func writesEveryFileWithPrivateKeysReadableByTheOwnerOnly() async throws {
        try await withTemporaryDirectory { folder in
            let files = try DevPKI.ensure(in: folder.appendingPathComponent("certs"))
            let keys = [files.caPrivateKey, files.serverPrivateKey] + DevPKI.demoUsers.map(files.clientPrivateKey)
            let certificates =
                [files.caCertificate, files.serverCertificate] + DevPKI.demoUsers.map(files.clientCertificate)
            #expect(Set(files.written) == Set(keys + certificates))
            for key in keys {
                #expect(try permissions(key) == 0o600, "\(key.lastPathComponent)")
                #expect(try String(contentsOf: key, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))
            }
            for certificate in certificates {
                #expect(try permissions(certificate) == 0o644, "\(certificate.lastPathComponent)")
            }
            #expect(files.clientCertificate(for: "admin").path.hasSuffix("certs/clients/admin.pem"))
            #expect(files.clientPrivateKey(for: "admin").path.hasSuffix("certs/clients/admin-key.pem"))
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: files.directory.path)
                .filter { $0.hasPrefix(".") }
            #expect(leftovers.isEmpty)
        }
    }

    @Test func aSecondRunKeepsEverything() async throws {
        try await withTemporaryDirectory { folder in
            let first = try DevPKI.ensure(in: folder)
            let before = try snapshot(first)
            let second = try DevPKI.ensure(in: folder)
            #expect(second.written.isEmpty)
            #expect(try snapshot(second) == before)
        }
    }

    @Test func forceReissuesTheLeavesAndKeepsTheCA() async throws {
        try await withTemporaryDirectory { folder in
            let first = try DevPKI.ensure(in: folder)
            let before = try snapshot(first)
            let again = try DevPKI.ensure(in: folder, force: true)
            let after = try snapshot(again)
            #expect(after[first.caCertificate] == before[first.caCertificate])
            #expect(after[first.caPrivateKey] == before[first.caPrivateKey])
            #expect(after[first.serverCertificate] != before[first.serverCertificate])
            #expect(after[first.serverPrivateKey] != before[first.serverPrivateKey])
            #expect(!again.written.contains(first.caCertificate))
            #expect(try permissions(first.serverPrivateKey) == 0o600)
        }
    }

    @Test func missingPiecesAreAddedWithTheExistingCA() async throws {
        try await withTemporaryDirectory { folder in
            let first = try DevPKI.ensure(in: folder)
            let ca = try Data(contentsOf: first.caCertificate)
            try FileManager.default.removeItem(at: first.clientsDirectory)
            try FileManager.default.removeItem(at: first.serverCertificate)
            try FileManager.default.removeItem(at: first.serverPrivateKey)
            let second = try DevPKI.ensure(in: folder)
            #expect(!second.written.contains(first.caCertificate))
            #expect(second.written.contains(first.serverCertificate))
            #expect(try Data(contentsOf: first.caCertificate) == ca)
        }
    }

    @Test func aHalfPairIsNotOverwrittenWithoutForce() async throws {
        try await withTemporaryDirectory { folder in
            let files = try DevPKI.ensure(in: folder)
            try FileManager.default.removeItem(at: files.serverPrivateKey)
            #expect(
                throws: DevPKIError.incompletePair(present: files.serverCertificate, missing: files.serverPrivateKey)
            ) {
                try DevPKI.ensure(in: folder)
            }
            try DevPKI.ensure(in: folder, force: true)
            #expect(FileManager.default.fileExists(atPath: files.serverPrivateKey.path))
        }
    }

    @Test func aLeafFromAnotherCAIsRefused() async throws {
        try await withTemporaryDirectory { folder in
            let files = try DevPKI.ensure(in: folder)
            try FileManager.default.removeItem(at: files.caCertificate)
            try FileManager.default.removeItem(at: files.caPrivateKey)
            #expect(throws: DevPKIError.notIssuedByCA(files.serverCertificate)) { try DevPKI.ensure(in: folder) }
        }
    }

    @Test func aKeyThatDoesNotMatchItsCertificateIsRefused() async throws {
        try await withTemporaryDirectory { folder in
            let files = try DevPKI.ensure(in: folder)
            try FileManager.default.removeItem(at: files.serverPrivateKey)
            try FileManager.default.copyItem(at: files.caPrivateKey, to: files.serverPrivateKey)
            #expect(
                throws: DevPKIError.keyMismatch(
                    certificate: files.serverCertificate, privateKey: files.serverPrivateKey)
            ) {
                try DevPKI.ensure(in: folder)
            }
        }
    }

    @Test func anExpiredLeafIsRefusedWithoutForce() async throws {
        try await withTemporaryDirectory { folder in
            let longAgo = Date().addingTimeInterval(-400 * 86_400)
            let files = try DevPKI.ensure(in: folder, users: [], now: longAgo)
            #expect(throws: DevPKIError.self) { try DevPKI.ensure(in: folder, users: []) }
            let renewed = try DevPKI.ensure(in: folder, users: [], force: true)
            #expect(renewed.written.contains(files.caCertificate))
            #expect(try load(files.serverCertificate).notValidAfter > Date())
        }
    }

    @Test func oneClientCertificateCanBeAdded() async throws {
        try await withTemporaryDirectory { folder in
            let files = try DevPKI.ensure(in: folder)
            let ca = try Data(contentsOf: files.caCertificate)
            let added = try DevPKI.issueClientCertificate(for: "partner-3", in: folder)
            #expect(
                added.written == [files.clientCertificate(for: "partner-3"), files.clientPrivateKey(for: "partner-3")])
            #expect(try permissions(files.clientPrivateKey(for: "partner-3")) == 0o600)
            #expect(try Data(contentsOf: files.caCertificate) == ca)
            let names = try #require(
                try load(files.clientCertificate(for: "partner-3")).extensions.subjectAlternativeNames)
            #expect(Array(names) == [.uniformResourceIdentifier("urn:essor:user:partner-3")])
            #expect(throws: DevPKIError.fileExists(files.clientCertificate(for: "partner-3"))) {
                try DevPKI.issueClientCertificate(for: "partner-3", in: folder)
            }
            try DevPKI.issueClientCertificate(for: "partner-3", in: folder, force: true)
        }
    }

    @Test(arguments: ["", "../admin", "a/b", "-rf", "café", "x y", String(repeating: "a", count: 65)])
    func unsafeUserNamesAreRejected(name: String) async throws {
        try await withTemporaryDirectory { folder in
            #expect(throws: DevPKIError.invalidUserName(name)) {
                try DevPKI.issueClientCertificate(for: name, in: folder)
            }
        }
    }

    private func snapshot(_ files: DevPKIFiles) throws -> [URL: Data] {
        var result: [URL: Data] = [:]
        for url in [files.caCertificate, files.caPrivateKey, files.serverCertificate, files.serverPrivateKey]
            + DevPKI.demoUsers.flatMap({ [files.clientCertificate(for: $0), files.clientPrivateKey(for: $0)] })
        {
            result[url] = try Data(contentsOf: url)
        }
        return result
    }
}
