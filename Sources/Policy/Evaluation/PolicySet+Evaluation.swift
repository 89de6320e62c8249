import Foundation

extension PolicySet {
    /// Decides `request`: denied when an applicable rule denies, else allowed when one allows, else denied by
    /// default. The result does not depend on the order the rules were written in.
    public func evaluate(_ request: AccessRequest) -> Decision {
        var denies: [Rule] = []
        var allows: [Rule] = []
        for rule in rules(for: request.action) where rule.applies(to: request) {
            if rule.effect == .deny { denies.append(rule) } else { allows.append(rule) }
        }
        let applicable = (denies + allows).map(\.reference)
        if let deny = denies.first {
            return Decision(
                request: request, effect: .deny, decidingRule: deny.reference, applicableRules: applicable,
                quotas: nil, policyRevision: revision)
        }
        guard let allow = allows.first else {
            return Decision(
                request: request, effect: .deny, decidingRule: nil, applicableRules: [], quotas: nil,
                policyRevision: revision)
        }
        // A loaded allow rule always has quotas; one built in code without them grants no limit.
        let quotas = allows.map { $0.quotas ?? .unlimited }.reduce(allow.quotas ?? .unlimited) {
            $0.mostGenerous(with: $1)
        }
        var decision = Decision(
            request: request, effect: .allow, decidingRule: allow.reference, applicableRules: applicable,
            quotas: quotas, policyRevision: revision)
        decision.hiddenFields = allows.dropFirst().reduce(allow.hiddenFields) { $0.intersection($1.hiddenFields) }
        return decision
    }

    /// Decides whether `principal` may do `action` on `resource` at `time`.
    public func evaluate(principal: Principal, action: Action, resource: Resource, at time: Date) -> Decision {
        evaluate(AccessRequest(principal: principal, action: action, resource: resource, time: time))
    }

    /// Only the verdict, without building a ``Decision``: for filtering many objects (catalogue extracts).
    public func allows(_ request: AccessRequest) -> Bool {
        var allowed = false
        for rule in rules(for: request.action) where rule.applies(to: request) {
            if rule.effect == .deny { return false }
            allowed = true
        }
        return allowed
    }
}
