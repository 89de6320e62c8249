import Foundation
import GatewayCore
import Testing

/// `CatalogueStore.ingest(objects:elementSets:)`: one transaction, duplicates skipped, all or nothing.
@Suite struct IngestConformanceTests {
    @Test(arguments: StoreEngine.all)
    func upsertsObjectsAndAppendsSetsSkippingDuplicates(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            try await store.createObject(Fixtures.object(90001, owner: "operator-a"))
            _ = try await store.appendElementSet(try Fixtures.elementSet(90001, day: "010.00000000"))

            var renamed = Fixtures.object(90001, owner: "operator-b", updated: 5)
            renamed.name = "RENAMED"
            let summary = try await store.ingest(
                objects: [renamed, Fixtures.object(90002), Fixtures.object(90003), Fixtures.object(90002, updated: 9)],
                elementSets: [
                    try Fixtures.elementSet(90001, day: "010.00000000"),  // already stored
                    try Fixtures.elementSet(90001, day: "011.00000000"),
                    try Fixtures.elementSet(90002, day: "011.00000000"),
                    try Fixtures.elementSet(90002, day: "011.00000000"),  // twice in the batch
                    try Fixtures.elementSet(90002, day: "011.00000000", source: "other"),
                ])
            #expect(
                summary
                    == IngestSummary(objectsCreated: 2, objectsUpdated: 1, elementSetsAdded: 3, elementSetsSkipped: 2))
            #expect(try await store.object(noradID: 90001) == renamed)
            #expect(try await store.object(noradID: 90002) == Fixtures.object(90002, updated: 9))
            let history = try await store.elementSetHistory(ElementSetFilter())
            #expect(history.map(\.noradID) == [90001, 90001, 90002, 90002])
            #expect(history.compactMap(\.id) == history.compactMap(\.id).sorted())
            #expect(try await store.ingest(objects: [], elementSets: []) == IngestSummary())
        }
    }

    @Test(arguments: StoreEngine.all)
    func writesNothingWhenAnyPartFails(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            try await store.createObject(Fixtures.object(90001))
            let before = try await store.catalogueRevision()

            await #expect(throws: StoreError.notFound(entity: "object", key: "90009")) {
                _ = try await store.ingest(
                    objects: [Fixtures.object(90002), Fixtures.object(90001, owner: "operator-a", updated: 7)],
                    elementSets: [
                        try Fixtures.elementSet(90002, day: "011.00000000"),
                        try Fixtures.elementSet(90009, day: "011.00000000"),
                    ])
            }
            await #expect(throws: StoreError.notFound(entity: "organisation", key: "ghost-org")) {
                _ = try await store.ingest(
                    objects: [Fixtures.object(90002), Fixtures.object(90003, owner: "ghost-org")],
                    elementSets: [try Fixtures.elementSet(90002, day: "011.00000000")])
            }
            await #expect(throws: StoreError.invalid("object 90004 needs a name")) {
                _ = try await store.ingest(
                    objects: [Fixtures.object(90002), CatalogueObject(noradID: 90004, name: "")], elementSets: [])
            }
            #expect(try await store.objects(CatalogueObjectFilter()).map(\.noradID) == [90001])
            #expect(try await store.object(noradID: 90001) == Fixtures.object(90001))
            #expect(try await store.elementSetHistory(ElementSetFilter()).isEmpty)
            #expect(try await store.catalogueRevision() == before)
        }
    }
}
