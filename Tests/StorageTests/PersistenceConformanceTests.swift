import Foundation
import GatewayCore
import Storage
import Testing

/// Reopening a database: the schema is migrated once and the data stays.
@Suite struct PersistenceConformanceTests {
    @Test(arguments: StoreEngine.all)
    func migrationsAreRecordedInOrderAndIdempotentOnReopen(_ engine: StoreEngine) async throws {
        try await engine.withDatabase { database in
            let expected = [
                AppliedMigration(version: 1, name: "identity"), AppliedMigration(version: 2, name: "catalogue"),
                AppliedMigration(version: 3, name: "audit"), AppliedMigration(version: 4, name: "certificate_subject"),
                AppliedMigration(version: 5, name: "products"), AppliedMigration(version: 6, name: "subscriptions"),
                AppliedMigration(version: 7, name: "observation_requests"),
                AppliedMigration(version: 8, name: "observation_request_quotas"),
            ]
            for _ in 0..<3 {
                let store = try await database.open()
                #expect(try await store.appliedMigrations() == expected)
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func dataSurvivesReopen(_ engine: StoreEngine) async throws {
        try await engine.withDatabase { database in
            let issued: IssuedAPIKey
            let appended: ElementSetRecord
            do {
                let store = try await database.open()
                try await Fixtures.seedIdentities(store)
                issued = try await store.issueAPIKey(for: "operator-a", at: Fixtures.time())
                try await store.upsertObject(Fixtures.object(90001, owner: "operator-a"))
                appended = try await store.appendElementSet(try Fixtures.elementSet(90001, day: "010.00000000"))
            }
            let reopened = try await database.open()
            #expect(try await reopened.users(organisation: nil).count == 3)
            #expect(try await reopened.authenticate(apiKeyText: issued.text)?.user.name == "operator-a")
            #expect(try await reopened.object(noradID: 90001) == Fixtures.object(90001, owner: "operator-a"))
            #expect(try await reopened.latestElementSet(noradID: 90001) == appended)
            // Identifiers keep increasing after a reopen.
            let next = try await reopened.appendElementSet(try Fixtures.elementSet(90001, day: "011.00000000"))
            #expect(try #require(next.id) > (try #require(appended.id)))
        }
    }
}
