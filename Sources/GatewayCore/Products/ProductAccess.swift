import Foundation
import Policy

/// The policy's view of products and feed events, and the store scope that narrows a listing before the exact
/// decision on each candidate. Pulls (the routes) and pushes (the delivery workers) decide through it alike.
public enum ProductAccess {
    /// The read action of a product kind.
    public static func readAction(_ kind: ProductKind) -> Action {
        switch kind {
        case .cdm: .readCDM
        case .tdm: .readTDM
        case .omm: .readElements
        case .oem, .opm: .readEphemeris
        }
    }

    /// The resource a product is.
    public static func resource(_ product: Product) -> Resource {
        Resource(
            kind: kind(product.kind), identifier: product.id.map(String.init), noradIDs: Set(product.noradIDs),
            ownerOrganisations: Set(product.ownerOrganisations), marking: product.marking, provider: product.provider,
            dataWindow: window(product.timeStart, product.timeStop))
    }

    /// The resource a feed event's product is.
    public static func resource(_ event: FeedEvent) -> Resource? {
        guard let kind = event.kind else { return nil }
        return Resource(
            kind: Self.kind(kind), identifier: event.productID.map(String.init), noradIDs: Set(event.noradIDs),
            ownerOrganisations: Set(event.ownerOrganisations), marking: event.marking, provider: event.provider)
    }

    /// The store scope for `principal` listing `action`; nil when the store cannot narrow (any product may be
    /// allowed), `.none` when nothing can be.
    public static func scope(_ policy: PolicySet, _ principal: Principal, _ action: Action, at time: Date) -> ScopeChoice {
        switch policy.candidateScope(for: principal, action: action, at: time) {
        case .nothing: return .nothing
        case .everything: return .unscoped
        case .limited(let clauses):
            guard clauses.objects.isEmpty, clauses.providers.isEmpty else { return .unscoped }
            return .scoped(
                ProductScope(
                    organisation: principal.organisation, ownedByOrganisation: clauses.ownedByCaller,
                    providedByOrganisation: clauses.providedByCaller, sharedWithOrganisation: clauses.sharedWithCaller,
                    markings: clauses.markings))
        }
    }

    /// How a listing is narrowed in the store.
    public enum ScopeChoice: Sendable {
        /// Nothing can be allowed.
        case nothing
        /// The store cannot narrow.
        case unscoped
        /// Only products in this scope can be allowed.
        case scoped(ProductScope)

        /// The scope to pass to the store.
        public var productScope: ProductScope? {
            if case .scoped(let scope) = self { return scope }
            return nil
        }
    }

    private static func kind(_ kind: ProductKind) -> Resource.Kind {
        switch kind {
        case .cdm: .cdm
        case .tdm: .tdm
        case .oem, .opm, .omm: .product
        }
    }

    private static func window(_ start: Date?, _ stop: Date?) -> DateInterval? {
        guard let start else { return nil }
        let end = max(stop ?? start, start)
        return DateInterval(start: start, end: end)
    }
}
