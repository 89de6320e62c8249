import Foundation

extension DemoDataSet {
    /// Whether `store` already holds the demo data set (its `operator-a` organisation).
    public static func isSeeded(in store: some IdentityStore) async throws(StoreError) -> Bool {
        do {
            _ = try await store.organisation(named: "operator-a")
            return true
        } catch .notFound {
            return false
        }
    }

    /// Seeds `store` with the data set built around `now`: organisations, users, then the catalogue in one atomic
    /// `ingest`, then one fresh API key per user, then the demo products (CDMs, TDMs; `products(now:)`), then the demo observation requests
    /// (`seedRequests`). Returns user name → key text (shown once: the store keeps only
    /// hashes).
    ///
    /// Refuses with `conflict` when the store already holds the demo organisations (run it on a fresh database).
    public static func seed(into store: some GatewayStore, now: Date = Date()) async throws(StoreError)
        -> [String: String]
    {
        if try await isSeeded(in: store) {
            throw .conflict(
                entity: "demo data set", key: "operator-a",
                reason: "already seeded: the store holds the demo organisations")
        }
        let data = DemoDataSet(now: now)
        for organisation in data.organisations { try await store.createOrganisation(organisation) }
        for user in data.users { try await store.createUser(user) }
        _ = try await store.ingest(objects: data.objects, elementSets: data.elementSets)
        var keys: [String: String] = [:]
        for user in data.users { keys[user.name] = try await store.issueAPIKey(for: user.name, at: now).text }
        let owners = Dictionary(uniqueKeysWithValues: data.objects.compactMap { object in
            object.owner.map { (object.noradID, $0) }
        })
        for demo in Self.products(now: now) {
            let parsed: ParsedProduct
            do {
                parsed = try ProductSubmission.parse(Array(demo.text.utf8))
            } catch {
                throw .invalid("demo product from \(demo.submitter) does not validate: \(error.description)")
            }
            let submission = ProductSubmission(
                submitter: demo.submitter, provider: demo.provider, marking: demo.marking, received: now)
            _ = try await store.storeProduct(
                submission.product(parsed, ownerOrganisations: parsed.facts.noradIDs.compactMap { owners[$0] }))
        }
        try await seedRequests(into: store, now: now)
        return keys
    }
}
