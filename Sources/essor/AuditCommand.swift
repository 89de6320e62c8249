import ArgumentParser
import GatewayCore

/// `essor audit list [--user U] [--limit N]`: the audit log, newest first.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Read the audit log.", subcommands: [AuditList.self])
}

/// `essor audit list`.
struct AuditList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List audit records, newest first: time, user, organisation, action, resource, effect, rule, policy "
            + "revision, request id, route.")

    @OptionGroup var database: DatabaseOption

    @Option(help: "Only this user's records.")
    var user: String?

    @Option(help: "At most this many records.")
    var limit: Int = 100

    func run() async throws {
        guard limit > 0 else { throw ValidationFailure("--limit must be positive") }
        try await database.withStore { opened in
            for record in try await opened.store.auditRecords(AuditFilter(userName: user, limit: limit)) {
                let fields = [
                    isoText(record.time), record.userName, record.organisation, record.action, record.resource,
                    record.effect.rawValue, record.ruleID ?? "-", record.policyRevision, record.requestID ?? "-",
                    record.route ?? "-",
                ]
                print(fields.joined(separator: "\t"))
            }
        }
    }
}
