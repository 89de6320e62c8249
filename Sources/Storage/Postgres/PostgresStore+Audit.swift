import Foundation
import GatewayCore
import Policy
import PostgresNIO

extension PostgresStore: AuditStore {
    /// Appends an audit record.
    public func appendAudit(_ record: AuditRecord) async throws(StoreError) -> AuditRecord {
        try AuditRecord.validate(record)
        let inserted = try await rows(
            """
            INSERT INTO audit_log (time_us, user_name, organisation, action, resource, effect, rule_id,
                                   policy_revision, request_id, route)
            VALUES (\(StoreTime.microseconds(record.time)), \(record.userName), \(record.organisation),
                    \(record.action), \(record.resource), \(record.effect.rawValue), \(record.ruleID),
                    \(record.policyRevision), \(record.requestID), \(record.route))
            RETURNING id
            """)
        var stored = record
        stored.id = try Self.decoding { try inserted[0].decode(Int64.self) }
        return stored
    }

    /// The records `filter` selects, newest first.
    public func auditRecords(_ filter: AuditFilter) async throws(StoreError) -> [AuditRecord] {
        let since = filter.since.map(StoreTime.microseconds)
        let found = try await rows(
            """
            SELECT id, time_us, user_name, organisation, action, resource, effect, rule_id, policy_revision,
                   request_id, route
            FROM audit_log
            WHERE (\(filter.userName)::text IS NULL OR user_name = \(filter.userName))
              AND (\(since)::bigint IS NULL OR time_us >= \(since))
            ORDER BY time_us DESC, id DESC LIMIT \(filter.limit)
            """)
        return try Self.decoding { try found.map(Self.auditRecord) }
    }

    static func auditRecord(_ row: PostgresRow) throws -> AuditRecord {
        let (id, time, userName, organisation, action, resource, effectText, ruleID, revision, requestID, route) =
            try row.decode(
                (Int64, Int64, String, String, String, String, String, String?, String, String?, String?).self)
        guard let effect = Rule.Effect(rawValue: effectText) else {
            throw StoreError.schema("audit record \(id) has the effect '\(effectText)'")
        }
        return AuditRecord(
            id: id, time: StoreTime.date(time), userName: userName, organisation: organisation, action: action,
            resource: resource, effect: effect, ruleID: ruleID, policyRevision: revision, requestID: requestID,
            route: route)
    }
}
