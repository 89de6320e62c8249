import Foundation

/// A message the backend owes the gateway: a status report or a product, sent in order per task, retried until
/// the gateway answers, never lost (it is stored in the same transaction as the change that causes it).
public struct OutboxMessage: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// `POST …/observation-requests/{id}/status` with a JSON `StatusReport`.
        case status
        /// `POST /internal/v1/products?request={id}` with a TDM (KVN).
        case product
    }
    /// The store's sequence number (0 before it is stored).
    public var sequence: Int64
    public var taskID: String
    public var kind: Kind
    /// The body (JSON or KVN).
    public var body: [UInt8]
    /// Attempts so far.
    public var attempts: Int
    /// Not before this time (real time).
    public var due: Date
    /// The last failure, for operators.
    public var lastError: String?

    public init(taskID: String, kind: Kind, body: [UInt8], due: Date = .distantPast) {
        sequence = 0
        self.taskID = taskID
        self.kind = kind
        self.body = body
        attempts = 0
        self.due = due
        lastError = nil
    }
}

/// The reference backend's own store (SQLite or PostgreSQL): its tasks, its outbox towards the gateway and a few
/// settings. Every change of a task is one transaction with the messages it causes.
public protocol BackendStore: Sendable {
    /// Creates the tables when missing.
    func migrate() async throws
    /// Stores a new task; false (and nothing changed) when a task with its id exists.
    func insert(_ task: BackendTask) async throws -> Bool
    /// The task with `id`.
    func task(id: String) async throws -> BackendTask?
    /// The tasks in `states`, oldest first.
    func tasks(in states: Set<BackendTaskState>) async throws -> [BackendTask]
    /// Replaces a task and appends `messages` to the outbox, in one transaction.
    func save(_ task: BackendTask, enqueue messages: [OutboxMessage]) async throws
    /// For each task with pending messages, its first one when due at `now`: at most `limit`, oldest first.
    func dueMessages(now: Date, limit: Int) async throws -> [OutboxMessage]
    /// The message was accepted (or refused for good): it is done.
    func complete(_ sequence: Int64) async throws
    /// Try again at `due`.
    func retry(_ sequence: Int64, attempts: Int, due: Date, error: String) async throws
    /// How many messages are not done.
    func pendingCount() async throws -> Int
    /// A stored setting.
    func setting(_ key: String) async throws -> String?
    /// Stores a setting.
    func setSetting(_ key: String, _ value: String) async throws
    /// Closes the store.
    func close() async throws
}
