import Foundation
import Policy

/// A user of the gateway: a member of one organisation holding roles (DESIGN §4).
public struct User: Sendable, Hashable {
    /// The unique user name; client certificates name it as `urn:essor:user:<name>`.
    public var name: String
    /// The `Organisation.name` of the user's organisation.
    public var organisation: String
    /// The roles the user holds.
    public var roles: Set<Role>
    /// The full subject distinguished name a client certificate without a `urn:essor:user:` SAN URI must carry to
    /// authenticate as this user (RFC 4514 form, most specific RDN first: `CN=alice,O=Operator A,C=GB`); stores keep
    /// it in `CertificateSubject.canonical(_:)` form, unique across users. Nil: no certificate matches by subject.
    public var certificateSubject: String?
    /// When the user was created.
    public var created: Date

    /// Creates a user.
    public init(
        name: String, organisation: String, roles: Set<Role>, certificateSubject: String? = nil,
        created: Date = Date()
    ) {
        self.name = name
        self.organisation = organisation
        self.roles = roles
        self.certificateSubject = certificateSubject
        self.created = created
    }

    /// The policy engine's view of this user, authenticated by `method`.
    public func principal(authenticatedBy method: AuthenticationMethod) -> Principal {
        Principal(userName: name, organisation: organisation, roles: roles, authenticatedBy: method)
    }
}
