import Foundation
import GatewayCore
import PostgresNIO
import Storage
import Testing

/// What only the PostgreSQL engine does: `postgres://` URLs, schema checks, concurrent opens.
@Suite struct PostgresStoreTests {
    @Test(arguments: ["sqlite:data/essor.sqlite", "postgres://", "postgres:///essor", "http://user@host/db"])
    func refusesOtherURLs(_ url: String) {
        #expect(
            throws: StoreError.invalid(
                "'\(url)' is not a PostgreSQL database URL (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
        ) {
            try PostgresStore.configuration(url: url)
        }
    }

    @Test func refusesUnknownURLParameters() {
        #expect(throws: StoreError.self) { try PostgresStore.configuration(url: "postgres://u@h/db?sslmode=maybe") }
        #expect(throws: StoreError.self) { try PostgresStore.configuration(url: "postgres://u@h/db?search=x") }
        #expect(throws: Never.self) {
            try PostgresStore.configuration(url: "postgresql://u:p@h:5433/db?sslmode=disable")
        }
    }

    @Test func aSchemaParameterSetsTheSearchPath() throws {
        let configuration = try PostgresStore.configuration(url: "postgres://u@h/db?sslmode=disable&schema=essor_x")
        #expect(configuration.options.additionalStartupParameters.contains { $0 == "search_path" && $1 == "essor_x" })
        #expect(throws: StoreError.self) { try PostgresStore.configuration(url: "postgres://u@h/db?schema=") }
    }

    @Test func refusesADatabaseFromANewerBuild() async throws {
        try await PostgresTestServer.withSchema { url, schema in
            let store = try await PostgresStore(url: url, schema: schema, logger: PostgresTestServer.logger)
            await store.shutdown()
            try await PostgresTestServer.execute(
                "INSERT INTO \(schema).essor_migrations (version, name, applied_us) VALUES (99, 'future', 0)", url: url)
            await #expect(
                throws: StoreError.schema("the database has migration 99 'future', newer than this build knows")
            ) {
                _ = try await PostgresStore(url: url, schema: schema, logger: PostgresTestServer.logger)
            }
        }
    }

    @Test func concurrentOpensMigrateOnce() async throws {
        try await PostgresTestServer.withSchema { url, schema in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        let store = try await PostgresStore(url: url, schema: schema, logger: PostgresTestServer.logger)
                        await store.shutdown()
                    }
                }
                try await group.waitForAll()
            }
            let store = try await PostgresStore(url: url, schema: schema, logger: PostgresTestServer.logger)
            #expect(try await store.appliedMigrations().map(\.version) == Array(1...8))
            await store.shutdown()
        }
    }
}
