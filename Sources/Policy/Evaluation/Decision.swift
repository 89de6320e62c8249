/// The answer to an ``AccessRequest``, with everything an audit row needs: the request, the effect, the rule
/// that decided (or none: deny by default), every rule that applied, the quotas granted and the revision of the
/// policy set that answered.
public struct Decision: Sendable, Hashable {
    /// The question answered.
    public var request: AccessRequest
    /// Allow or deny.
    public var effect: Rule.Effect
    /// The rule that decided: the applicable deny with the smallest id when one applies, else the applicable allow
    /// with the smallest id; nil when no rule applied (deny by default).
    public var decidingRule: RuleReference?
    /// Every applicable rule, denies first, each group ordered by id.
    public var applicableRules: [RuleReference]
    /// The limits granted (the most generous of the applicable allow rules'); nil when denied.
    public var quotas: Quotas?
    /// The ``PolicySet/revision`` of the policy set that answered.
    public var policyRevision: String

    /// What the caller gets the product without: the fields every applicable allow rule hides (an allow rule that
    /// hides nothing reveals everything, so adding an allow never narrows); empty when denied.
    public var hiddenFields: Set<HiddenField> = []

    /// Creates a decision.
    public init(
        request: AccessRequest, effect: Rule.Effect, decidingRule: RuleReference?, applicableRules: [RuleReference],
        quotas: Quotas?, policyRevision: String
    ) {
        self.request = request
        self.effect = effect
        self.decidingRule = decidingRule
        self.applicableRules = applicableRules
        self.quotas = quotas
        self.policyRevision = policyRevision
    }

    /// True when the request is allowed.
    public var isAllowed: Bool { effect == .allow }

    /// True when the decision belongs in the audit log: every write (and tasking request) and every denial
    /// (DESIGN §4).
    public var requiresAudit: Bool { request.action.isWrite || effect == .deny }

    /// Why, in one phrase: `allowed by rule "ID" (FILE:LINE:COL)`, `denied by rule …`, or
    /// `no rule matched (deny by default)`.
    public var reason: String {
        guard let decidingRule else { return "no rule matched (deny by default)" }
        return (effect == .allow ? "allowed by rule " : "denied by rule ") + decidingRule.description
    }
}
