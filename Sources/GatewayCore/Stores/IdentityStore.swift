import Foundation

/// Organisations, users, roles and API keys (DESIGN §4). Implemented by each storage engine; every engine passes
/// the same conformance suite.
///
/// Names are compared exactly (case-sensitive). Key generation and verification live in this module
/// (`issueAPIKey(for:at:)`, `authenticate(apiKeyText:at:)`), so engines only store records.
public protocol IdentityStore: Sendable {
    /// Adds an organisation; `conflict` when the name is taken, `invalid` when it is empty.
    func createOrganisation(_ organisation: Organisation) async throws(StoreError)
    /// The organisation named `name`; `notFound` when there is none.
    func organisation(named name: String) async throws(StoreError) -> Organisation
    /// Every organisation, by name.
    func organisations() async throws(StoreError) -> [Organisation]
    /// Replaces the organisation's display name; `notFound` when there is none.
    func updateOrganisation(_ organisation: Organisation) async throws(StoreError)
    /// Removes an organisation; `notFound` when there is none, `conflict` while users or objects refer to it.
    func deleteOrganisation(named name: String) async throws(StoreError)

    /// Adds a user; `conflict` when the name or the certificate subject is taken, `notFound` when the organisation
    /// does not exist, `invalid` for an empty name or a certificate subject that is not a distinguished name. The
    /// subject is stored in `CertificateSubject.canonical(_:)` form.
    func createUser(_ user: User) async throws(StoreError)
    /// The user named `name`, with roles; `notFound` when there is none.
    func user(named name: String) async throws(StoreError) -> User
    /// The user whose certificate subject is `certificateSubject` (compared in canonical form); `notFound` when there
    /// is none or the text is not a distinguished name.
    func user(certificateSubject: String) async throws(StoreError) -> User
    /// Users by name, only those of `organisation` when given.
    func users(organisation: String?) async throws(StoreError) -> [User]
    /// Replaces a user's organisation, roles and certificate subject; `notFound` for a missing user or organisation,
    /// `conflict` and `invalid` for the certificate subject as in `createUser`.
    func updateUser(_ user: User) async throws(StoreError)
    /// Removes a user and all their API keys; `notFound` when there is none.
    func deleteUser(named name: String) async throws(StoreError)

    /// Stores a key record (never a secret); `notFound` for a missing user, `conflict` for a taken id.
    func insertAPIKey(_ key: APIKey) async throws(StoreError)
    /// The key with `id`; `notFound` when there is none.
    func apiKey(id: String) async throws(StoreError) -> APIKey
    /// The user's keys, oldest first (revoked ones included); `notFound` for a missing user.
    func apiKeys(userName: String) async throws(StoreError) -> [APIKey]
    /// Sets the key's last-used time; `notFound` when there is none.
    func recordAPIKeyUse(id: String, at time: Date) async throws(StoreError)
    /// Revokes a key (keeping the first revocation time when already revoked); `notFound` when there is none.
    func revokeAPIKey(id: String, at time: Date) async throws(StoreError)
}

extension IdentityStore {
    /// Creates a key for `userName` and returns its text, which exists only in the result: the store keeps the
    /// record with the SHA-256 of the text. `notFound` for a missing user.
    public func issueAPIKey(for userName: String, at time: Date = Date()) async throws(StoreError) -> IssuedAPIKey {
        let issued = APIKey.generate(for: userName, at: time)
        try await insertAPIKey(issued.key)
        return issued
    }

    /// The key and user that `text` authenticates, recording the use at `time`; nil when the text is malformed,
    /// names no key, does not match the key's hash, or the key is revoked. Store failures still throw.
    public func authenticate(apiKeyText text: String, at time: Date = Date()) async throws(StoreError)
        -> APIKeyAuthentication?
    {
        guard let id = APIKey.id(inText: text) else { return nil }
        var key: APIKey
        do {
            key = try await apiKey(id: id)
        } catch .notFound {
            return nil
        }
        guard key.matches(text: text), !key.isRevoked else { return nil }
        try await recordAPIKeyUse(id: id, at: time)
        key.lastUsed = time
        return APIKeyAuthentication(key: key, user: try await user(named: key.userName))
    }
}
