/// What a principal wants to do (DESIGN §4). Policy files name actions by their raw values.
public enum Action: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Read an object's catalogue record and element sets (TLE/3LE/OMM), alone or in the bulk catalogue.
    case readElements = "read:elements"
    /// Read an ephemeris (OEM) or a state (OPM) propagated from an object's elements.
    case readEphemeris = "read:ephemeris"
    /// Read a conjunction data message.
    case readCDM = "read:cdm"
    /// Read a tracking data message (measurements).
    case readTDM = "read:tdm"
    /// Upload a tracking data message.
    case submitTDM = "submit:tdm"
    /// Submit, amend or cancel an observation request (tasking).
    case requestObservation = "request:observation"
    /// Create, change or delete a subscription to conjunction messages (issue 10).
    case subscribeCDM = "subscribe:cdm"
    /// Create, change or delete a subscription to tracking data messages.
    case subscribeTDM = "subscribe:tdm"
    /// Create, change or delete a subscription to element sets (OMM products).
    case subscribeElements = "subscribe:elements"
    /// Create, change or delete a subscription to products of any kind.
    case subscribeProduct = "subscribe:product"
    /// Create, change or delete a subscription to the state changes of the caller's observation requests.
    case subscribeObservationRequest = "subscribe:observation-request"
    /// Administer the gateway: users, keys, metrics, policy inspection.
    case admin
    /// Submit products as the backend (CDM/OEM/OPM/OMM/TDM on the internal API).
    case ingest

    /// True for actions that change state; their decisions always go to the audit log (DESIGN §4).
    public var isWrite: Bool {
        switch self {
        case .readElements, .readEphemeris, .readCDM, .readTDM: false
        case .submitTDM, .requestObservation, .admin, .ingest: true
        case .subscribeCDM, .subscribeTDM, .subscribeElements, .subscribeProduct, .subscribeObservationRequest: true
        }
    }

    /// The `subscribe:<topic>` actions.
    public static let subscribeActions: [Action] = [
        .subscribeCDM, .subscribeTDM, .subscribeElements, .subscribeProduct, .subscribeObservationRequest,
    ]

    /// Orders by raw value, for stable listings.
    public static func < (lhs: Action, rhs: Action) -> Bool { lhs.rawValue < rhs.rawValue }
}
