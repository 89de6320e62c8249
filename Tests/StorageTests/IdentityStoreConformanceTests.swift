import Crypto
import Foundation
import GatewayCore
import Policy
import Testing

/// `IdentityStore` behaviour every engine must have.
@Suite struct IdentityStoreConformanceTests {
    @Test(arguments: StoreEngine.all)
    func createsReadsUpdatesAndDeletesOrganisations(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let org = Organisation(name: "operator-a", displayName: "Operator A", created: Fixtures.time())
            try await store.createOrganisation(org)
            try await store.createOrganisation(Organisation(name: "admin", created: Fixtures.time(5)))
            #expect(try await store.organisation(named: "operator-a") == org)
            #expect(try await store.organisations().map(\.name) == ["admin", "operator-a"])

            var renamed = org
            renamed.displayName = "Operator A Ltd"
            try await store.updateOrganisation(renamed)
            #expect(try await store.organisation(named: "operator-a").displayName == "Operator A Ltd")

            try await store.deleteOrganisation(named: "admin")
            await #expect(throws: StoreError.notFound(entity: "organisation", key: "admin")) {
                try await store.organisation(named: "admin")
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func refusesDuplicateEmptyAndMissingOrganisations(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await store.createOrganisation(Organisation(name: "operator-a", created: Fixtures.time()))
            await #expect(
                throws: StoreError.conflict(entity: "organisation", key: "operator-a", reason: "already exists")
            ) {
                try await store.createOrganisation(Organisation(name: "operator-a"))
            }
            await #expect(throws: StoreError.invalid("an organisation needs a name")) {
                try await store.createOrganisation(Organisation(name: ""))
            }
            await #expect(throws: StoreError.notFound(entity: "organisation", key: "nobody")) {
                try await store.updateOrganisation(Organisation(name: "nobody"))
            }
            await #expect(throws: StoreError.notFound(entity: "organisation", key: "nobody")) {
                try await store.deleteOrganisation(named: "nobody")
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func organisationInUseCannotBeDeleted(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            try await store.createOrganisation(Organisation(name: "owner-only", created: Fixtures.time()))
            try await store.createObject(Fixtures.object(90001, owner: "owner-only"))
            for name in ["operator-a", "owner-only"] {
                await #expect {
                    try await store.deleteOrganisation(named: name)
                } throws: { error in
                    if case .conflict(entity: "organisation", key: name, reason: _) = error as? StoreError {
                        true
                    } else {
                        false
                    }
                }
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func createsReadsUpdatesAndDeletesUsersWithRoles(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            let admin = try await store.user(named: "admin")
            #expect(
                admin
                    == User(name: "admin", organisation: "admin", roles: [.admin, .operator], created: Fixtures.time()))
            #expect(admin.principal(authenticatedBy: .apiKey).roles == [.admin, .operator])
            #expect(try await store.users(organisation: nil).map(\.name) == ["admin", "operator-a", "operator-b"])
            #expect(try await store.users(organisation: "operator-b").map(\.name) == ["operator-b"])

            var moved = try await store.user(named: "operator-a")
            moved.organisation = "operator-b"
            moved.roles = [.partner, .requester]
            try await store.updateUser(moved)
            #expect(try await store.user(named: "operator-a") == moved)
            #expect(try await store.users(organisation: "operator-a").isEmpty)

            var roleless = moved
            roleless.roles = []
            try await store.updateUser(roleless)
            #expect(try await store.user(named: "operator-a").roles.isEmpty)

            try await store.deleteUser(named: "operator-a")
            await #expect(throws: StoreError.notFound(entity: "user", key: "operator-a")) {
                try await store.user(named: "operator-a")
            }
            await #expect(throws: StoreError.notFound(entity: "user", key: "operator-a")) {
                try await store.deleteUser(named: "operator-a")
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func refusesDuplicateUsersAndUnknownOrganisations(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            await #expect(throws: StoreError.conflict(entity: "user", key: "admin", reason: "already exists")) {
                try await store.createUser(User(name: "admin", organisation: "operator-a", roles: []))
            }
            await #expect(throws: StoreError.notFound(entity: "organisation", key: "ghost-org")) {
                try await store.createUser(User(name: "ghost", organisation: "ghost-org", roles: [.partner]))
            }
            await #expect(throws: StoreError.notFound(entity: "organisation", key: "ghost-org")) {
                try await store.updateUser(User(name: "admin", organisation: "ghost-org", roles: []))
            }
            await #expect(throws: StoreError.notFound(entity: "user", key: "ghost")) {
                try await store.updateUser(User(name: "ghost", organisation: "admin", roles: []))
            }
            await #expect(throws: StoreError.invalid("a user needs a name")) {
                try await store.createUser(User(name: "", organisation: "admin", roles: []))
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func issuedKeyShowsItsSecretOnceAndStoresOnlyTheHash(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            let issued = try await store.issueAPIKey(for: "operator-a", at: Fixtures.time(10))

            // essor_<16 hex>_<43 base64url characters = 256 bits>
            #expect(issued.text.hasPrefix("essor_" + issued.key.id + "_"))
            #expect(issued.key.id.count == 16)
            #expect(issued.key.prefix == "essor_" + issued.key.id)
            let secret = issued.text.dropFirst(("essor_" + issued.key.id + "_").count)
            #expect(secret.count == 43)
            #expect(secret.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            var base64 = secret.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += "="
            #expect(Data(base64Encoded: base64)?.count == 32)

            let stored = try await store.apiKey(id: issued.key.id)
            #expect(stored == issued.key)
            #expect(stored.hash == Array(SHA256.hash(data: Array(issued.text.utf8))))
            #expect(stored.userName == "operator-a")
            #expect(stored.created == Fixtures.time(10))
            #expect(stored.lastUsed == nil && stored.revoked == nil)
            // Nothing read back carries the secret.
            #expect(!String(describing: stored).contains(String(secret)))
            #expect(!String(describing: try await store.apiKeys(userName: "operator-a")).contains(String(secret)))

            let other = try await store.issueAPIKey(for: "operator-a", at: Fixtures.time(11))
            #expect(other.text != issued.text && other.key.id != issued.key.id)
        }
    }

    @Test(arguments: StoreEngine.all)
    func verifiesKeysAndRecordsLastUse(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            let issued = try await store.issueAPIKey(for: "admin", at: Fixtures.time())

            let first = try #require(try await store.authenticate(apiKeyText: issued.text, at: Fixtures.time(60)))
            #expect(first.user.name == "admin" && first.user.roles == [.admin, .operator])
            #expect(first.key.lastUsed == Fixtures.time(60))
            #expect(try await store.apiKey(id: issued.key.id).lastUsed == Fixtures.time(60))

            _ = try await store.authenticate(apiKeyText: issued.text, at: Fixtures.time(120))
            #expect(try await store.apiKey(id: issued.key.id).lastUsed == Fixtures.time(120))

            // A changed secret, a malformed text and an unknown id authenticate nobody and record nothing.
            var tampered = issued.text
            tampered.removeLast()
            tampered.append(issued.text.last == "A" ? "B" : "A")
            #expect(try await store.authenticate(apiKeyText: tampered, at: Fixtures.time(999)) == nil)
            #expect(try await store.authenticate(apiKeyText: "Bearer nonsense") == nil)
            #expect(try await store.authenticate(apiKeyText: "essor_0123456789abcdef_secret") == nil)
            #expect(try await store.authenticate(apiKeyText: "essor_" + issued.key.id) == nil)
            #expect(try await store.apiKey(id: issued.key.id).lastUsed == Fixtures.time(120))
        }
    }

    @Test(arguments: StoreEngine.all)
    func revokedKeysNoLongerAuthenticate(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            let issued = try await store.issueAPIKey(for: "operator-b", at: Fixtures.time())
            #expect(try await store.authenticate(apiKeyText: issued.text) != nil)

            try await store.revokeAPIKey(id: issued.key.id, at: Fixtures.time(30))
            try await store.revokeAPIKey(id: issued.key.id, at: Fixtures.time(90))
            let revoked = try await store.apiKey(id: issued.key.id)
            #expect(revoked.revoked == Fixtures.time(30))
            #expect(revoked.isRevoked)
            #expect(try await store.authenticate(apiKeyText: issued.text) == nil)

            await #expect(throws: StoreError.notFound(entity: "api key", key: "0000000000000000")) {
                try await store.revokeAPIKey(id: "0000000000000000", at: Fixtures.time())
            }
            await #expect(throws: StoreError.notFound(entity: "api key", key: "0000000000000000")) {
                try await store.recordAPIKeyUse(id: "0000000000000000", at: Fixtures.time())
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func usersHoldSeveralIndependentKeys(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            var issued: [IssuedAPIKey] = []
            for second in 0..<3 {
                issued.append(try await store.issueAPIKey(for: "operator-a", at: Fixtures.time(second)))
            }
            _ = try await store.issueAPIKey(for: "operator-b", at: Fixtures.time())
            #expect(try await store.apiKeys(userName: "operator-a").map(\.id) == issued.map(\.key.id))

            try await store.revokeAPIKey(id: issued[1].key.id, at: Fixtures.time(5))
            #expect(try await store.authenticate(apiKeyText: issued[0].text)?.user.name == "operator-a")
            #expect(try await store.authenticate(apiKeyText: issued[1].text) == nil)
            #expect(try await store.authenticate(apiKeyText: issued[2].text)?.key.id == issued[2].key.id)
            #expect(try await store.apiKeys(userName: "operator-a").map(\.isRevoked) == [false, true, false])

            // Deleting the user deletes the keys.
            try await store.deleteUser(named: "operator-a")
            await #expect(throws: StoreError.notFound(entity: "api key", key: issued[0].key.id)) {
                try await store.apiKey(id: issued[0].key.id)
            }
            #expect(try await store.authenticate(apiKeyText: issued[0].text) == nil)
            await #expect(throws: StoreError.notFound(entity: "user", key: "operator-a")) {
                try await store.apiKeys(userName: "operator-a")
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func refusesKeysForUnknownUsersAndDuplicateIDs(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            await #expect(throws: StoreError.notFound(entity: "user", key: "ghost")) {
                try await store.issueAPIKey(for: "ghost")
            }
            let issued = try await store.issueAPIKey(for: "admin")
            await #expect(throws: StoreError.conflict(entity: "api key", key: issued.key.id, reason: "already exists"))
            {
                try await store.insertAPIKey(issued.key)
            }
        }
    }
}
