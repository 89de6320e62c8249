import CCSDS
import Foundation
import GatewayCore
import Policy
import Testing

/// `ProductStore`: products kept exactly, idempotent by content (also concurrently), one feed event each.
@Suite struct ProductStoreConformanceTests {
    @Test(arguments: StoreEngine.all)
    func storesAndReadsBackBytesAndMessageExactly(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let cdm = try Fixtures.product(
                fixture: Fixtures.cdmFixture, noradIDs: [90011, 90001, 90001], owners: ["operator-b", "operator-a"],
                participants: ["12345", "30337"])
            let tdm = try Fixtures.product(
                fixture: Fixtures.tdmFixture, provider: "partner-1", marking: .partners(["partner-2"]),
                participants: ["DSS-25", "MYSC"], received: 5)
            let stored = try await store.storeProduct(cdm)
            #expect(stored.created)
            let id = try #require(stored.product.id)
            var expected = cdm
            expected.id = id
            #expect(stored.product == expected)
            #expect(
                expected.noradIDs == [90001, 90011] && expected.ownerOrganisations == ["operator-a", "operator-b"])

            let read = try await store.product(id: id)
            #expect(read == expected)
            #expect(read.bytes == (try Fixtures.fixtureBytes(Fixtures.cdmFixture)), "byte-identical")
            #expect(read.message == (try Fixtures.fixtureMessage(Fixtures.cdmFixture)))
            #expect(read.contentHash == Product.contentHash(of: read.bytes) && read.contentHash.count == 64)

            let second = try await store.storeProduct(tdm)
            let tdmID = try #require(second.product.id)
            #expect(second.created && tdmID > id)
            #expect(try await store.product(id: tdmID).message == (try Fixtures.fixtureMessage(Fixtures.tdmFixture)))
            #expect(try await store.products(ProductFilter()).map(\.id) == [id, tdmID])
            #expect(try await store.productSummaries(ProductFilter()).map(\.id) == [id, tdmID])
            await #expect(throws: StoreError.notFound(entity: "product", key: "999999")) {
                _ = try await store.product(id: 999_999)
            }
        }
    }

    @Test func contentHashIsTheLowercaseHexSHA256() {
        #expect(Product.contentHash(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            Product.contentHash(of: Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test(arguments: StoreEngine.all)
    func sameBytesTwiceIsOneProductAndOneEvent(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let product = try Fixtures.product(fixture: Fixtures.cdmFixture, noradIDs: [90001])
            let first = try await store.storeProduct(product)
            var again = product
            again.submitter = "someone-else"
            again.received = Fixtures.time(99)
            let second = try await store.storeProduct(again)
            #expect(first.created && !second.created)
            #expect(second.product == first.product, "the product stored first, not the second submission")
            #expect(try await store.products(ProductFilter()).count == 1)
            #expect(try await store.feedEvents(FeedFilter()).map(\.productID) == [first.product.id])
        }
    }

    @Test(arguments: StoreEngine.all)
    func sameBytesOnSeveralConnectionsAtOnceIsOneProduct(_ engine: StoreEngine) async throws {
        try await engine.withDatabase { database in
            // Two stores on one database: separate connection pools, as two gateway instances would have.
            let stores = [try await database.open(), try await database.open()]
            let product = try Fixtures.product(fixture: Fixtures.cdmFixture, noradIDs: [90001])
            let results = try await withThrowingTaskGroup(of: StoredProduct.self) { group in
                for task in 0..<8 { group.addTask { try await stores[task % 2].storeProduct(product) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter(\.created).count == 1)
            #expect(Set(results.map(\.product.id)).count == 1)
            #expect(try await stores[0].products(ProductFilter()).count == 1)
            let events = try await stores[1].feedEvents(FeedFilter())
            #expect(events.map(\.id) == [1] && events.map(\.productID) == [results[0].product.id])
        }
    }

    @Test(arguments: StoreEngine.all)
    func rejectsInvalidProductsWritingNothing(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let valid = try Fixtures.product(fixture: Fixtures.cdmFixture)
            var noSubmitter = valid
            noSubmitter.submitter = ""
            var noProvider = valid
            noProvider.provider = ""
            var json = valid
            json.encoding = "json"
            var wrongKind = valid
            wrongKind.kind = .tdm
            var wrongHash = valid
            wrongHash.bytes.append(0x0A)
            for product in [noSubmitter, noProvider, json, wrongKind, wrongHash] {
                do {
                    _ = try await store.storeProduct(product)
                    Issue.record("stored an invalid product")
                } catch let error as StoreError {
                    if case .invalid = error {} else { Issue.record("\(error) is not `invalid`") }
                }
            }
            #expect(try await store.products(ProductFilter()).isEmpty)
            #expect(try await store.latestFeedEventID() == nil)
        }
    }

    @Test(arguments: StoreEngine.all)
    func productsAndCursorsSurviveReopen(_ engine: StoreEngine) async throws {
        try await engine.withDatabase { database in
            let stored: StoredProduct
            do {
                let store = try await database.open()
                stored = try await store.storeProduct(try Fixtures.product(fixture: Fixtures.tdmFixture))
            }
            let reopened = try await database.open()
            #expect(try await reopened.product(id: try #require(stored.product.id)) == stored.product)
            #expect(try await reopened.latestFeedEventID() == 1)
            let next = try await reopened.storeProduct(try Fixtures.product(fixture: Fixtures.cdmFixture))
            #expect(try #require(next.product.id) > (try #require(stored.product.id)))
            #expect(try await reopened.feedEvents(FeedFilter(afterID: 1)).map(\.id) == [2])
        }
    }
}
