import GatewayCore

/// One step of the schema: numbered, named, applied once, in order, in its own transaction.
///
/// Each engine has its own list (the SQL differs) with the same versions and names, so `essor_migrations` reads
/// the same on every engine. Never edit a released migration: append a new one.
public struct Migration: Sendable, Hashable {
    /// The position in the list, from 1, without gaps.
    public var version: Int
    /// A short name (`identity`, `catalogue` …), recorded with the version and checked on every start.
    public var name: String
    /// The statements, run in order.
    public var statements: [String]

    /// Creates a migration.
    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// A migration recorded in a database's `essor_migrations` table.
public struct AppliedMigration: Sendable, Hashable {
    /// The migration's version.
    public var version: Int
    /// The migration's name.
    public var name: String

    /// Creates a record.
    public init(version: Int, name: String) {
        self.version = version
        self.name = name
    }
}

extension Migration {
    /// Throws `schema` when the database knows a migration this build does not, or names one differently.
    static func check(_ applied: [AppliedMigration], against migrations: [Migration]) throws(StoreError) {
        for record in applied {
            guard let known = migrations.first(where: { $0.version == record.version }) else {
                throw .schema(
                    "the database has migration \(record.version) '\(record.name)', newer than this build knows")
            }
            guard known.name == record.name else {
                throw .schema(
                    "migration \(record.version) is '\(record.name)' in the database but '\(known.name)' here")
            }
        }
    }
}
