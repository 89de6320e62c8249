import GatewayCore

/// A store whose schema is built by `Migration`s recorded in the database.
public protocol MigratedStore: Sendable {
    /// The migrations recorded in the database, in order.
    func appliedMigrations() async throws(StoreError) -> [AppliedMigration]
}

extension SQLiteStore: MigratedStore {}
