import Foundation
import Testing

@testable import Delivery

@Suite struct SSHKeyGeneratorTests {
    @Test func writesTheOpenSSHFormat() throws {
        let pair = SSHKeyGenerator.generate(comment: "sub_0123456789abcdef")
        let lines = pair.privateKeyOpenSSH.split(separator: "\n")
        #expect(lines.first == "-----BEGIN OPENSSH PRIVATE KEY-----")
        #expect(lines.last == "-----END OPENSSH PRIVATE KEY-----")
        #expect(lines.dropFirst().dropLast().dropLast().allSatisfy { $0.count == 70 })
        #expect(pair.publicKeyAuthorized.hasPrefix("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"))
        #expect(pair.publicKeyAuthorized.hasSuffix(" essor-sub_0123456789abcdef"))
        #expect(SSHKeyGenerator.generate(comment: "x") != SSHKeyGenerator.generate(comment: "x"))
    }

    @Test func sshKeygenDerivesTheSamePublicKey() throws {
        guard let sshKeygen = Tools.find("ssh-keygen") else {
            print("skipped: ssh-keygen is not installed (.ci/setup installs openssh-client)")
            return
        }
        let folder = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pair = SSHKeyGenerator.generate(comment: "sub_00000000000000aa")
        let keyFile = "\(folder)/id_ed25519"
        FileManager.default.createFile(
            atPath: keyFile, contents: Data(pair.privateKeyOpenSSH.utf8), attributes: [.posixPermissions: 0o600])
        let derived = try Tools.run(sshKeygen, ["-y", "-f", keyFile])
        #expect(derived.status == 0, "\(derived.error)")
        #expect(derived.output.trimmingCharacters(in: .whitespacesAndNewlines) == pair.publicKeyAuthorized)

        let publicFile = "\(folder)/id_ed25519.pub"
        FileManager.default.createFile(atPath: publicFile, contents: Data(pair.publicKeyAuthorized.utf8))
        let listed = try Tools.run(sshKeygen, ["-l", "-E", "sha256", "-f", publicFile])
        let fingerprint = try #require(SSHKeyGenerator.fingerprintSHA256(publicKeyLine: pair.publicKeyAuthorized))
        #expect(listed.output.contains("SHA256:\(fingerprint) "))
    }
}
