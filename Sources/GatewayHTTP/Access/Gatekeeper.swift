import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import Policy

/// Puts each request to the policy and the rate limits: decides, counts denials (`essor_policy_denials_total`),
/// writes the audit rows the design asks for (every write and every denial, DESIGN §4) and enforces the quotas
/// the decision grants.
public struct Gatekeeper: Sendable {
    /// The policy in force.
    public let policy: ActivePolicy
    /// Request counts per user.
    public let limiter: RequestRateLimiter
    /// Where audit rows go.
    public let audit: any AuditStore

    /// Creates a gatekeeper.
    public init(policy: ActivePolicy, limiter: RequestRateLimiter, audit: any AuditStore) {
        self.policy = policy
        self.limiter = limiter
        self.audit = audit
        // Every action's denial series exists from the start (at 0), so a scrape shows it before the first denial.
        for action in Action.allCases {
            Counter(label: "essor_policy_denials_total", dimensions: [("action", action.rawValue)]).increment(by: 0)
        }
    }

    /// The decision on one request, audited when it must be; counts the request against the granted quotas when
    /// allowed (`429` problem when over them).
    func decide(
        _ principal: Principal, _ action: Action, on resource: Resource, context: GatewayRequestContext,
        route: String, at time: Date = Date()
    ) async throws(Problem) -> Decision {
        let decision = policy.policy.evaluate(principal: principal, action: action, resource: resource, at: time)
        if !decision.isAllowed {
            Counter(label: "essor_policy_denials_total", dimensions: [("action", action.rawValue)]).increment()
        }
        if decision.requiresAudit {
            await record(decision, context: context, route: route)
        }
        if let quotas = decision.quotas { try admit(principal, quotas: quotas, at: time) }
        return decision
    }

    /// Counts one request of `principal` against `quotas`; `429` with `Retry-After` when over.
    func admit(_ principal: Principal, quotas: Quotas, at time: Date = Date()) throws(Problem) {
        if let refusal = limiter.admit(userName: principal.userName, quotas: quotas, at: time) {
            var headers = HTTPFields()
            headers[.retryAfterSeconds] = String(refusal.retryAfterSeconds)
            throw Problem(.rateLimited, refusal.description, headers: headers)
        }
    }

    /// Counts a request that concerns no one resource (the feed) against the most generous quotas of the allow
    /// rules naming the caller; a caller no allow rule names is not limited here (every item is still decided).
    func admitListing(_ principal: Principal, at time: Date = Date()) throws(Problem) {
        var granted: Quotas?
        for rule in policy.policy.rules where rule.effect == .allow && rule.subjects.mismatch(for: principal) == nil {
            let quotas = rule.quotas ?? .unlimited
            granted = granted.map { $0.mostGenerous(with: quotas) } ?? quotas
        }
        if let granted { try admit(principal, quotas: granted, at: time) }
    }

    /// Whether the policy in force grants `principal` the `admin` action (not audited: a read of who may see what).
    func isAdministrator(_ principal: Principal, at time: Date = Date()) -> Bool {
        policy.policy.allows(AccessRequest(principal: principal, action: .admin, resource: .service, time: time))
    }

    /// Writes the audit row of `decision`; a store failure is logged, not turned into a failed request.
    private func record(_ decision: Decision, context: GatewayRequestContext, route: String) async {
        do {
            _ = try await audit.appendAudit(AuditRecord(decision: decision, requestID: context.requestID, route: route))
        } catch {
            context.logger.error("audit row not written", metadata: ["error": "\(error)"])
        }
    }
}
