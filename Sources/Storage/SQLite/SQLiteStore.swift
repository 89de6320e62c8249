import Foundation
import GRDB
import GatewayCore

/// The embedded store (DESIGN §2): one SQLite file in WAL mode through GRDB, implementing `IdentityStore` and
/// `CatalogueStore`. Opening it applies the pending migrations (`Migration.sqlite`).
///
/// Reads run concurrently; writes are serialised by SQLite. Existence checks and the write they guard run in one
/// transaction, so `conflict` and `notFound` are exact.
public final class SQLiteStore: Sendable {
    /// The database file.
    public let path: String
    /// GRDB's connection pool (one writer, several readers).
    let pool: DatabasePool
    /// Signalled after commits that append feed events.
    public let feedChanges = ChangeSignal()
    /// Signalled after commits that queue deliveries.
    public let deliveryChanges = ChangeSignal()
    /// Signalled after commits that queue backend commands.
    public let backendChanges = ChangeSignal()

    /// Opens (creating when missing, with its folder) the database at `path` and migrates it.
    public init(path: String) throws(StoreError) {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .engine("cannot create the folder \(folder): \(error.localizedDescription)")
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.label = "essor"
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError(sqlite: error)
        }
        try SQLiteMigrator.migrate(pool, to: Migration.sqlite)
    }

    /// Opens a database URL of the form `sqlite:PATH` (relative paths are relative to the working directory).
    public convenience init(url: String) throws(StoreError) {
        guard url.hasPrefix("sqlite:"), url.count > "sqlite:".count else {
            throw .invalid("'\(url)' is not a SQLite database URL (expected sqlite:PATH)")
        }
        var path = String(url.dropFirst("sqlite:".count))
        if path.hasPrefix("//") { path.removeFirst(2) }  // sqlite://PATH, as some tools write it
        try self.init(path: path)
    }

    /// The migrations recorded in the database, in order.
    public func appliedMigrations() async throws(StoreError) -> [AppliedMigration] {
        try await read { db in try SQLiteMigrator.applied(db) }
    }

    /// Runs `body` in a write transaction, mapping every failure to `StoreError`.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw StoreError(sqlite: error)
        }
    }

    /// Runs `body` on a reader, mapping every failure to `StoreError`.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw StoreError(sqlite: error)
        }
    }
}

extension StoreError {
    /// Maps an error from GRDB (or a `StoreError` thrown inside a transaction) to a `StoreError`.
    init(sqlite error: any Error) {
        if let error = error as? StoreError {
            self = error
        } else if let error = error as? DatabaseError, error.resultCode == .SQLITE_CONSTRAINT {
            // Existence is checked before writing; a constraint still failing means a rule the checks do not cover.
            self = .conflict(entity: "row", key: "", reason: error.message ?? "constraint violated")
        } else if let error = error as? DatabaseError {
            self = .engine(error.description)
        } else {
            self = .engine(String(describing: error))
        }
    }
}
