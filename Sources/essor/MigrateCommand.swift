import ArgumentParser

/// `essor migrate [--database URL]`: applies the pending schema migrations and lists those recorded.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply the pending database migrations (opening a store does it too).")

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        try await database.withStore { opened in
            let applied = try await opened.migrations.appliedMigrations()
            print("\(database.database) (\(opened.engine)): schema at version \(applied.last?.version ?? 0)")
            for migration in applied { print("  \(migration.version) \(migration.name)") }
        }
    }
}
