import Foundation

/// An organisation: satellite operator, partner agency, requester or the gateway's own operators (DESIGN §4).
/// Users belong to exactly one; ownership and sharing conditions compare against its `name`.
public struct Organisation: Sendable, Hashable {
    /// The unique short name (`operator-a`, `partner-1` …): the identifier used everywhere.
    public var name: String
    /// A human-readable name for listings and the portal.
    public var displayName: String
    /// When the organisation was created.
    public var created: Date

    /// Creates an organisation; `displayName` defaults to `name`.
    public init(name: String, displayName: String? = nil, created: Date = Date()) {
        self.name = name
        self.displayName = displayName ?? name
        self.created = created
    }
}
