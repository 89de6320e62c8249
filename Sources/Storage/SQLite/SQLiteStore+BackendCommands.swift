import Foundation
import GRDB
import GatewayCore

extension SQLiteStore {
    /// Claims due commands in one write transaction (SQLite's single writer is the lock): the oldest pending
    /// command of each request only, by due time.
    public func claimBackendCommands(dueAt time: Date, limit: Int, leaseUntil: Date) async throws(StoreError)
        -> [BackendCommand]
    {
        guard limit > 0 else { return [] }
        let now = StoreTime.microseconds(time)
        let lease = StoreTime.microseconds(leaseUntil)
        return try await write { db in
            let due = try Row.fetchAll(db.cachedStatement(sql: CommandSQL.due), arguments: [now, limit])
                .map(Self.command)
            let claim = try db.cachedStatement(sql: CommandSQL.claim)
            for command in due { try claim.execute(arguments: [lease, command.id]) }
            return due.map { command in
                var claimed = command
                claimed.nextAttempt = StoreTime.date(lease)
                return claimed
            }
        }
    }

    /// Records the outcomes in one write transaction; a refusal fails the request if it is still open (with its
    /// history entry and event, then `feedChanges` is signalled). Ids that no longer exist change nothing.
    public func recordBackendCommands(_ outcomes: [BackendCommandOutcome]) async throws(StoreError) {
        guard !outcomes.isEmpty else { return }
        let failed = try await write { db -> Bool in
            let record = try db.cachedStatement(sql: CommandSQL.record)
            var failed = false
            for outcome in outcomes {
                let row = BackendOutcomeRow(outcome)
                try record.execute(arguments: [
                    "id": row.commandID, "state": row.state, "next": row.nextAttemptUS, "completed": row.completedUS,
                    "error": row.error,
                ])
                guard case .refused(let error, let time) = outcome.result, db.changesCount == 1,
                    let requestID = try String.fetchOne(
                        db.cachedStatement(sql: CommandSQL.requestOf), arguments: [row.commandID])
                else { continue }
                let stored = try Self.observationRequest(db, id: requestID)
                guard stored.state.isOpen else { continue }
                _ = try Self.transition(
                    db, stored,
                    RequestChange(id: requestID, to: .failed, actor: .gateway, reason: error, time: time))
                failed = true
            }
            return failed
        }
        if failed { feedChanges.signal() }
    }

    /// The commands of one request, oldest first.
    public func backendCommands(requestID: String) async throws(StoreError) -> [BackendCommand] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.commandColumns()) FROM backend_commands WHERE request_id = ? ORDER BY id",
                arguments: [requestID]
            ).map(Self.command)
        }
    }

    /// Counts the pending commands (through `backend_commands_due`).
    public func backendOutboxStatistics() async throws(StoreError) -> BackendOutboxStatistics {
        try await read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) AS pending, min(created_us) AS oldest FROM backend_commands
                    WHERE state = 'pending'
                    """)
            return BackendOutboxStatistics(
                pending: row?["pending"] ?? 0, oldestPending: (row?["oldest"] as Int64?).map(StoreTime.date))
        }
    }
}

// MARK: - Rows

/// The forwarder's fixed statements, compiled once per connection (`Database.cachedStatement(sql:)`).
enum CommandSQL {
    static let due = """
        SELECT \(SQLiteStore.commandColumns("c")) FROM backend_commands c
        WHERE c.state = 'pending' AND c.next_attempt_us <= ?
          AND NOT EXISTS (SELECT 1 FROM backend_commands o
                          WHERE o.request_id = c.request_id AND o.state = 'pending' AND o.id < c.id)
        ORDER BY c.next_attempt_us, c.id LIMIT ?
        """
    static let claim = "UPDATE backend_commands SET next_attempt_us = ? WHERE id = ?"
    static let record = """
        UPDATE backend_commands SET attempts = attempts + 1, state = :state,
            next_attempt_us = coalesce(:next, next_attempt_us),
            completed_us = coalesce(:completed, completed_us), last_error = coalesce(:error, last_error)
        WHERE id = :id
        """
    static let requestOf = "SELECT request_id FROM backend_commands WHERE id = ?"
}

extension SQLiteStore {
    static func commandColumns(_ alias: String? = nil) -> String {
        guard let alias else { return BackendCommandRecord.columns }
        return BackendCommandRecord.columns.split(separator: ", ").map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    static func command(_ row: Row) throws -> BackendCommand {
        try BackendCommandRecord.command(
            id: row["id"], requestID: row["request_id"], kind: row["kind"], state: row["state"],
            attempts: row["attempts"], createdUS: row["created_us"], nextAttemptUS: row["next_attempt_us"],
            completedUS: row["completed_us"], lastError: row["last_error"])
    }
}
