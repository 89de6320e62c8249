import GatewayCore

extension IdentityStore {
    /// Whether the store has an organisation named `name`.
    func hasOrganisation(named name: String) async throws(StoreError) -> Bool {
        do {
            _ = try await organisation(named: name)
            return true
        } catch .notFound {
            return false
        }
    }
}

extension CatalogueStore {
    /// The object with `noradID`, or nil when the catalogue has none.
    func objectIfPresent(noradID: Int) async throws(StoreError) -> CatalogueObject? {
        do {
            return try await object(noradID: noradID)
        } catch .notFound {
            return nil
        }
    }
}
