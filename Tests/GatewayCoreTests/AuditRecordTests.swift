import Foundation
import GatewayCore
import Policy
import Testing

/// `AuditRecord(decision:)` copies what the audit log needs from a policy decision.
@Suite struct AuditRecordTests {
    @Test func recordsADecision() throws {
        let principal = Principal(
            userName: "operator-a", organisation: "operator-a", roles: [.operator], authenticatedBy: .apiKey)
        let request = AccessRequest(
            principal: principal, action: .readElements,
            resource: .object(noradID: 90001, owner: "operator-a", marking: .restricted),
            time: Date(timeIntervalSince1970: 1_700_000_000))
        let decision = Decision(
            request: request, effect: .deny,
            decidingRule: RuleReference(id: "no-restricted", effect: .deny, source: nil),
            applicableRules: [], quotas: nil, policyRevision: "abc123")
        let record = AuditRecord(decision: decision, requestID: "req-1", route: "GET /api/v1/objects/{norad}")
        #expect(record.id == nil)
        #expect(record.time == request.time)
        #expect(record.userName == "operator-a" && record.organisation == "operator-a")
        #expect(record.action == "read:elements")
        #expect(record.resource == "object 90001")
        #expect(record.effect == .deny && record.ruleID == "no-restricted" && record.policyRevision == "abc123")
        #expect(record.requestID == "req-1" && record.route == "GET /api/v1/objects/{norad}")
    }
}
