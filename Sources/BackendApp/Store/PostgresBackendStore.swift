import Foundation
import Logging
import PostgresNIO
import Storage

/// The backend's store on PostgreSQL (postgres-nio): the same tables as on SQLite (`backend_*`), so that the backend
/// may share a database with the gateway (`?schema=NAME` puts them in their own schema).
public final class PostgresBackendStore: BackendStore {
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger

    /// Connects to `url` (`postgres://USER:PASSWORD@HOST:PORT/DATABASE[?sslmode=…&schema=…]`, as the gateway).
    public init(url: String, logger: Logger) throws {
        let configuration = try PostgresStore.configuration(url: url)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        runner = Task { await client.run() }
    }

    public func migrate() async throws {
        try await client.withTransaction(logger: logger) { db in
            // One backend at a time creates the tables.
            try await db.query("SELECT pg_advisory_xact_lock(4242012)", logger: logger).collect()
            for statement in BackendSchema.postgres {
                try await db.query(PostgresQuery(unsafeSQL: statement), logger: logger).collect()
            }
        }
    }

    public func insert(_ task: BackendTask) async throws -> Bool {
        let body = try BackendSchema.encode(task)
        let rows = try await client.query(
            """
            INSERT INTO backend_tasks (id, state, body) VALUES (\(task.id), \(task.state.rawValue), \(body))
            ON CONFLICT (id) DO NOTHING RETURNING seq
            """, logger: logger
        ).collect()
        return rows.count == 1
    }

    public func task(id: String) async throws -> BackendTask? {
        let rows = try await client.query("SELECT body FROM backend_tasks WHERE id = \(id)", logger: logger).collect()
        guard let row = rows.first else { return nil }
        return try BackendSchema.decode(try row.decode(String.self))
    }

    public func tasks(in states: Set<BackendTaskState>) async throws -> [BackendTask] {
        let names = states.map(\.rawValue).sorted()
        let rows = try await client.query(
            "SELECT body FROM backend_tasks WHERE state = ANY(\(names)) ORDER BY seq", logger: logger
        ).collect()
        return try rows.map { try BackendSchema.decode(try $0.decode(String.self)) }
    }

    public func save(_ task: BackendTask, enqueue messages: [OutboxMessage]) async throws {
        let body = try BackendSchema.encode(task)
        let logger = logger
        try await client.withTransaction(logger: logger) { db in
            try await db.query(
                "UPDATE backend_tasks SET state = \(task.state.rawValue), body = \(body) WHERE id = \(task.id)",
                logger: logger
            ).collect()
            for message in messages {
                try await db.query(
                    """
                    INSERT INTO backend_outbox (task_id, kind, body, attempts, due_ms)
                    VALUES (\(message.taskID), \(message.kind.rawValue), \(ByteBuffer(bytes: message.body)), 0,
                            \(BackendSchema.milliseconds(message.due)))
                    """, logger: logger
                ).collect()
            }
        }
    }

    public func dueMessages(now: Date, limit: Int) async throws -> [OutboxMessage] {
        var query = PostgresQuery(unsafeSQL: BackendSchema.dueQuery(placeholder: { "$\($0)" }))
        query.binds.append(BackendSchema.milliseconds(now))
        query.binds.append(Int64(limit))
        let rows = try await client.query(query, logger: logger).collect()
        return try rows.map { row in
            let (sequence, taskID, kind, body, attempts, due, lastError) = try row.decode(
                (Int64, String, String, ByteBuffer, Int32, Int64, String?).self)
            var message = OutboxMessage(
                taskID: taskID, kind: OutboxMessage.Kind(rawValue: kind) ?? .status, body: Array(buffer: body),
                due: Date(timeIntervalSince1970: Double(due) / 1000))
            message.sequence = sequence
            message.attempts = Int(attempts)
            message.lastError = lastError
            return message
        }
    }

    public func complete(_ sequence: Int64) async throws {
        try await client.query("UPDATE backend_outbox SET done = 1 WHERE seq = \(sequence)", logger: logger).collect()
    }

    public func retry(_ sequence: Int64, attempts: Int, due: Date, error: String) async throws {
        try await client.query(
            """
            UPDATE backend_outbox SET attempts = \(Int32(attempts)), due_ms = \(BackendSchema.milliseconds(due)),
            last_error = \(error) WHERE seq = \(sequence)
            """, logger: logger
        ).collect()
    }

    public func pendingCount() async throws -> Int {
        let rows = try await client.query("SELECT count(*) FROM backend_outbox WHERE done = 0", logger: logger).collect()
        return Int(try rows.first?.decode(Int64.self) ?? 0)
    }

    public func setting(_ key: String) async throws -> String? {
        let rows = try await client.query("SELECT value FROM backend_settings WHERE key = \(key)", logger: logger)
            .collect()
        return try rows.first?.decode(String.self)
    }

    public func setSetting(_ key: String, _ value: String) async throws {
        try await client.query(
            """
            INSERT INTO backend_settings (key, value) VALUES (\(key), \(value))
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, logger: logger
        ).collect()
    }

    public func close() async throws {
        runner.cancel()
        await runner.value
    }
}
