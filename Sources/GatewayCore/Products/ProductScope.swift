import Policy

/// What one organisation may see of the products and the feed: the union of the ways a product can reach it.
///
/// A product (or feed event) is in scope when any of these holds:
/// - `ownedByOrganisation` and `organisation` is one of its `ownerOrganisations` (an operator's CDMs);
/// - `providedByOrganisation` and its `provider` is `organisation` (a partner's own TDMs);
/// - `sharedWithOrganisation` and its marking is `partners:<orgs>` listing `organisation`;
/// - its marking's kind is in `markings` (e.g. `public` for everyone).
///
/// The policy layer builds the scope from the caller's grants; stores only evaluate it.
public struct ProductScope: Sendable, Hashable {
    /// The caller's organisation.
    public var organisation: String
    /// Products concerning objects the organisation owns.
    public var ownedByOrganisation: Bool
    /// Products the organisation provided.
    public var providedByOrganisation: Bool
    /// Products whose `partners:` marking lists the organisation.
    public var sharedWithOrganisation: Bool
    /// Products whose marking is of one of these kinds, whoever they concern.
    public var markings: Set<Marking.Kind>

    /// Creates a scope.
    public init(
        organisation: String, ownedByOrganisation: Bool = false, providedByOrganisation: Bool = false,
        sharedWithOrganisation: Bool = false, markings: Set<Marking.Kind> = []
    ) {
        self.organisation = organisation
        self.ownedByOrganisation = ownedByOrganisation
        self.providedByOrganisation = providedByOrganisation
        self.sharedWithOrganisation = sharedWithOrganisation
        self.markings = markings
    }

    /// Whether a product or event with these owners, provider and marking is in scope (the rule stores implement
    /// in SQL; also what delivery matching and tests use).
    public func includes(ownerOrganisations: [String], provider: String?, marking: Marking?) -> Bool {
        if ownedByOrganisation && ownerOrganisations.contains(organisation) { return true }
        if providedByOrganisation && provider == organisation { return true }
        if sharedWithOrganisation && marking?.sharesWith(organisation: organisation) == true { return true }
        if let marking, markings.contains(marking.kind) { return true }
        return false
    }

    /// Whether `product` is in scope.
    public func includes(_ product: Product) -> Bool {
        includes(ownerOrganisations: product.ownerOrganisations, provider: product.provider, marking: product.marking)
    }

    /// Whether `event` is in scope.
    public func includes(_ event: FeedEvent) -> Bool {
        includes(ownerOrganisations: event.ownerOrganisations, provider: event.provider, marking: event.marking)
    }
}
