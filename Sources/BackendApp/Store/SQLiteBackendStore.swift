import Foundation
import GRDB

/// The backend's store on SQLite (GRDB, WAL): the default, one file.
public final class SQLiteBackendStore: BackendStore {
    private let pool: DatabasePool

    /// Opens (creating) the database file at `path`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
    }

    public func migrate() async throws {
        try await pool.write { db in
            try db.execute(sql: BackendSchema.sqlite)
        }
    }

    public func insert(_ task: BackendTask) async throws -> Bool {
        let body = try BackendSchema.encode(task)
        return try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO backend_tasks (id, state, body) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                arguments: [task.id, task.state.rawValue, body])
            return db.changesCount == 1
        }
    }

    public func task(id: String) async throws -> BackendTask? {
        let body = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT body FROM backend_tasks WHERE id = ?", arguments: [id])
        }
        return try body.map(BackendSchema.decode)
    }

    public func tasks(in states: Set<BackendTaskState>) async throws -> [BackendTask] {
        let names = states.map(\.rawValue).sorted()
        let bodies = try await pool.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT body FROM backend_tasks WHERE state IN (\(names.map { _ in "?" }.joined(separator: ",")))"
                    + " ORDER BY seq",
                arguments: StatementArguments(names))
        }
        return try bodies.map(BackendSchema.decode)
    }

    public func save(_ task: BackendTask, enqueue messages: [OutboxMessage]) async throws {
        let body = try BackendSchema.encode(task)
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE backend_tasks SET state = ?, body = ? WHERE id = ?",
                arguments: [task.state.rawValue, body, task.id])
            for message in messages {
                try db.execute(
                    sql: "INSERT INTO backend_outbox (task_id, kind, body, attempts, due_ms) VALUES (?, ?, ?, 0, ?)",
                    arguments: [
                        message.taskID, message.kind.rawValue, Data(message.body), BackendSchema.milliseconds(message.due),
                    ])
            }
        }
    }

    public func dueMessages(now: Date, limit: Int) async throws -> [OutboxMessage] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db, sql: BackendSchema.dueQuery(placeholder: { _ in "?" }),
                arguments: [BackendSchema.milliseconds(now), limit])
            return rows.map { row in
                var message = OutboxMessage(
                    taskID: row["task_id"], kind: OutboxMessage.Kind(rawValue: row["kind"]) ?? .status,
                    body: Array((row["body"] as Data?) ?? Data()),
                    due: Date(timeIntervalSince1970: Double(row["due_ms"] as Int64) / 1000))
                message.sequence = row["seq"]
                message.attempts = row["attempts"]
                message.lastError = row["last_error"]
                return message
            }
        }
    }

    public func complete(_ sequence: Int64) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE backend_outbox SET done = 1 WHERE seq = ?", arguments: [sequence])
        }
    }

    public func retry(_ sequence: Int64, attempts: Int, due: Date, error: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE backend_outbox SET attempts = ?, due_ms = ?, last_error = ? WHERE seq = ?",
                arguments: [attempts, BackendSchema.milliseconds(due), error, sequence])
        }
    }

    public func pendingCount() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM backend_outbox WHERE done = 0") ?? 0
        }
    }

    public func setting(_ key: String) async throws -> String? {
        try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM backend_settings WHERE key = ?", arguments: [key])
        }
    }

    public func setSetting(_ key: String, _ value: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO backend_settings (key, value) VALUES (?, ?) "
                    + "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                arguments: [key, value])
        }
    }

    public func close() async throws {
        try pool.close()
    }
}

/// The backend store's tables and encodings, shared by both engines.
enum BackendSchema {
    static let sqlite = """
        CREATE TABLE IF NOT EXISTS backend_tasks (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL,
            body TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS backend_tasks_state ON backend_tasks (state);
        CREATE TABLE IF NOT EXISTS backend_outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            task_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            body BLOB NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            due_ms INTEGER NOT NULL,
            done INTEGER NOT NULL DEFAULT 0,
            last_error TEXT);
        CREATE INDEX IF NOT EXISTS backend_outbox_pending ON backend_outbox (task_id, seq) WHERE done = 0;
        CREATE TABLE IF NOT EXISTS backend_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """

    static let postgres = [
        """
        CREATE TABLE IF NOT EXISTS backend_tasks (
            seq BIGSERIAL PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            state TEXT NOT NULL,
            body TEXT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS backend_tasks_state ON backend_tasks (state)",
        """
        CREATE TABLE IF NOT EXISTS backend_outbox (
            seq BIGSERIAL PRIMARY KEY,
            task_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            body BYTEA NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            due_ms BIGINT NOT NULL,
            done INTEGER NOT NULL DEFAULT 0,
            last_error TEXT)
        """,
        "CREATE INDEX IF NOT EXISTS backend_outbox_pending ON backend_outbox (task_id, seq) WHERE done = 0",
        "CREATE TABLE IF NOT EXISTS backend_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ]

    /// Each task's first pending message, when due; `placeholder(n)` spells the n-th parameter (1: now, 2: limit).
    static func dueQuery(placeholder: (Int) -> String) -> String {
        """
        SELECT o.seq, o.task_id, o.kind, o.body, o.attempts, o.due_ms, o.last_error FROM backend_outbox o
        WHERE o.done = 0 AND o.due_ms <= \(placeholder(1))
          AND o.seq = (SELECT min(f.seq) FROM backend_outbox f WHERE f.task_id = o.task_id AND f.done = 0)
        ORDER BY o.seq LIMIT \(placeholder(2))
        """
    }

    static func encode(_ task: BackendTask) throws -> String {
        String(decoding: try ProtocolJSON.encoder().encode(task), as: UTF8.self)
    }

    static func decode(_ body: String) throws -> BackendTask {
        try ProtocolJSON.decoder().decode(BackendTask.self, from: Data(body.utf8))
    }

    static func milliseconds(_ date: Date) -> Int64 {
        date == .distantPast ? 0 : Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
