import Policy

/// What a subscription is about (issue 10 §1): which feed events it receives. Raw values are the API's spellings.
public enum SubscriptionTopic: String, Sendable, CaseIterable, Codable {
    /// Conjunction data messages (`product.stored` events of CDMs).
    case cdm
    /// Tracking data messages (`product.stored` events of TDMs).
    case tdm
    /// Element sets (`product.stored` events of OMMs).
    case elements
    /// Products of any kind (narrowed by the filter's `kinds`).
    case product
    /// The state changes of the subscriber's own observation requests (`observation-request.*` events); an
    /// administrator's subscription receives every request's.
    case observationRequest = "observation-request"

    /// The policy action that allows subscribing to the topic (`subscribe:<topic>`).
    public var action: Action {
        switch self {
        case .cdm: .subscribeCDM
        case .tdm: .subscribeTDM
        case .elements: .subscribeElements
        case .product: .subscribeProduct
        case .observationRequest: .subscribeObservationRequest
        }
    }

    /// The product kinds the topic carries; nil for a topic of events that are not products.
    public var productKinds: Set<ProductKind>? {
        switch self {
        case .cdm: [.cdm]
        case .tdm: [.tdm]
        case .elements: [.omm]
        case .product: Set(ProductKind.allCases)
        case .observationRequest: nil
        }
    }

    /// The prefix of the event types of observation requests.
    public static let observationRequestEventPrefix = "observation-request."

    /// Whether an event of `type` about a product of `kind` (nil when the event is not about a product) belongs to
    /// the topic.
    public func carries(eventType type: String, kind: ProductKind?) -> Bool {
        if self == .observationRequest { return type.hasPrefix(Self.observationRequestEventPrefix) }
        guard type == FeedEvent.productStored, let kind else { return false }
        return productKinds?.contains(kind) == true
    }
}

/// The encoding a subscription receives its messages in (issue 10 §1).
public enum DeliveryFormat: String, Sendable, CaseIterable, Codable {
    /// CCSDS keyword = value notation.
    case kvn
    /// CCSDS XML.
    case xml
    /// The project's JSON encoding of the message.
    case json
}
