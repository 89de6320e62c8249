import GRDB
import GatewayCore

/// Applies `Migration`s to a SQLite database and records them in `essor_migrations`.
enum SQLiteMigrator {
    /// Creates `essor_migrations` when missing, checks that the recorded migrations are a prefix of `migrations`
    /// (same versions and names), and applies the rest, each in its own immediate transaction (so two processes
    /// opening the same file cannot both apply one). Idempotent.
    static func migrate(_ pool: DatabasePool, to migrations: [Migration]) throws(StoreError) {
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(
                    sql: """
                        CREATE TABLE IF NOT EXISTS essor_migrations (
                            version INTEGER PRIMARY KEY NOT NULL,
                            name TEXT NOT NULL,
                            applied_us INTEGER NOT NULL
                        )
                        """)
                for migration in migrations {
                    try db.inTransaction(.immediate) {
                        let applied = try applied(db)
                        try Migration.check(applied, against: migrations)
                        if applied.contains(where: { $0.version == migration.version }) { return .commit }
                        for statement in migration.statements { try db.execute(sql: statement) }
                        try db.execute(
                            sql: "INSERT INTO essor_migrations (version, name, applied_us) VALUES (?, ?, ?)",
                            arguments: [migration.version, migration.name, StoreTime.microseconds(.now)])
                        return .commit
                    }
                }
            }
        } catch {
            throw StoreError(sqlite: error)
        }
    }

    /// The recorded migrations, by version.
    static func applied(_ db: Database) throws -> [AppliedMigration] {
        try Row.fetchAll(db, sql: "SELECT version, name FROM essor_migrations ORDER BY version").map {
            AppliedMigration(version: $0["version"], name: $0["name"])
        }
    }
}
