/// Who is asking: an authenticated user of an organisation, with roles (DESIGN §4).
public struct Principal: Sendable, Hashable {
    /// The user name (`operator-a`, `partner-1` …), unique in the gateway.
    public var userName: String
    /// The organisation the user belongs to; ownership and sharing conditions compare against it.
    public var organisation: String
    /// The user's roles.
    public var roles: Set<Role>
    /// How the gateway established the identity.
    public var authenticatedBy: AuthenticationMethod

    /// Creates a principal.
    public init(userName: String, organisation: String, roles: Set<Role>, authenticatedBy: AuthenticationMethod) {
        self.userName = userName
        self.organisation = organisation
        self.roles = roles
        self.authenticatedBy = authenticatedBy
    }
}

/// A role a user holds (DESIGN §4). Policy files name roles by their raw values.
public enum Role: String, Sendable, Hashable, CaseIterable, Comparable {
    /// A satellite operator: owns objects, reads their data and conjunctions.
    case `operator`
    /// A partner agency exchanging measurements (TDMs).
    case partner
    /// An authorised requester of observations (tasking).
    case requester
    /// An administrator of the gateway.
    case admin
    /// The internal collection / orbit-determination / tasking backend.
    case backend

    /// Orders by raw value, for stable listings.
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How a principal authenticated (DESIGN §4: API keys or client certificates).
public enum AuthenticationMethod: String, Sendable, Hashable, CaseIterable, Comparable {
    /// `Authorization: Bearer <api key>`.
    case apiKey = "api-key"
    /// A verified client certificate mapped to the user (mutual TLS).
    case clientCertificate = "client-certificate"

    /// Orders by raw value, for stable listings.
    public static func < (lhs: AuthenticationMethod, rhs: AuthenticationMethod) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
