import Foundation
import GatewayCore
import Storage
import Testing

/// A store under test: every engine implements the gateway's protocols and versioned migrations.
typealias TestedStore = GatewayStore & MigratedStore

/// One storage engine the conformance suite runs on. Adding an engine is one line in `all`.
struct StoreEngine: Sendable, CustomTestStringConvertible {
    /// The engine's name in test output.
    let name: String
    /// Creates an empty database and returns a handle that opens it (again) as a store.
    let makeDatabase: @Sendable () async throws -> StoreDatabase

    /// The engines every conformance test runs on.
    static let all: [StoreEngine] = [.sqlite, .postgres]

    var testDescription: String { name }

    /// Runs `body` on a store over a fresh, empty database, then discards the database.
    func withStore(_ body: (TestedStore) async throws -> Void) async throws {
        try await withDatabase { database in try await body(try await database.open()) }
    }

    /// Runs `body` with a fresh database it may open several times (reopen tests), then discards it.
    func withDatabase(_ body: (StoreDatabase) async throws -> Void) async throws {
        let database = try await makeDatabase()
        do {
            try await body(database)
        } catch {
            await database.discard()
            throw error
        }
        await database.discard()
    }
}

/// A database created for one test.
struct StoreDatabase: Sendable {
    /// Opens the database as a store (migrating it); callable several times.
    let open: @Sendable () async throws -> TestedStore
    /// Closes the stores opened on the database and deletes it.
    let discard: @Sendable () async -> Void
}

extension StoreEngine {
    /// SQLite on a file in a fresh temporary folder.
    static let sqlite = StoreEngine(name: "SQLite") {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("essor-storage-tests-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("nested/essor.sqlite").path
        return StoreDatabase(
            open: { try SQLiteStore(url: "sqlite:" + path) },
            discard: { try? FileManager.default.removeItem(at: folder) })
    }
}
