/// One policy rule: an effect for some principals, some actions, on resources meeting every condition.
///
/// A rule applies to a request when the action is listed, the principal matches `subjects` and the resource
/// (and the time of the request) meet every condition. Whether it then allows or denies is `effect`; an
/// applicable deny always wins over any allow, and a request no rule applies to is denied.
public struct Rule: Sendable, Hashable {
    /// Allow or deny.
    public enum Effect: String, Sendable, Hashable, CaseIterable {
        /// Grants the actions (with quotas).
        case allow
        /// Forbids the actions, whatever any allow rule says.
        case deny
    }

    /// Unique across the policy set; decisions and audit rows name the rule by it.
    public var id: String
    /// What the rule is for, in a sentence.
    public var description: String?
    /// Allow or deny.
    public var effect: Effect
    /// Who the rule is about.
    public var subjects: Subjects
    /// The actions it covers (never empty in a loaded file).
    public var actions: Set<Action>
    /// What the resource and the request time must satisfy.
    public var conditions: Conditions
    /// The limits an allow rule grants; nil for deny rules.
    public var quotas: Quotas?
    /// What an allow rule withholds from the products it grants (empty: nothing).
    public var hiddenFields: Set<HiddenField>
    /// Where the rule was written; nil for rules built in code.
    public var source: PolicySourceLocation?

    /// Creates a rule.
    public init(
        id: String, description: String? = nil, effect: Effect, subjects: Subjects, actions: Set<Action>,
        conditions: Conditions = Conditions(), quotas: Quotas? = nil, hiddenFields: Set<HiddenField> = [],
        source: PolicySourceLocation? = nil
    ) {
        self.hiddenFields = hiddenFields
        self.id = id
        self.description = description
        self.effect = effect
        self.subjects = subjects
        self.actions = actions
        self.conditions = conditions
        self.quotas = quotas
        self.source = source
    }

    /// The reference a decision keeps to this rule.
    public var reference: RuleReference {
        RuleReference(id: id, effect: effect, source: source)
    }
}

/// The principals a rule is about. Each list given must contain the principal's value (any of its roles for
/// `roles`); a nil list does not restrict. A rule with no list at all is about every authenticated principal.
public struct Subjects: Sendable, Hashable {
    /// Roles, any of which the principal must hold.
    public var roles: Set<Role>?
    /// User names.
    public var users: Set<String>?
    /// Organisations.
    public var organisations: Set<String>?
    /// Authentication methods (e.g. only client certificates for the backend).
    public var authenticatedBy: Set<AuthenticationMethod>?

    /// Creates the subject filter.
    public init(
        roles: Set<Role>? = nil, users: Set<String>? = nil, organisations: Set<String>? = nil,
        authenticatedBy: Set<AuthenticationMethod>? = nil
    ) {
        self.roles = roles
        self.users = users
        self.organisations = organisations
        self.authenticatedBy = authenticatedBy
    }
}

/// What a rule requires of the resource and of the request time. Every condition given must hold; nil does
/// not restrict. The three relation conditions are tri-state: `true` requires the relation, `false` requires
/// its absence.
public struct Conditions: Sendable, Hashable {
    /// The caller's organisation owns (true) / owns none (false) of the resource's objects.
    public var ownedByCaller: Bool?
    /// The caller's organisation is (true) / is not (false) the data provider.
    public var providedByCaller: Bool?
    /// The marking is (true) / is not (false) `partners:<orgs>` listing the caller's organisation.
    public var sharedWithCaller: Bool?
    /// Any of the resource's objects is in this set.
    public var objects: NORADIDSet?
    /// The data provider is one of these organisations.
    public var providers: Set<String>?
    /// The marking is of one of these kinds.
    public var markings: Set<Marking.Kind>?
    /// The resource's data window lies inside this window.
    public var timeWindow: TimeWindow?
    /// The request is made inside this window (a rule with a limited validity).
    public var valid: TimeWindow?

    /// Creates the conditions.
    public init(
        ownedByCaller: Bool? = nil, providedByCaller: Bool? = nil, sharedWithCaller: Bool? = nil,
        objects: NORADIDSet? = nil, providers: Set<String>? = nil, markings: Set<Marking.Kind>? = nil,
        timeWindow: TimeWindow? = nil, valid: TimeWindow? = nil
    ) {
        self.ownedByCaller = ownedByCaller
        self.providedByCaller = providedByCaller
        self.sharedWithCaller = sharedWithCaller
        self.objects = objects
        self.providers = providers
        self.markings = markings
        self.timeWindow = timeWindow
        self.valid = valid
    }
}

/// A decision's pointer to a rule: its id, effect and where it was written.
public struct RuleReference: Sendable, Hashable, CustomStringConvertible {
    /// The rule's id.
    public var id: String
    /// Its effect.
    public var effect: Rule.Effect
    /// Where it was written; nil for rules built in code.
    public var source: PolicySourceLocation?

    /// Creates a reference.
    public init(id: String, effect: Rule.Effect, source: PolicySourceLocation?) {
        self.id = id
        self.effect = effect
        self.source = source
    }

    /// `"ID" (FILE:LINE:COL)`.
    public var description: String {
        "\"\(id)\"" + (source.map { " (\($0))" } ?? "")
    }
}
