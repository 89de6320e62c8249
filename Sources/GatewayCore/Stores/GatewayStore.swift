/// Everything the gateway keeps: what a storage engine implements in full.
public typealias GatewayStore = IdentityStore & CatalogueStore & AuditStore & ProductStore & SubscriptionStore
    & ObservationRequestStore
