import Foundation

/// A superset of the resources one caller may be allowed an action on, in terms a store can query: what listing
/// routes narrow their database query with before the exact decision on each candidate (DESIGN §4: filters happen
/// in the store, decisions in the policy).
public enum CandidateScope: Sendable, Hashable {
    /// No allow rule can apply: nothing is allowed.
    case nothing
    /// Some allow rule applies without a condition the store can test: any resource may be allowed.
    case everything
    /// A resource may be allowed only when one of these holds.
    case limited(CandidateClauses)
}

/// The alternatives of a limited scope (any one suffices).
public struct CandidateClauses: Sendable, Hashable {
    /// The caller's organisation owns one of the resource's objects.
    public var ownedByCaller = false
    /// The caller's organisation provided the data.
    public var providedByCaller = false
    /// The marking is `partners:<orgs>` listing the caller's organisation.
    public var sharedWithCaller = false
    /// The marking is of one of these kinds.
    public var markings: Set<Marking.Kind> = []
    /// One of the resource's objects is in one of these sets.
    public var objects: [NORADIDSet] = []
    /// The provider is one of these organisations.
    public var providers: Set<String> = []

    /// No alternative.
    public init() {}
}

extension PolicySet {
    /// The candidates `principal` may be allowed `action` on at `time`: every allow rule that applies to the
    /// principal (and is valid at `time`) contributes its most selective store-testable condition; a rule without
    /// one makes the scope `everything`. Deny rules only remove candidates, so they are left to the exact decision.
    ///
    /// The result is a superset: every resource the policy allows satisfies it (a rule's conditions are all
    /// required, so any one of them bounds what the rule allows); a negative condition (`owned_by_caller: false`)
    /// or a time window is not store-testable here and does not narrow.
    public func candidateScope(for principal: Principal, action: Action, at time: Date) -> CandidateScope {
        var clauses = CandidateClauses()
        var any = false
        for rule in rules(for: action) where rule.effect == .allow {
            guard rule.subjects.mismatch(for: principal) == nil else { continue }
            if let valid = rule.conditions.valid, !valid.contains(time) { continue }
            any = true
            let conditions = rule.conditions
            if conditions.ownedByCaller == true {
                clauses.ownedByCaller = true
            } else if conditions.providedByCaller == true {
                clauses.providedByCaller = true
            } else if conditions.sharedWithCaller == true {
                clauses.sharedWithCaller = true
            } else if let markings = conditions.markings {
                clauses.markings.formUnion(markings)
            } else if let objects = conditions.objects {
                clauses.objects.append(objects)
            } else if let providers = conditions.providers {
                clauses.providers.formUnion(providers)
            } else {
                return .everything
            }
        }
        return any ? .limited(clauses) : .nothing
    }
}
