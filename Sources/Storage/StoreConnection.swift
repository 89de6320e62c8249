import Foundation
import GatewayCore
import Logging

/// Opens the store a database URL names: what the command line and the server use (`--database URL`).
///
/// - `sqlite:PATH` (or `sqlite://PATH`): the embedded store, the file and its folder created when missing;
/// - `postgres://USER:PASSWORD@HOST:PORT/DATABASE[?sslmode=…]` (or `postgresql://`): PostgreSQL.
///
/// Either way the pending migrations are applied before the store is returned.
public enum StoreConnection {
    /// The default database of the command line and the server.
    public static let defaultURL = "sqlite:data/essor.sqlite"

    /// Opens and migrates the store at `url`; `invalid` for a URL of no known engine.
    public static func open(url: String, logger: Logger) async throws(StoreError) -> OpenedStore {
        if url.hasPrefix("sqlite:") {
            let store = try SQLiteStore(url: url)
            return OpenedStore(store: store, migrations: store, engine: "sqlite", close: {})
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let store = try await PostgresStore(url: url, logger: logger)
            return OpenedStore(store: store, migrations: store, engine: "postgres", close: { await store.shutdown() })
        }
        throw .invalid("'\(url)' is not a database URL: expected sqlite:PATH or postgres://USER:PASSWORD@HOST/DATABASE")
    }
}

/// A store opened by `StoreConnection.open(url:logger:)`: use `store`, then `close()` it.
public struct OpenedStore: Sendable {
    /// The store, migrated.
    public let store: any GatewayStore
    /// The migration records of the same database.
    public let migrations: any MigratedStore
    /// `sqlite` or `postgres`.
    public let engine: String
    /// Releases the engine's connections (a no-op for SQLite).
    private let closer: @Sendable () async -> Void

    init(
        store: any GatewayStore, migrations: any MigratedStore, engine: String,
        close: @escaping @Sendable () async -> Void
    ) {
        self.store = store
        self.migrations = migrations
        self.engine = engine
        self.closer = close
    }

    /// Closes the store's connections; the store refuses work afterwards. Call it once, when done.
    public func close() async { await closer() }
}
