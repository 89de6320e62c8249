import GatewayCore

extension AuditRecord {
    /// Throws `invalid` for a record no engine should keep: an empty user name or action.
    static func validate(_ record: AuditRecord) throws(StoreError) {
        guard !record.userName.isEmpty else { throw .invalid("an audit record needs a user name") }
        guard !record.action.isEmpty else { throw .invalid("an audit record needs an action") }
    }
}
