import Foundation
import Logging
import PostgresNIO
import Storage
import Testing

@testable import BackendApp

/// The backend's store, the same cases on SQLite and on PostgreSQL (`ESSOR_TEST_POSTGRES_URL`; with `CI=true` a
/// missing PostgreSQL fails).
@Suite("Backend store")
struct BackendStoreTests {
    enum Engine: String, CaseIterable, CustomStringConvertible {
        case sqlite, postgres
        var description: String { rawValue }
    }

    static let logger: Logger = {
        var logger = Logger(label: "essor.backend.tests")
        logger.logLevel = .critical
        return logger
    }()

    /// A fresh store on `engine`, closed (and its schema dropped) after `body`.
    static func withStore(_ engine: Engine, _ body: (any BackendStore) async throws -> Void) async throws {
        switch engine {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("backend-\(UUID()).sqlite").path
            let store = try SQLiteBackendStore(path: path)
            try await store.migrate()
            try await body(store)
            try await store.close()
            try? FileManager.default.removeItem(atPath: path)
        case .postgres:
            let environment = ProcessInfo.processInfo.environment
            guard let url = environment["ESSOR_TEST_POSTGRES_URL"], !url.isEmpty else {
                if environment["CI"] == "true" { throw PostgresMissing() }
                try Test.cancel("PostgreSQL skipped: ESSOR_TEST_POSTGRES_URL is not set")
            }
            let schema = "essor_backend_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await execute("CREATE SCHEMA \(schema)", url: url)
            let scoped = url + (url.contains("?") ? "&" : "?") + "schema=\(schema)"
            let store = try PostgresBackendStore(url: scoped, logger: logger)
            do {
                try await store.migrate()
                try await body(store)
            } catch {
                try? await store.close()
                try? await execute("DROP SCHEMA \(schema) CASCADE", url: url)
                throw error
            }
            try await store.close()
            try await execute("DROP SCHEMA \(schema) CASCADE", url: url)
        }
    }

    struct PostgresMissing: Error, CustomStringConvertible {
        var description: String { "CI must provide PostgreSQL: ESSOR_TEST_POSTGRES_URL is not set" }
    }

    static func execute(_ sql: String, url: String) async throws {
        let client = PostgresClient(configuration: try PostgresStore.configuration(url: url), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            _ = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
            group.cancelAll()
        }
    }

    static func submission(_ id: String, priority: String = "routine") -> Submission {
        Submission(
            id: id, requester: "requester", target: .init(noradID: 90500),
            window: TimeWindow(start: Date(timeIntervalSince1970: 1_800_000_000), stop: Date(timeIntervalSince1970: 1_800_036_000)),
            measurements: ["optical-angles"], tracks: 2, priority: priority, sensor: nil, marking: nil, callbacks: nil)
    }

    @Test("a task is stored once; a second insert with its id changes nothing", arguments: Engine.allCases)
    func insertOnce(engine: Engine) async throws {
        try await Self.withStore(engine) { (store: any BackendStore) async throws in
            let task = BackendTask(submission: Self.submission("req_a"), received: Date(timeIntervalSince1970: 1_799_000_000))
            #expect(try await store.insert(task))
            var other = task
            other.submission.tracks = 9
            #expect(try await store.insert(other) == false)
            #expect(try await store.task(id: "req_a") == task)
            #expect(try await store.task(id: "req_missing") == nil)
        }
    }

    @Test("a change and its messages are stored together; messages leave in order, one task at a time", arguments: Engine.allCases)
    func outboxOrder(engine: Engine) async throws {
        try await Self.withStore(engine) { (store: any BackendStore) async throws in
            var a = BackendTask(submission: Self.submission("req_a"), received: Date(timeIntervalSince1970: 1_799_000_000))
            var b = BackendTask(submission: Self.submission("req_b"), received: Date(timeIntervalSince1970: 1_799_000_001))
            _ = try await store.insert(a)
            _ = try await store.insert(b)
            a.state = .scheduled
            b.state = .finished
            try await store.save(
                a, enqueue: [
                    OutboxMessage(taskID: "req_a", kind: .status, body: Array("1".utf8)),
                    OutboxMessage(taskID: "req_a", kind: .product, body: Array("2".utf8)),
                ])
            try await store.save(b, enqueue: [OutboxMessage(taskID: "req_b", kind: .status, body: Array("3".utf8))])
            #expect(try await store.tasks(in: [.scheduled]).map(\.id) == ["req_a"])
            #expect(try await store.tasks(in: [.scheduled, .finished]).map(\.id) == ["req_a", "req_b"])
            #expect(try await store.pendingCount() == 3)
            let now = Date()
            var due = try await store.dueMessages(now: now, limit: 10)
            #expect(due.map { String(decoding: $0.body, as: UTF8.self) } == ["1", "3"])
            #expect(due.first?.kind == .status)
            // A retry later holds back the task's next message too.
            try await store.retry(due[0].sequence, attempts: 1, due: now.addingTimeInterval(60), error: "HTTP 503")
            due = try await store.dueMessages(now: now, limit: 10)
            #expect(due.map { String(decoding: $0.body, as: UTF8.self) } == ["3"])
            due = try await store.dueMessages(now: now.addingTimeInterval(61), limit: 10)
            #expect(due.first?.attempts == 1 && due.first?.lastError == "HTTP 503")
            try await store.complete(due[0].sequence)
            due = try await store.dueMessages(now: now.addingTimeInterval(61), limit: 10)
            #expect(due.map { String(decoding: $0.body, as: UTF8.self) } == ["2", "3"])
            #expect(due.first?.kind == .product)
            for message in due { try await store.complete(message.sequence) }
            #expect(try await store.pendingCount() == 0)
            #expect(try await store.dueMessages(now: now.addingTimeInterval(61), limit: 10).isEmpty)
        }
    }

    @Test("settings", arguments: Engine.allCases)
    func settings(engine: Engine) async throws {
        try await Self.withStore(engine) { (store: any BackendStore) async throws in
            #expect(try await store.setting("k") == nil)
            try await store.setSetting("k", "1")
            try await store.setSetting("k", "2")
            #expect(try await store.setting("k") == "2")
        }
    }
}
