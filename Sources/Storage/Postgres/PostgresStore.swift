import Foundation
import GatewayCore
import PostgresNIO

/// The server store (DESIGN §2): PostgreSQL through postgres-nio's connection pool, implementing `IdentityStore` and
/// `CatalogueStore` with the same semantics as `SQLiteStore`. Opening it applies the pending migrations
/// (`Migration.postgres`).
///
/// Every operation runs on a pooled connection, so the store is safe to share between tasks. Existence checks and the
/// write they guard run in one transaction; a write that still races another surfaces as `conflict`.
/// Call `shutdown()` when done: it closes the pool's connections.
public final class PostgresStore: Sendable {
    /// The pool.
    let client: PostgresClient
    /// The task running the pool (`PostgresClient.run()`), cancelled by `shutdown()`.
    let runner: Task<Void, Never>
    /// The task listening for other processes' changes (`listen(_:feed:deliveries:backend:logger:)`) on a connection
    /// of its own, cancelled by `shutdown()` before the pool stops; nil when the store was opened without listening.
    let listener: Task<Void, Never>?
    /// Where postgres-nio logs queries and its background work (connections, pool).
    let logger: Logger
    /// Signalled after commits that append feed events, this process's or (through `LISTEN`) another's.
    public let feedChanges: ChangeSignal
    /// Signalled after commits that queue deliveries, this process's or (through `LISTEN`) another's.
    public let deliveryChanges: ChangeSignal
    /// Signalled after commits that queue backend commands, this process's or (through `LISTEN`) another's.
    public let backendChanges: ChangeSignal

    /// Connects with `configuration` and migrates the database (the first schema on the connection's `search_path`).
    /// With `listensForChanges` (the default), one more connection listens for other processes' commits, so that
    /// `feedChanges`, `deliveryChanges` and `backendChanges` also signal theirs; without, they signal this store's
    /// commits only.
    public init(configuration: PostgresClient.Configuration, logger: Logger, listensForChanges: Bool = true)
        async throws(StoreError)
    {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        self.runner = Task { await client.run() }
        let feed = ChangeSignal()
        let deliveries = ChangeSignal()
        let backend = ChangeSignal()
        self.feedChanges = feed
        self.deliveryChanges = deliveries
        self.backendChanges = backend
        self.listener =
            listensForChanges
            ? Task { await Self.listen(client, feed: feed, deliveries: deliveries, backend: backend, logger: logger) }
            : nil
        do {
            try await PostgresMigrator.migrate(self, to: Migration.postgres)
        } catch {
            await shutdown()
            throw error
        }
    }

    /// Opens a database URL of the form `postgres://USER:PASSWORD@HOST:PORT/DATABASE` (`postgresql://` too; port
    /// 5432 when absent; percent-escapes decoded; `?sslmode=disable|prefer|require|verify-full`: `prefer` by default
    /// as in libpq, `require` verifying the server's certificate; `&schema=NAME` as the `schema` argument). With
    /// `schema`, the store's tables live in that (existing) schema instead of the user's default one.
    /// `listensForChanges` as in `init(configuration:logger:listensForChanges:)`.
    public convenience init(
        url: String, schema: String? = nil, logger: Logger = Logger(label: "essor.storage.postgres"),
        listensForChanges: Bool = true
    ) async throws(StoreError) {
        try await self.init(
            configuration: try Self.configuration(url: url, schema: schema), logger: logger,
            listensForChanges: listensForChanges)
    }

    /// Stops listening, closes the pool's connections and waits for it to stop. The store refuses work afterwards.
    public func shutdown() async {
        listener?.cancel()
        await listener?.value
        runner.cancel()
        await runner.value
    }

    deinit {
        listener?.cancel()
        runner.cancel()  // a store dropped without `shutdown()` still closes its connections, without waiting
    }

    /// The migrations recorded in the database, in order.
    public func appliedMigrations() async throws(StoreError) -> [AppliedMigration] {
        try await transaction { db in try await PostgresMigrator.applied(db, self.logger) }
    }

    /// Runs `body` in a transaction (`READ COMMITTED`), mapping every failure to `StoreError`.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        do {
            return try await client.withTransaction(logger: logger) { db in try await body(db) }
        } catch {
            throw StoreError(postgres: error)
        }
    }

    /// The rows of one statement run outside an explicit transaction.
    func rows(_ query: PostgresQuery) async throws(StoreError) -> [PostgresRow] {
        do {
            return try await client.query(query, logger: logger).collect()
        } catch {
            throw StoreError(postgres: error)
        }
    }
}

extension PostgresStore: MigratedStore {}

extension PostgresConnection {
    /// The rows `query` returns, all read.
    func rows(_ query: PostgresQuery, _ logger: Logger) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger).collect()
    }
}

extension StoreError {
    /// Maps an error from postgres-nio (or a `StoreError` thrown inside a transaction) to a `StoreError`.
    init(postgres error: any Error) {
        if let error = error as? StoreError {
            self = error
        } else if let error = error as? PostgresTransactionError {
            self = StoreError(postgres: error.closureError ?? error.beginError ?? error.commitError ?? error)
        } else if let error = error as? PSQLError {
            let state = error.serverInfo?[.sqlState] ?? ""
            let message = error.serverInfo?[.message] ?? "\(error.code)"
            if state.hasPrefix("23") {
                // Integrity constraint violation (SQLSTATE class 23). Existence is checked before writing, so this is
                // a rule the checks do not cover or a concurrent write.
                self = .conflict(entity: "row", key: "", reason: message)
            } else if state.isEmpty {
                self = .engine("\(error.code)")
            } else {
                self = .engine("\(message) (SQLSTATE \(state))")
            }
        } else {
            self = .engine(String(describing: error))
        }
    }
}
