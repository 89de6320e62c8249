import Foundation
import Testing

@testable import Delivery

@Suite struct DropFolderTests {
    @Test func writesOneFileAtomicallyWithReadableModes() async throws {
        let root = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let drops = DropFolder(root: root + "/drops")
        let path = try await drops.write(
            user: "alice", subscriptionID: "sub_00000000000000ab", fileName: "oem_42_20260101T000000Z.kvn",
            bytes: Array("CCSDS_OEM_VERS = 3.0\n".utf8))
        #expect(path == root + "/drops/alice/sub_00000000000000ab/oem_42_20260101T000000Z.kvn")
        #expect(FileManager.default.contents(atPath: path) == Data("CCSDS_OEM_VERS = 3.0\n".utf8))
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/drops/alice/sub_00000000000000ab")
        #expect(names == ["oem_42_20260101T000000Z.kvn"], "no temporary file is left")
        let file = try FileManager.default.attributesOfItem(atPath: path)
        #expect((file[.posixPermissions] as? Int) == 0o644)
        let folder = try FileManager.default.attributesOfItem(atPath: root + "/drops/alice")
        #expect((folder[.posixPermissions] as? Int) == 0o755)
    }

    @Test func readersSeeOnlyWholeFiles() async throws {
        let root = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let drops = DropFolder(root: root)
        let folder = try drops.folder(user: "bob", subscriptionID: "sub_1")
        let big = [UInt8](repeating: 0x41, count: 4 << 20)
        let writer = Task {
            for index in 0..<8 {
                try await drops.write(user: "bob", subscriptionID: "sub_1", fileName: "f\(index).bin", bytes: big)
            }
        }
        var checks = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
                !$0.hasPrefix(".")
            }
            for name in names {
                let size = (try? FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)"))?[.size] as? Int
                #expect(size == big.count, "\(name) is visible before it is whole")
                checks += 1
            }
            if names.count == 8 { break }
            try await Task.sleep(for: .milliseconds(1))
        }
        try await writer.value
        #expect(checks > 0)
    }

    @Test func refusesPathParts() async throws {
        let drops = DropFolder(root: "/nonexistent")
        for (user, subscription, name) in [
            ("..", "sub_1", "a"), ("a/b", "sub_1", "a"), ("alice", "..", "a"), ("alice", "", "a"),
            ("alice", "sub_1", "../x"), ("alice", "sub_1", ".hidden"), ("alice", "sub_1", "."),
        ] {
            await #expect(throws: DropFolderError.self, "\(user) \(subscription) \(name)") {
                try await drops.write(user: user, subscriptionID: subscription, fileName: name, bytes: [1])
            }
        }
    }

    @Test func prunesFilesPastTheRetention() async throws {
        let root = try Tools.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let drops = DropFolder(root: root)
        let old = try await drops.write(user: "carol", subscriptionID: "sub_2", fileName: "old.json", bytes: [1])
        let recent = try await drops.write(user: "carol", subscriptionID: "sub_2", fileName: "new.json", bytes: [2])
        let past = Date().addingTimeInterval(-8 * 86400)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: old)
        let removed = await drops.prune(olderThan: Date().addingTimeInterval(-7 * 86400))
        #expect(removed == 1)
        #expect(!FileManager.default.fileExists(atPath: old))
        #expect(FileManager.default.fileExists(atPath: recent))
    }

    @Test func sshdConfigLocksUsersInTheirFolderReadOnly() {
        let config = DropFolder.sshdConfig(root: "/srv/essor/drops")
        #expect(config.contains("ChrootDirectory /srv/essor/drops/%u"))
        #expect(config.contains("ForceCommand internal-sftp -R"))
        for line in ["AllowTcpForwarding no", "X11Forwarding no", "PermitTunnel no"] { #expect(config.contains(line)) }
    }
}
