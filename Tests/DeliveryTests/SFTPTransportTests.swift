import Foundation
import GatewayCore
import Testing

@testable import Delivery

/// A real OpenSSH `sshd` on loopback with its own configuration, host key and authorized keys (NOTES-stack:
/// "OpenSSH sshd as a test SFTP server"). As root it logs in root (no chroot needed); otherwise the current user.
final class LoopbackSSHD {
    let folder: String
    let port: Int
    let user: String
    let hostKeySHA256: String
    let clientKey: SSHKeyPair
    private let process: Process

    init?() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd"), let sshKeygen = Tools.find("ssh-keygen")
        else { return nil }
        folder = try Tools.temporaryFolder("essor-sshd")
        user = String(cString: getpwuid(geteuid())!.pointee.pw_name)
        if geteuid() == 0 { mkdir("/run/sshd", 0o755) }
        _ = try Tools.run(sshKeygen, ["-q", "-t", "ed25519", "-N", "", "-f", "\(folder)/host_ed25519"])
        let hostPublic = try String(contentsOfFile: "\(folder)/host_ed25519.pub", encoding: .utf8)
        hostKeySHA256 = SSHKeyGenerator.fingerprintSHA256(publicKeyLine: hostPublic)!
        clientKey = SSHKeyGenerator.generate(comment: "sub_00000000000000ff")
        try FileManager.default.createDirectory(atPath: "\(folder)/authorized", withIntermediateDirectories: true)
        try (clientKey.publicKeyAuthorized + "\n").write(
            toFile: "\(folder)/authorized/\(user)", atomically: true, encoding: .utf8)
        port = try LoopbackSSHD.freePort()
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(folder)/host_ed25519
            PidFile \(folder)/sshd.pid
            AuthorizedKeysFile \(folder)/authorized/%u
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            UsePAM no
            StrictModes no
            MaxStartups 100
            Subsystem sftp internal-sftp

            """
        try config.write(toFile: "\(folder)/sshd_config", atomically: true, encoding: .utf8)
        let check = try Tools.run("/usr/sbin/sshd", ["-t", "-f", "\(folder)/sshd_config"])
        guard check.status == 0 else { throw SSHDError(message: "sshd -t: \(check.error)") }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/sshd")
        process.arguments = ["-D", "-e", "-f", "\(folder)/sshd_config", "-E", "\(folder)/sshd.log"]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var tries = 0
        while !LoopbackSSHD.accepts(port) && tries < 100 {
            usleep(50_000)
            tries += 1
        }
        guard tries < 100 else { throw SSHDError(message: "sshd did not listen: \(log)") }
    }

    var log: String { (try? String(contentsOfFile: "\(folder)/sshd.log", encoding: .utf8)) ?? "" }

    func stop() {
        process.terminate()
        Tools.reap(process.processIdentifier)
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func freePort() throws -> Int {
        let probe = try Tools.run(
            "/usr/bin/python3",
            ["-c", "import socket;s=socket.socket();s.bind(('127.0.0.1',0));print(s.getsockname()[1])"])
        guard let port = Int(probe.output.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw SSHDError(message: "no free port: \(probe.error)")
        }
        return port
    }

    static func accepts(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

struct SSHDError: Error {
    var message: String
}

@Suite(.serialized) struct SFTPTransportTests {
    static let loopback = try! AddressGuard(allowing: ["127.0.0.0/8"])

    func withSSHD(_ body: (LoopbackSSHD, String) async throws -> Void) async throws {
        guard let sshd = try LoopbackSSHD() else {
            print("skipped: /usr/sbin/sshd is not installed (.ci/setup installs openssh-server)")
            return
        }
        defer { sshd.stop() }
        let target = try Tools.temporaryFolder("essor-sftp-target")
        defer { try? FileManager.default.removeItem(atPath: target) }
        try await body(sshd, target)
    }

    @Test func uploadLandsUnderTheFinalNameAndReusesTheHandle() async throws {
        try await withSSHD { sshd, target in
            let transport = SFTPTransport(addressGuard: Self.loopback)
            defer { transport.shutdown() }
            let destination = SFTPDestination(
                url: "sftp://127.0.0.1:\(sshd.port)\(target)/incoming/oem", username: sshd.user,
                hostKeySHA256: "SHA256:" + sshd.hostKeySHA256, key: sshd.clientKey)
            let bytes = Array("CCSDS_OEM_VERS = 3.0\n".utf8)
            for index in 0..<3 {
                let outcome = await transport.upload(
                    destination: destination, fileName: "oem_4242\(index)_20260101T000000Z.kvn", bytes: bytes)
                #expect(outcome.delivered, "\(outcome) \(sshd.log)")
                #expect(outcome.curlCode == 0)
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: "\(target)/incoming/oem").sorted()
            #expect(names == (0..<3).map { "oem_4242\($0)_20260101T000000Z.kvn" })
            #expect(FileManager.default.contents(atPath: "\(target)/incoming/oem/\(names[0])") == Data(bytes))
            #expect(transport.idleHandleCount == 1)
            // One SSH session for the burst: sshd logs one accepted key login.
            #expect(sshd.log.components(separatedBy: "Accepted publickey").count - 1 == 1, "\(sshd.log)")
        }
    }

    @Test func aResentMessageAlreadyInPlaceIsDelivered() async throws {
        try await withSSHD { sshd, target in
            let transport = SFTPTransport(addressGuard: Self.loopback)
            defer { transport.shutdown() }
            let destination = SFTPDestination(
                url: "sftp://127.0.0.1:\(sshd.port)\(target)/in", username: sshd.user,
                hostKeySHA256: sshd.hostKeySHA256, key: sshd.clientKey)
            let name = "cdm_7_20260101T000000Z.kvn"
            let bytes = Array("CCSDS_CDM_VERS = 1.0\n".utf8)
            // A crash between sending and recording: the same message is sent again under the same name.
            for _ in 0..<2 {
                let outcome = await transport.upload(destination: destination, fileName: name, bytes: bytes)
                #expect(outcome.delivered, "\(outcome) \(sshd.log)")
            }
            let afterResend = try FileManager.default.contentsOfDirectory(atPath: "\(target)/in")
            #expect(afterResend == [name])
            // A different file under a taken name is not mistaken for a resend.
            let other = await transport.upload(destination: destination, fileName: name, bytes: bytes + bytes)
            #expect(!other.delivered)
            let afterOther = try FileManager.default.contentsOfDirectory(atPath: "\(target)/in")
            #expect(afterOther == [name])
            #expect(FileManager.default.contents(atPath: "\(target)/in/\(name)") == Data(bytes))
        }
    }

    @Test func aWrongHostKeyFailsAndLeavesNothing() async throws {
        try await withSSHD { sshd, target in
            let transport = SFTPTransport(addressGuard: Self.loopback)
            defer { transport.shutdown() }
            let wrong = SSHKeyGenerator.fingerprintSHA256(
                publicKeyLine: SSHKeyGenerator.generate(comment: "other").publicKeyAuthorized)!
            let destination = SFTPDestination(
                url: "sftp://127.0.0.1:\(sshd.port)\(target)", username: sshd.user, hostKeySHA256: wrong,
                key: sshd.clientKey)
            let outcome = await transport.upload(destination: destination, fileName: "a.json", bytes: [1, 2, 3])
            #expect(outcome.errorClass == "host-key", "\(outcome)")
            #expect(outcome.curlCode == 60)
            let left = try FileManager.default.contentsOfDirectory(atPath: target)
            #expect(left.isEmpty)

            var unpinned = destination
            unpinned.hostKeySHA256 = ""
            let refused = await transport.upload(destination: unpinned, fileName: "a.json", bytes: [1])
            #expect(refused.errorClass == "host-key" && refused.curlCode == nil)
        }
    }

    @Test func aKeyTheServerDoesNotKnowFailsAsAuth() async throws {
        try await withSSHD { sshd, target in
            let transport = SFTPTransport(addressGuard: Self.loopback)
            defer { transport.shutdown() }
            let destination = SFTPDestination(
                url: "sftp://127.0.0.1:\(sshd.port)\(target)", username: sshd.user, hostKeySHA256: sshd.hostKeySHA256,
                key: SSHKeyGenerator.generate(comment: "stranger"))
            let outcome = await transport.upload(destination: destination, fileName: "a.json", bytes: [1])
            #expect(outcome.errorClass == "auth", "\(outcome)")
            #expect(outcome.curlCode == 67)
        }
    }

    @Test func theGuardRefusesLoopbackUnlessAllowed() async {
        let transport = SFTPTransport()
        defer { transport.shutdown() }
        let destination = SFTPDestination(
            url: "sftp://127.0.0.1:22/tmp", username: "x", hostKeySHA256: "AAAA",
            key: SSHKeyGenerator.generate(comment: "x"))
        let outcome = await transport.upload(destination: destination, fileName: "a.json", bytes: [1])
        #expect(outcome.errorClass == "address-refused")
        let badName = await transport.upload(destination: destination, fileName: "../a.json", bytes: [1])
        #expect(badName.errorClass == "bad-url")
    }
}
