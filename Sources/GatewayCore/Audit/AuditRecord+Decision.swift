import Foundation
import Policy

extension AuditRecord {
    /// The record of a policy decision: the principal, action, resource summary, effect, deciding rule and policy
    /// revision come from `decision`, the time is the request's time.
    public init(decision: Decision, requestID: String? = nil, route: String? = nil) {
        let request = decision.request
        self.init(
            time: request.time, userName: request.principal.userName, organisation: request.principal.organisation,
            action: request.action.rawValue, resource: request.resource.summary, effect: decision.effect,
            ruleID: decision.decidingRule?.id, policyRevision: decision.policyRevision, requestID: requestID,
            route: route)
    }
}
