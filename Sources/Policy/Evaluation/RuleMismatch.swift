/// Why a rule does not apply to a request: the first test it failed, in the order actions, subjects,
/// conditions.
public enum RuleMismatch: Sendable, Hashable, CustomStringConvertible {
    /// The action is not among the rule's actions.
    case actionNotCovered
    /// The principal holds none of the listed roles.
    case roleNotListed
    /// The user is not listed.
    case userNotListed
    /// The organisation is not listed.
    case organisationNotListed
    /// The authentication method is not listed.
    case authenticationNotListed
    /// `owned_by_caller` wanted `expected` and the resource says otherwise.
    case ownership(expected: Bool)
    /// `provided_by_caller` wanted `expected` and the resource says otherwise.
    case provision(expected: Bool)
    /// `shared_with_caller` wanted `expected` and the resource says otherwise.
    case sharing(expected: Bool)
    /// None of the resource's objects is listed.
    case objectNotListed
    /// The provider is unknown or not listed.
    case providerNotListed
    /// The marking is unknown or of a kind not listed.
    case markingNotListed
    /// The data window is unknown or leaves the rule's window.
    case outsideTimeWindow
    /// The request time is outside the rule's validity.
    case outsideValidity

    /// A short phrase for explanations.
    public var description: String {
        switch self {
        case .actionNotCovered: "action not covered"
        case .roleNotListed: "caller holds none of the roles"
        case .userNotListed: "user not listed"
        case .organisationNotListed: "organisation not listed"
        case .authenticationNotListed: "authentication method not listed"
        case .ownership(let expected):
            expected ? "not owned by the caller's organisation" : "owned by the caller's organisation"
        case .provision(let expected):
            expected ? "not provided by the caller's organisation" : "provided by the caller's organisation"
        case .sharing(let expected):
            expected ? "not shared with the caller's organisation" : "shared with the caller's organisation"
        case .objectNotListed: "object not listed"
        case .providerNotListed: "provider unknown or not listed"
        case .markingNotListed: "marking unknown or not listed"
        case .outsideTimeWindow: "data window unknown or outside the time window"
        case .outsideValidity: "request outside the rule's validity"
        }
    }
}
