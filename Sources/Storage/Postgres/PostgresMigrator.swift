import GatewayCore
import PostgresNIO

/// Applies `Migration`s to a PostgreSQL schema and records them in `essor_migrations`.
enum PostgresMigrator {
    /// Serialises migrations of one schema across connections and processes: a transaction-scoped advisory lock on
    /// the schema's name, so two stores opening the same database cannot both apply a migration.
    static let lock: PostgresQuery = "SELECT pg_advisory_xact_lock(hashtext('essor_migrations:' || current_schema()))"

    /// Creates `essor_migrations` when missing, checks that the recorded migrations are a prefix of `migrations`
    /// (same versions and names), and applies the rest, each in its own transaction. Idempotent.
    static func migrate(_ store: PostgresStore, to migrations: [Migration]) async throws(StoreError) {
        let logger = store.logger
        try await store.transaction { db in
            _ = try await db.rows(lock, logger)
            _ = try await db.rows(
                """
                CREATE TABLE IF NOT EXISTS essor_migrations (
                    version BIGINT PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_us BIGINT NOT NULL
                )
                """, logger)
        }
        for migration in migrations {
            try await store.transaction { db in
                _ = try await db.rows(lock, logger)
                let applied = try await applied(db, logger)
                try Migration.check(applied, against: migrations)
                if applied.contains(where: { $0.version == migration.version }) { return }
                for statement in migration.statements {
                    _ = try await db.rows(PostgresQuery(unsafeSQL: statement), logger)
                }
                _ = try await db.rows(
                    """
                    INSERT INTO essor_migrations (version, name, applied_us)
                    VALUES (\(migration.version), \(migration.name), \(StoreTime.microseconds(.now)))
                    """, logger)
            }
        }
    }

    /// The recorded migrations, by version.
    static func applied(_ db: PostgresConnection, _ logger: Logger) async throws -> [AppliedMigration] {
        try await db.rows("SELECT version, name FROM essor_migrations ORDER BY version", logger).map { row in
            let (version, name) = try row.decode((Int, String).self)
            return AppliedMigration(version: version, name: name)
        }
    }
}
