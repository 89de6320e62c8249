import Foundation
import GatewayCore
import Testing

/// `CatalogueStore.catalogueRevision()` changes with every write to the catalogue, and only then.
@Suite struct CatalogueRevisionConformanceTests {
    @Test(arguments: StoreEngine.all)
    func changesWhenAnythingInTheCatalogueChanges(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            let empty = try await store.catalogueRevision()
            #expect(empty.objectCount == 0 && empty.latestObjectUpdate == nil && empty.greatestElementSetID == nil)
            var seen: [CatalogueRevision] = [empty]
            func expectNew(_ comment: Comment) async throws {
                let revision = try await store.catalogueRevision()
                #expect(!seen.contains(revision), comment)
                #expect(try await store.catalogueRevision() == revision, "stable without writes")
                seen.append(revision)
            }

            try await store.createObject(Fixtures.object(90001, updated: 10))
            try await expectNew("object added")
            let added = try await store.appendElementSet(try Fixtures.elementSet(90001, day: "010.00000000"))
            let revision = try await store.catalogueRevision()
            #expect(revision.objectCount == 1 && revision.greatestElementSetID == added.id)
            #expect(revision.latestObjectUpdate == Fixtures.time(10))
            try await expectNew("element set added")
            // Same `updated`, same count, same sets: only the marking changes.
            var changed = Fixtures.object(90001, updated: 10)
            changed.marking = .restricted
            try await store.upsertObject(changed)
            try await expectNew("object changed without a new update time")
            _ = try await store.ingest(objects: [], elementSets: [try Fixtures.elementSet(90001, day: "011.00000000")])
            try await expectNew("ingest")
            try await store.createObject(Fixtures.object(90002, updated: 1))
            try await expectNew("older object added")
            try await store.deleteObject(noradID: 90002)
            try await expectNew("object deleted")
            try await store.deleteObject(noradID: 90001)
            try await expectNew("object and its sets deleted")

            _ = try await store.appendAudit(AuditStoreConformanceTests.record("operator-a", at: 1))
            try await store.createOrganisation(Organisation(name: "partner-9", created: Fixtures.time()))
            #expect(try await store.catalogueRevision() == seen.last, "writes outside the catalogue do not count")
        }
    }
}
