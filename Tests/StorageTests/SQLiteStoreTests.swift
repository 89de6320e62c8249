import Foundation
import GRDB
import GatewayCore
import Storage
import Testing

/// What only the SQLite engine does: `sqlite:` URLs, the file itself, schema checks.
@Suite struct SQLiteStoreTests {
    /// A fresh temporary folder, removed after `body`.
    func withFolder(_ body: (URL) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("essor-sqlite-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try await body(folder)
    }

    @Test func opensASQLiteURLCreatingItsFolders() async throws {
        try await withFolder { folder in
            let path = folder.appendingPathComponent("a/b/essor.sqlite").path
            let store = try SQLiteStore(url: "sqlite:" + path)
            #expect(store.path == path)
            #expect(FileManager.default.fileExists(atPath: path))
            #expect(try await store.organisations().isEmpty)
        }
    }

    @Test(arguments: ["postgres://localhost/essor", "sqlite:", "data/essor.sqlite"])
    func refusesOtherURLs(_ url: String) {
        #expect(throws: StoreError.invalid("'\(url)' is not a SQLite database URL (expected sqlite:PATH)")) {
            try SQLiteStore(url: url)
        }
    }

    @Test func theKeySecretIsNowhereInTheFile() async throws {
        try await withFolder { folder in
            let path = folder.appendingPathComponent("essor.sqlite").path
            var secret = ""
            do {
                let store = try SQLiteStore(path: path)
                try await Fixtures.seedIdentities(store)
                let issued = try await store.issueAPIKey(for: "admin")
                secret = String(issued.text.split(separator: "_", maxSplits: 2)[2])
                _ = try await store.authenticate(apiKeyText: issued.text)
            }
            // Checkpoint the WAL into the main file, then look at every byte of every file.
            let queue = try DatabaseQueue(path: path)
            try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try queue.close()
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                let bytes = try Data(contentsOf: folder.appendingPathComponent(name))
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "secret found in \(name)")
            }
        }
    }

    @Test func refusesADatabaseFromANewerBuild() async throws {
        try await withFolder { folder in
            let path = folder.appendingPathComponent("essor.sqlite").path
            _ = try SQLiteStore(path: path)
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "INSERT INTO essor_migrations (version, name, applied_us) VALUES (99, 'future', 0)")
            }
            try queue.close()
            #expect(throws: StoreError.schema("the database has migration 99 'future', newer than this build knows")) {
                try SQLiteStore(path: path)
            }
        }
    }

    @Test func refusesARenamedMigration() async throws {
        try await withFolder { folder in
            let path = folder.appendingPathComponent("essor.sqlite").path
            _ = try SQLiteStore(path: path)
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(sql: "UPDATE essor_migrations SET name = 'other' WHERE version = 1")
            }
            try queue.close()
            #expect(throws: StoreError.schema("migration 1 is 'other' in the database but 'identity' here")) {
                try SQLiteStore(path: path)
            }
        }
    }

    @Test func concurrentOpensMigrateOnce() async throws {
        try await withFolder { folder in
            let path = folder.appendingPathComponent("essor.sqlite").path
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { _ = try SQLiteStore(path: path) } }
                try await group.waitForAll()
            }
            #expect(try await SQLiteStore(path: path).appliedMigrations().map(\.version) == Array(1...8))
        }
    }
}
