import CCSDS
import Foundation
import GatewayCore
import Testing

/// `CatalogueStore` behaviour every engine must have.
@Suite struct CatalogueStoreConformanceTests {
    @Test(arguments: StoreEngine.all)
    func createsReadsAndDeletesObjects(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            let object = CatalogueObject(
                noradID: 90001, cosparID: "2024-001A", name: "SYNTHETIC 90001", type: .rocketBody,
                owner: "operator-a", marking: .partners(["partner-1"]),
                launchDate: CalendarDate(year: 2024, month: 1, day: 5),
                decayDate: CalendarDate(year: 2025, month: 12, day: 31), updated: Fixtures.time())
            try await store.createObject(object)
            try await store.createObject(
                CatalogueObject(noradID: 339_999 + 1, name: "OMM ONLY", updated: Fixtures.time()))
            #expect(try await store.object(noradID: 90001) == object)
            let bare = try await store.object(noradID: 340_000)
            #expect(bare.owner == nil && bare.cosparID == nil && bare.launchDate == nil && bare.marking == .public)

            await #expect(throws: StoreError.conflict(entity: "object", key: "90001", reason: "already exists")) {
                try await store.createObject(object)
            }
            try await store.deleteObject(noradID: 90001)
            await #expect(throws: StoreError.notFound(entity: "object", key: "90001")) {
                try await store.object(noradID: 90001)
            }
            await #expect(throws: StoreError.notFound(entity: "object", key: "90001")) {
                try await store.deleteObject(noradID: 90001)
            }
            await #expect(throws: StoreError.notFound(entity: "organisation", key: "ghost-org")) {
                try await store.createObject(Fixtures.object(90002, owner: "ghost-org"))
            }
            await #expect(throws: StoreError.invalid("object 90003 needs a name")) {
                try await store.upsertObject(CatalogueObject(noradID: 90003, name: ""))
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func upsertReplacesTheRecordAndKeepsItsHistory(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            try await store.upsertObject(Fixtures.object(90001, owner: "operator-a"))
            _ = try await store.appendElementSet(try Fixtures.elementSet(90001, day: "010.00000000"))

            var changed = Fixtures.object(90001, owner: "operator-b", updated: 60)
            changed.name = "RENAMED"
            changed.marking = .restricted
            changed.decayDate = CalendarDate(year: 2026, month: 3, day: 1)
            try await store.upsertObject(changed)
            #expect(try await store.object(noradID: 90001) == changed)
            #expect(try await store.elementSetHistory(ElementSetFilter(noradIDs: [90001])).count == 1)
            await #expect(throws: StoreError.notFound(entity: "organisation", key: "ghost-org")) {
                try await store.upsertObject(Fixtures.object(90001, owner: "ghost-org"))
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func listsObjectsByOwnerUpdateTimeAndIDsWithPaging(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            for id in 90001...90010 {
                let owner = id <= 90005 ? "operator-a" : (id <= 90008 ? "operator-b" : nil)
                try await store.upsertObject(Fixtures.object(id, owner: owner, updated: id - 90000))
            }
            let all = try await store.objects(CatalogueObjectFilter())
            #expect(all.map(\.noradID) == Array(90001...90010))
            #expect(
                try await store.objects(CatalogueObjectFilter(owner: "operator-b")).map(\.noradID) == [
                    90006, 90007, 90008,
                ])
            #expect(try await store.objects(CatalogueObjectFilter(owner: "nobody")).isEmpty)
            #expect(
                try await store.objects(CatalogueObjectFilter(updatedSince: Fixtures.time(8))).map(\.noradID)
                    == [90008, 90009, 90010])
            #expect(
                try await store.objects(CatalogueObjectFilter(owner: "operator-a", updatedSince: Fixtures.time(4)))
                    .map(\.noradID) == [90004, 90005])
            #expect(
                try await store.objects(CatalogueObjectFilter(noradIDs: [90010, 90002, 12345])).map(\.noradID)
                    == [90002, 90010])

            var pages: [[Int]] = []
            var after: Int? = nil
            repeat {
                let page = try await store.objects(CatalogueObjectFilter(afterNoradID: after, limit: 4))
                pages.append(page.map(\.noradID))
                after = page.last?.noradID
            } while pages.last?.count == 4
            #expect(pages == [Array(90001...90004), Array(90005...90008), [90009, 90010]])
        }
    }

    @Test(arguments: StoreEngine.all)
    func keepsElementSetHistoryOrderedByEpoch(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            try await store.upsertObject(Fixtures.object(90001, owner: "operator-a"))
            try await store.upsertObject(Fixtures.object(90002))
            // Appended out of epoch order.
            var appended: [ElementSetRecord] = []
            for (day, received) in [("012.50000000", 1), ("010.25000000", 2), ("011.00000001", 3)] {
                appended.append(
                    try await store.appendElementSet(try Fixtures.elementSet(90001, day: day, received: received)))
            }
            _ = try await store.appendElementSet(try Fixtures.elementSet(90002, day: "001.00000000"))
            let ids = appended.compactMap(\.id)
            #expect(ids.count == 3 && ids == ids.sorted() && Set(ids).count == 3)

            let history = try await store.elementSetHistory(ElementSetFilter(noradIDs: [90001]))
            #expect(
                history.map(\.epoch.description) == [
                    "2024-01-10T06:00:00.000000", "2024-01-11T00:00:00.000864", "2024-01-12T12:00:00.000000",
                ])
            #expect(history.map(\.id) == [appended[1].id, appended[2].id, appended[0].id])
            // What comes back is the OMM that went in, with its provenance.
            #expect(history[2] == appended[0])
            #expect(
                JSONMessageWriter.write(history[2].omm)
                    == JSONMessageWriter.write(Fixtures.omm(90001, day: "012.50000000")))
            #expect(history[2].received == Fixtures.time(1) && history[2].source == "test")
            #expect(try TLE(omm: history[2].omm).catalogueNumber == 90001)

            let everything = try await store.elementSetHistory(ElementSetFilter())
            #expect(everything.map(\.noradID) == [90001, 90001, 90001, 90002])
            #expect(try await store.elementSetHistory(ElementSetFilter(owner: "operator-a")).count == 3)
            #expect(
                try await store.elementSetHistory(ElementSetFilter(noradIDs: [90001], limit: 2)).map(\.id)
                    == [appended[1].id, appended[2].id])
        }
    }

    @Test(arguments: StoreEngine.all)
    func returnsTheLatestElementSetPerObject(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            for id in 90001...90003 {
                try await store.upsertObject(Fixtures.object(id, owner: id == 90003 ? "operator-b" : "operator-a"))
            }
            try await store.upsertObject(Fixtures.object(90004))  // no element set
            _ = try await store.appendElementSet(try Fixtures.elementSet(90001, day: "020.00000000"))
            _ = try await store.appendElementSet(try Fixtures.elementSet(90001, day: "010.00000000", received: 5))
            _ = try await store.appendElementSet(try Fixtures.elementSet(90002, day: "015.00000000"))
            // Same epoch from two sources: the later append wins.
            _ = try await store.appendElementSet(try Fixtures.elementSet(90003, day: "015.00000000", source: "a"))
            let second = try await store.appendElementSet(
                try Fixtures.elementSet(90003, day: "015.00000000", source: "b"))

            #expect(try await store.latestElementSet(noradID: 90001).epoch.description == "2024-01-20T00:00:00.000000")
            #expect(try await store.latestElementSet(noradID: 90003) == second)
            let latest = try await store.latestElementSets(ElementSetFilter())
            #expect(latest.map(\.noradID) == [90001, 90002, 90003])
            #expect(latest.map(\.epoch.dayOfYear) == [20, 15, 15])
            #expect(
                try await store.latestElementSets(ElementSetFilter(owner: "operator-a")).map(\.noradID) == [
                    90001, 90002,
                ])
            #expect(
                try await store.latestElementSets(ElementSetFilter(noradIDs: [90003, 90004])).map(\.noradID) == [90003])
            #expect(try await store.latestElementSets(ElementSetFilter(limit: 1)).map(\.noradID) == [90001])

            await #expect(throws: StoreError.notFound(entity: "element set", key: "90004")) {
                try await store.latestElementSet(noradID: 90004)
            }
            await #expect(throws: StoreError.notFound(entity: "element set", key: "99999")) {
                try await store.latestElementSet(noradID: 99999)
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func pullsIncrementallyByReceivedTime(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            for id in 90001...90003 { try await store.upsertObject(Fixtures.object(id)) }
            _ = try await store.appendElementSet(try Fixtures.elementSet(90001, day: "010.00000000", received: 0))
            _ = try await store.appendElementSet(try Fixtures.elementSet(90002, day: "010.00000000", received: 10))
            _ = try await store.appendElementSet(try Fixtures.elementSet(90001, day: "011.00000000", received: 20))
            // A late-arriving older epoch: in the history since t, but not the object's latest.
            _ = try await store.appendElementSet(try Fixtures.elementSet(90003, day: "012.00000000", received: 0))
            _ = try await store.appendElementSet(try Fixtures.elementSet(90003, day: "009.00000000", received: 30))

            let since10 = ElementSetFilter(receivedSince: Fixtures.time(10))
            #expect(
                try await store.elementSetHistory(since10).map { "\($0.noradID)/\($0.epoch.dayOfYear)" }
                    == ["90001/11", "90002/10", "90003/9"])
            #expect(try await store.latestElementSets(since10).map(\.noradID) == [90001, 90002])
            #expect(try await store.latestElementSets(ElementSetFilter(receivedSince: Fixtures.time(21))).isEmpty)
            #expect(try await store.elementSetHistory(ElementSetFilter(receivedSince: Fixtures.time(31))).isEmpty)
            #expect(try await store.elementSetHistory(ElementSetFilter(receivedSince: Fixtures.time(30))).count == 1)
        }
    }

    @Test(arguments: StoreEngine.all)
    func refusesDuplicateAndOrphanElementSets(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            try await store.upsertObject(Fixtures.object(90001))
            _ = try await store.appendElementSet(try Fixtures.elementSet(90001, day: "010.00000000", source: "backend"))
            await #expect {
                try await store.appendElementSet(
                    try Fixtures.elementSet(90001, day: "010.00000000", received: 9, source: "backend"))
            } throws: { error in
                if case .conflict(entity: "element set", key: _, reason: _) = error as? StoreError {
                    true
                } else {
                    false
                }
            }
            _ = try await store.appendElementSet(try Fixtures.elementSet(90001, day: "010.00000000", source: "import"))
            await #expect(throws: StoreError.notFound(entity: "object", key: "90009")) {
                try await store.appendElementSet(try Fixtures.elementSet(90009, day: "010.00000000"))
            }
            // Deleting the object deletes its history.
            try await store.deleteObject(noradID: 90001)
            try await store.upsertObject(Fixtures.object(90001))
            #expect(try await store.elementSetHistory(ElementSetFilter(noradIDs: [90001])).isEmpty)
        }
    }
}
