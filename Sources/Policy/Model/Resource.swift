import Foundation

/// What a request touches: a kind and the attributes that rule conditions test.
///
/// A resource may concern several objects (a CDM names two); it matches an object or ownership condition when
/// any of them does. An attribute the gateway does not know stays empty or nil, and a condition on it then
/// fails: an unknown marking never passes a `markings` test.
public struct Resource: Sendable, Hashable {
    /// The kind of thing touched.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A catalogue object: its record, element sets, ephemerides and states.
        case object
        /// A conjunction data message.
        case cdm
        /// A tracking data message.
        case tdm
        /// An observation request.
        case observationRequest = "observation-request"
        /// A subscription.
        case subscription
        /// A product submitted by the backend.
        case product
        /// The gateway itself (administration, actions on no particular object).
        case service
    }

    /// The kind of thing touched.
    public var kind: Kind
    /// The store's identifier of the resource (CDM id, TDM id …), for the audit log; nil for objects.
    public var identifier: String?
    /// The NORAD catalogue numbers concerned.
    public var noradIDs: Set<Int>
    /// The organisations owning the objects concerned.
    public var ownerOrganisations: Set<String>
    /// The sharing marking, when known.
    public var marking: Marking?
    /// The organisation that provided the data (a partner for its TDMs, the backend's organisation …).
    public var provider: String?
    /// The span of time the data covers (an ephemeris' start–stop, a TDM's first–last measurement, a CDM's TCA
    /// as a zero-length interval).
    public var dataWindow: DateInterval?

    /// Creates a resource.
    public init(
        kind: Kind, identifier: String? = nil, noradIDs: Set<Int> = [], ownerOrganisations: Set<String> = [],
        marking: Marking? = nil, provider: String? = nil, dataWindow: DateInterval? = nil
    ) {
        self.kind = kind
        self.identifier = identifier
        self.noradIDs = noradIDs
        self.ownerOrganisations = ownerOrganisations
        self.marking = marking
        self.provider = provider
        self.dataWindow = dataWindow
    }

    /// A catalogue object.
    public static func object(
        noradID: Int, owner: String?, marking: Marking?, provider: String? = nil, dataWindow: DateInterval? = nil
    ) -> Resource {
        Resource(
            kind: .object, noradIDs: [noradID], ownerOrganisations: owner.map { [$0] } ?? [], marking: marking,
            provider: provider, dataWindow: dataWindow)
    }

    /// The gateway itself: for actions that concern no object (`admin`, a new subscription …).
    public static let service = Resource(kind: .service)

    /// `kind identifier [norad ids]`, for explanations and logs.
    public var summary: String {
        var text = kind.rawValue
        if let identifier { text += " " + identifier }
        if !noradIDs.isEmpty { text += " " + noradIDs.sorted().map(String.init).joined(separator: ",") }
        return text
    }
}
