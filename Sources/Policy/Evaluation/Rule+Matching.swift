extension Rule {
    /// Nil when the rule applies to `request`, else the first test it fails.
    public func mismatch(for request: AccessRequest) -> RuleMismatch? {
        guard actions.contains(request.action) else { return .actionNotCovered }
        if let mismatch = subjects.mismatch(for: request.principal) { return mismatch }
        return conditions.mismatch(for: request)
    }

    /// True when the rule applies to `request`.
    public func applies(to request: AccessRequest) -> Bool {
        mismatch(for: request) == nil
    }
}

extension Subjects {
    /// Nil when `principal` is one of the subjects, else the first list it is missing from.
    public func mismatch(for principal: Principal) -> RuleMismatch? {
        if let roles, roles.isDisjoint(with: principal.roles) { return .roleNotListed }
        if let users, !users.contains(principal.userName) { return .userNotListed }
        if let organisations, !organisations.contains(principal.organisation) { return .organisationNotListed }
        if let authenticatedBy, !authenticatedBy.contains(principal.authenticatedBy) {
            return .authenticationNotListed
        }
        return nil
    }
}

extension Conditions {
    /// Nil when every condition holds for `request`, else the first that fails.
    public func mismatch(for request: AccessRequest) -> RuleMismatch? {
        let resource = request.resource
        let organisation = request.principal.organisation
        if let ownedByCaller, resource.ownerOrganisations.contains(organisation) != ownedByCaller {
            return .ownership(expected: ownedByCaller)
        }
        if let providedByCaller, (resource.provider == organisation) != providedByCaller {
            return .provision(expected: providedByCaller)
        }
        if let sharedWithCaller, (resource.marking?.sharesWith(organisation: organisation) ?? false) != sharedWithCaller
        {
            return .sharing(expected: sharedWithCaller)
        }
        if let objects, !objects.containsAny(of: resource.noradIDs) { return .objectNotListed }
        if let providers {
            guard let provider = resource.provider, providers.contains(provider) else { return .providerNotListed }
        }
        if let markings {
            guard let marking = resource.marking, markings.contains(marking.kind) else { return .markingNotListed }
        }
        if let timeWindow {
            guard let dataWindow = resource.dataWindow, timeWindow.contains(dataWindow) else {
                return .outsideTimeWindow
            }
        }
        if let valid, !valid.contains(request.time) { return .outsideValidity }
        return nil
    }
}
