import Foundation
import GatewayCore
import Testing

/// `DemoDataSet.seed(into:now:)` on every engine.
@Suite struct DemoSeedConformanceTests {
    @Test(arguments: StoreEngine.all)
    func seedsOnceAndIssuesWorkingKeys(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let now = Date(timeIntervalSince1970: 1_767_225_600)
            #expect(try await DemoDataSet.isSeeded(in: store) == false)
            let keys = try await DemoDataSet.seed(into: store, now: now)
            #expect(
                Set(keys.keys) == [
                    "operator-a", "operator-b", "partner-1", "partner-2", "requester", "admin", "backend",
                ])
            for (user, key) in keys {
                #expect(try await store.authenticate(apiKeyText: key, at: now)?.user.name == user)
            }
            #expect(try await store.objects(CatalogueObjectFilter()).count == 1_100)
            #expect(try await store.elementSetHistory(ElementSetFilter(noradIDs: [90001])).count == 3)
            #expect(try await store.latestElementSets(ElementSetFilter()).count == 1_100)
            #expect(try await store.object(noradID: 91100).marking == .restricted)
            #expect(try await store.objects(CatalogueObjectFilter(owner: "operator-b")).count == 10)
            #expect(try await DemoDataSet.isSeeded(in: store))
            await #expect(throws: StoreError.self) { _ = try await DemoDataSet.seed(into: store, now: now) }
            #expect(try await store.organisations().count == 7)
        }
    }
}
