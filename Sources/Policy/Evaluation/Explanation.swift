/// A decision with the verdict of every rule covering the action: what `essor policy explain` prints.
public struct Explanation: Sendable, Hashable, CustomStringConvertible {
    /// One rule and whether it applied.
    public struct RuleVerdict: Sendable, Hashable {
        /// The rule.
        public var rule: RuleReference
        /// Nil when the rule applied, else why not.
        public var mismatch: RuleMismatch?
    }

    /// The decision.
    public var decision: Decision
    /// Every rule covering the action, ordered by id.
    public var verdicts: [RuleVerdict]

    /// The decision, then one line per rule covering the action.
    public var description: String {
        let request = decision.request
        let principal = request.principal
        let roles = principal.roles.sorted().map(\.rawValue).joined(separator: ",")
        var lines = [
            "\(decision.effect.rawValue.uppercased()) \(request.action.rawValue) by \(principal.userName) "
                + "(organisation \(principal.organisation), roles \(roles.isEmpty ? "none" : roles), "
                + "\(principal.authenticatedBy.rawValue)) on \(request.resource.summary)",
            "  \(decision.reason)",
        ]
        if let quotas = decision.quotas { lines.append("  quotas: \(quotas)") }
        lines.append("  policy revision \(decision.policyRevision); rules covering \(request.action.rawValue):")
        if verdicts.isEmpty { lines.append("    none") }
        for verdict in verdicts {
            let outcome = verdict.mismatch.map { "does not apply: \($0)" } ?? "applies"
            lines.append("    \(verdict.rule.effect.rawValue) \(verdict.rule): \(outcome)")
        }
        return lines.joined(separator: "\n")
    }
}

extension PolicySet {
    /// Decides `request` and says, for every rule covering its action, whether it applied and why not.
    public func explain(_ request: AccessRequest) -> Explanation {
        let verdicts = rules(for: request.action).map {
            Explanation.RuleVerdict(rule: $0.reference, mismatch: $0.mismatch(for: request))
        }
        return Explanation(decision: evaluate(request), verdicts: verdicts)
    }
}
