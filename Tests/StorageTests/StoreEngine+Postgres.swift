import Foundation
import GatewayCore
import PostgresNIO
import Storage
import Testing

extension StoreEngine {
    /// PostgreSQL at `ESSOR_TEST_POSTGRES_URL` (e.g. `postgres://essor:essor@127.0.0.1:54329/essor`, started by
    /// `.ci/postgres`), each test in a fresh schema that is dropped afterwards. Without the variable the tests fail on
    /// CI (`CI=true`), which must provide PostgreSQL, and are skipped elsewhere. The stores do not listen for other
    /// processes' changes: the suite runs its cases in parallel, and a listening connection per store would double
    /// the connections the server must accept (the listening tests open their stores themselves).
    static let postgres = StoreEngine(name: "PostgreSQL") {
        let url = try PostgresTestServer.url()
        let schema = "essor_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresTestServer.execute("CREATE SCHEMA \(schema)", url: url)
        let opened = OpenedStores()
        return StoreDatabase(
            open: {
                let store = try await PostgresStore(
                    url: url, schema: schema, logger: PostgresTestServer.logger, listensForChanges: false)
                await opened.append(store)
                return store
            },
            discard: {
                for store in await opened.stores { await store.shutdown() }
                try? await PostgresTestServer.execute("DROP SCHEMA \(schema) CASCADE", url: url)
            })
    }
}

/// The stores a test opened on its database, shut down when it is discarded.
actor OpenedStores {
    private(set) var stores: [PostgresStore] = []

    func append(_ store: PostgresStore) { stores.append(store) }
}

/// The PostgreSQL server the tests use.
enum PostgresTestServer {
    /// Quiet: the tests check errors themselves.
    static let logger: Logger = {
        var logger = Logger(label: "essor.storage.tests")
        logger.logLevel = .critical
        return logger
    }()

    /// Why PostgreSQL tests cannot run on CI.
    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "CI must provide PostgreSQL: ESSOR_TEST_POSTGRES_URL is not set (run `eval \"$(.ci/postgres start)\"` "
                + "before `swift test`)"
        }
    }

    /// `ESSOR_TEST_POSTGRES_URL`; without it, fails on CI and cancels (skips) the test elsewhere.
    static func url() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["ESSOR_TEST_POSTGRES_URL"], !url.isEmpty { return url }
        if environment["CI"] == "true" { throw Missing() }
        _ = skipNotice
        try Test.cancel(
            "PostgreSQL skipped: ESSOR_TEST_POSTGRES_URL is not set (`eval \"$(.ci/postgres start)\"` starts one)")
    }

    /// Said once per run: Swift Testing does not print why a single test case was cancelled.
    static let skipNotice: Void = {
        let note = "note: PostgreSQL test cases skipped: ESSOR_TEST_POSTGRES_URL is not set"
        FileHandle.standardError.write(Data((note + " (`eval \"$(.ci/postgres start)\"` starts a server)\n").utf8))
    }()

    /// Runs `body` with the server's URL and a fresh schema, dropped afterwards.
    static func withSchema(_ body: (String, String) async throws -> Void) async throws {
        let url = try url()
        let schema = "essor_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await execute("CREATE SCHEMA \(schema)", url: url)
        do {
            try await body(url, schema)
        } catch {
            try? await execute("DROP SCHEMA \(schema) CASCADE", url: url)
            throw error
        }
        try await execute("DROP SCHEMA \(schema) CASCADE", url: url)
    }

    /// Runs one administrative statement (creating or dropping a schema) on its own short-lived client.
    static func execute(_ sql: String, url: String) async throws {
        let client = PostgresClient(configuration: try PostgresStore.configuration(url: url), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }
}
