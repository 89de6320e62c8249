import Foundation
import GRDB
import GatewayCore
import Policy

extension SQLiteStore: AuditStore {
    /// Appends an audit record.
    public func appendAudit(_ record: AuditRecord) async throws(StoreError) -> AuditRecord {
        try AuditRecord.validate(record)
        return try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO audit_log (time_us, user_name, organisation, action, resource, effect, rule_id,
                                           policy_revision, request_id, route)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    StoreTime.microseconds(record.time), record.userName, record.organisation, record.action,
                    record.resource, record.effect.rawValue, record.ruleID, record.policyRevision, record.requestID,
                    record.route,
                ])
            var stored = record
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    /// The records `filter` selects, newest first.
    public func auditRecords(_ filter: AuditFilter) async throws(StoreError) -> [AuditRecord] {
        let arguments: StatementArguments = [
            "user": filter.userName, "since": filter.since.map(StoreTime.microseconds), "limit": filter.limit ?? -1,
        ]
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM audit_log
                    WHERE (:user IS NULL OR user_name = :user) AND (:since IS NULL OR time_us >= :since)
                    ORDER BY time_us DESC, id DESC LIMIT :limit
                    """,
                arguments: arguments
            ).map(Self.auditRecord)
        }
    }

    static func auditRecord(_ row: Row) throws -> AuditRecord {
        let id: Int64 = row["id"]
        let effectText: String = row["effect"]
        guard let effect = Rule.Effect(rawValue: effectText) else {
            throw StoreError.schema("audit record \(id) has the effect '\(effectText)'")
        }
        return AuditRecord(
            id: id, time: StoreTime.date(row["time_us"]), userName: row["user_name"], organisation: row["organisation"],
            action: row["action"], resource: row["resource"], effect: effect, ruleID: row["rule_id"],
            policyRevision: row["policy_revision"], requestID: row["request_id"], route: row["route"])
    }
}
