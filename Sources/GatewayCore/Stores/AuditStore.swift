/// The audit log (DESIGN §4): append-only records of policy decisions. Implemented by each storage engine; every
/// engine passes the same conformance suite.
public protocol AuditStore: Sendable {
    /// Appends a record and returns it with its `id`; `invalid` when the user name or action is empty.
    func appendAudit(_ record: AuditRecord) async throws(StoreError) -> AuditRecord
    /// The records `filter` selects, newest first (by time, then by `id` among equal times).
    func auditRecords(_ filter: AuditFilter) async throws(StoreError) -> [AuditRecord]
}
