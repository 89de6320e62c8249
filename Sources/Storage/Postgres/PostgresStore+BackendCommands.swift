import Foundation
import GatewayCore
import PostgresNIO

extension PostgresStore {
    /// Claims due commands in one statement: the oldest pending command of each request only, by due time.
    /// `FOR UPDATE OF c SKIP LOCKED` passes over rows another forwarder is claiming; one it has claimed and committed
    /// is re-checked (READ COMMITTED) and found no longer due, so no command is handed out twice.
    public func claimBackendCommands(dueAt time: Date, limit: Int, leaseUntil: Date) async throws(StoreError)
        -> [BackendCommand]
    {
        guard limit > 0 else { return [] }
        let now = StoreTime.microseconds(time)
        let lease = StoreTime.microseconds(leaseUntil)
        let found = try await rows(
            """
            UPDATE backend_commands SET next_attempt_us = \(lease)
            FROM (
                SELECT c.id, c.next_attempt_us AS due FROM backend_commands c
                WHERE c.state = 'pending' AND c.next_attempt_us <= \(now)
                  AND NOT EXISTS (SELECT 1 FROM backend_commands o
                                  WHERE o.request_id = c.request_id AND o.state = 'pending' AND o.id < c.id)
                ORDER BY c.next_attempt_us, c.id LIMIT \(Int64(limit))
                FOR UPDATE OF c SKIP LOCKED
            ) AS claimed
            WHERE backend_commands.id = claimed.id
            RETURNING claimed.due, \(unescaped: Self.commandColumns("backend_commands"))
            """)
        let claimed = try Self.decoding {
            try found.map { row in
                (try row.makeRandomAccess()[0].decode(Int64.self), try Self.command(row, skipping: 1))
            }
        }
        return claimed.sorted { ($0.0, $0.1.id) < ($1.0, $1.1.id) }.map(\.1)
    }

    /// Records the outcomes: the commands in one statement over a JSON array of rows (on its own when no outcome
    /// is a refusal: one round trip). With refusals, in one transaction: then the requests of refused ones, locked
    /// in id order (before the feed's lock is taken) and read, fail if still open, with their history entries and
    /// events. Ids that no longer exist match nothing.
    public func recordBackendCommands(_ outcomes: [BackendCommandOutcome]) async throws(StoreError) {
        guard !outcomes.isEmpty else { return }
        let update = try Self.outcomesUpdate(outcomes)
        let refuses = outcomes.contains { outcome in
            if case .refused = outcome.result { return true }
            return false
        }
        guard refuses else {
            _ = try await rows(update)
            return
        }
        let failed = try await transaction { db -> Bool in
            var requestOf: [Int64: String] = [:]
            for row in try await db.rows(update, self.logger) {
                let (id, requestID) = try row.decode((Int64, String).self)
                requestOf[id] = requestID
            }
            let refusals = outcomes.compactMap { outcome -> (String, String, Date)? in
                guard case .refused(let error, let time) = outcome.result, let requestID = requestOf[outcome.commandID]
                else { return nil }
                return (requestID, error, time)
            }
            guard !refusals.isEmpty else { return false }
            let requestIDs = Array(Set(refusals.map(\.0))).sorted()
            let records = try await db.rows(
                """
                SELECT \(unescaped: Self.requestColumns("r")) FROM observation_requests r
                WHERE r.id = ANY(\(requestIDs)::text[]) ORDER BY r.id
                FOR NO KEY UPDATE
                """, self.logger
            ).map(Self.requestRecord)
            var locked: [String: LockedRequest] = [:]
            for (record, request) in zip(records, try await Self.completed(db, records, self.logger)) {
                locked[record.id] = LockedRequest(record: record, request: request)
            }
            var failed = false
            for (requestID, error, time) in refusals {
                guard let stored = locked[requestID], stored.request.state.isOpen else { continue }
                (locked[requestID], _) = try await Self.transition(
                    db, stored, RequestChange(id: requestID, to: .failed, actor: .gateway, reason: error, time: time),
                    self.logger)
                failed = true
            }
            return failed
        }
        if failed { feedChanges.signal() }
    }

    /// The update recording `outcomes` (attempts + 1), returning each updated command's id and request.
    static func outcomesUpdate(_ outcomes: [BackendCommandOutcome]) throws(StoreError) -> PostgresQuery {
        let batch = try json(outcomes.map(BackendOutcomeRow.init))
        return """
            UPDATE backend_commands c SET attempts = c.attempts + 1, state = o.state,
                next_attempt_us = coalesce(o.next_attempt_us, c.next_attempt_us),
                completed_us = coalesce(o.completed_us, c.completed_us),
                last_error = coalesce(o.error, c.last_error)
            FROM jsonb_to_recordset(\(batch)::jsonb) AS o(
                command_id bigint, state text, next_attempt_us bigint, completed_us bigint, error text)
            WHERE c.id = o.command_id
            RETURNING c.id, c.request_id
            """
    }

    /// The commands of one request, oldest first.
    public func backendCommands(requestID: String) async throws(StoreError) -> [BackendCommand] {
        let found = try await rows(
            """
            SELECT \(unescaped: BackendCommandRecord.columns) FROM backend_commands WHERE request_id = \(requestID)
            ORDER BY id
            """)
        return try Self.decoding { try found.map { try Self.command($0) } }
    }

    /// Counts the pending commands (through `backend_commands_due`).
    public func backendOutboxStatistics() async throws(StoreError) -> BackendOutboxStatistics {
        let found = try await rows("SELECT count(*), min(created_us) FROM backend_commands WHERE state = 'pending'")
        let (pending, oldest) = try Self.decoding { try found[0].decode((Int, Int64?).self) }
        return BackendOutboxStatistics(pending: pending, oldestPending: oldest.map(StoreTime.date))
    }
}

// MARK: - Rows

extension PostgresStore {
    static func commandColumns(_ table: String) -> String {
        BackendCommandRecord.columns.split(separator: ", ").map { "\(table).\($0)" }.joined(separator: ", ")
    }

    /// The command in `row`'s columns from `skipping` on, in `BackendCommandRecord.columns` order.
    static func command(_ row: PostgresRow, skipping: Int = 0) throws -> BackendCommand {
        let columns = row.makeRandomAccess()
        func column<T: PostgresDecodable>(_ index: Int, _ type: T.Type = T.self) throws -> T {
            try columns[skipping + index].decode(T.self)
        }
        return try BackendCommandRecord.command(
            id: column(0), requestID: column(1), kind: column(2), state: column(3), attempts: column(4),
            createdUS: column(5), nextAttemptUS: column(6), completedUS: column(7), lastError: column(8))
    }
}
