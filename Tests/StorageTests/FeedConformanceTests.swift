import CCSDS
import Foundation
import GatewayCore
import Policy
import Testing

/// The feed: one event per stored product, appended state changes, filters, and ids that are gap-free and in
/// commit order under concurrent writers (a reader at the head never skips an event).
@Suite struct FeedConformanceTests {
    @Test(arguments: StoreEngine.all)
    func eachStoredProductAppendsOneEventCarryingItsScope(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            #expect(try await store.latestFeedEventID() == nil)
            #expect(try await store.feedEvents(FeedFilter()).isEmpty)
            let p = try await ProductFilterConformanceTests.seed(store)
            let events = try await store.feedEvents(FeedFilter())
            #expect(events.map(\.id) == [1, 2, 3, 4, 5, 6])
            #expect(events.map(\.productID) == p)
            #expect(events.allSatisfy { $0.type == FeedEvent.productStored && $0.details == nil })
            let products = try await store.products(ProductFilter())
            #expect(
                events
                    == products.enumerated().map { offset, product in
                        var event = FeedEvent(stored: product)
                        event.id = Int64(offset + 1)
                        return event
                    })
            #expect(
                events[0].noradIDs == [90001, 90011] && events[0].ownerOrganisations == ["operator-a", "operator-b"])
            #expect(events[3].kind == .tdm && events[3].provider == "partner-1")
            #expect(events[3].marking == .partners(["partner-2"]))
            #expect(try await store.latestFeedEventID() == 6)
        }
    }

    @Test(arguments: StoreEngine.all)
    func appendsStateChangesWithTheNextID(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let p = try await ProductFilterConformanceTests.seed(store)
            let change = FeedEvent(
                type: "observation-request.status", productID: p[3], noradIDs: [90001],
                ownerOrganisations: ["operator-a"], time: Fixtures.time(70), details: #"{"state":"ACCEPTED"}"#)
            let appended = try await store.appendFeedEvent(change)
            var expected = change
            expected.id = 7
            #expect(appended == expected)
            let unrelated = try await store.appendFeedEvent(FeedEvent(type: "maintenance", time: Fixtures.time(80)))
            #expect(unrelated.id == 8)
            #expect(try await store.feedEvents(FeedFilter(afterID: 6)) == [expected, unrelated])
            #expect(try await store.latestFeedEventID() == 8)

            await #expect(throws: StoreError.notFound(entity: "product", key: "999999")) {
                _ = try await store.appendFeedEvent(FeedEvent(type: "x", productID: 999_999, time: Fixtures.time()))
            }
            await #expect(throws: StoreError.invalid("a feed event needs a type")) {
                _ = try await store.appendFeedEvent(FeedEvent(type: "", time: Fixtures.time()))
            }
            #expect(try await store.latestFeedEventID() == 8, "a failed append takes no id")
            #expect(try await store.appendFeedEvent(FeedEvent(type: "maintenance", time: Fixtures.time())).id == 9)
        }
    }

    @Test(arguments: StoreEngine.all)
    func filtersByCursorLimitTypeAndScope(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            _ = try await ProductFilterConformanceTests.seed(store)
            _ = try await store.appendFeedEvent(
                FeedEvent(
                    type: "observation-request.status", ownerOrganisations: ["operator-a"], time: Fixtures.time(70),
                    details: "{}"))
            func ids(_ filter: FeedFilter) async throws -> [Int64] { try await store.feedEvents(filter).map(\.id) }
            #expect(try await ids(FeedFilter(afterID: 2, limit: 3)) == [3, 4, 5])
            #expect(try await ids(FeedFilter(afterID: 7)) == [])
            #expect(try await ids(FeedFilter(limit: 0)) == [])
            #expect(try await ids(FeedFilter(types: ["observation-request.status"])) == [7])
            #expect(try await ids(FeedFilter(limit: 2, types: [FeedEvent.productStored])) == [1, 2])
            #expect(try await ids(FeedFilter(types: [])) == [])
            let operatorA = ProductScope(organisation: "operator-a", ownedByOrganisation: true)
            #expect(try await ids(FeedFilter(scope: operatorA)) == [1, 2, 7])
            #expect(try await ids(FeedFilter(afterID: 1, scope: operatorA)) == [2, 7])
            #expect(try await ids(FeedFilter(afterID: 1, limit: 1, scope: operatorA)) == [2])
            let partner2 = ProductScope(
                organisation: "partner-2", providedByOrganisation: true, sharedWithOrganisation: true)
            #expect(try await ids(FeedFilter(scope: partner2)) == [4, 5])
            #expect(try await ids(FeedFilter(scope: ProductScope(organisation: "x", markings: [.public]))) == [6])

            // Every scope agrees with the rule, events without a marking included.
            let all = try await store.feedEvents(FeedFilter())
            for organisation in ["operator-a", "operator-b", "partner-1", "partner-2", "ssa-centre"] {
                for flags in 0..<8 {
                    let scope = ProductScope(
                        organisation: organisation, ownedByOrganisation: flags & 1 != 0,
                        providedByOrganisation: flags & 2 != 0, sharedWithOrganisation: flags & 4 != 0,
                        markings: flags == 7 ? [.public] : [])
                    #expect(try await ids(FeedFilter(scope: scope)) == all.filter(scope.includes).map(\.id))
                }
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func concurrentWritersGiveGapFreeIDsInCommitOrder(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let cdm = try Fixtures.fixtureMessage(Fixtures.cdmFixture)
            let writers = 8
            let perWriter = 50
            let total = Int64(writers * perWriter)
            // The reader polls at the head while the writers run: every page must continue exactly at its cursor,
            // which fails if an id ever became visible before a smaller one.
            let observed: [Int64] = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for index in 0..<perWriter {
                            let product = Fixtures.synthetic(
                                "\(writer)-\(index)", message: cdm, noradIDs: [90000 + writer],
                                owners: ["operator-\(writer)"], received: index)
                            let stored = try await store.storeProduct(product)
                            #expect(stored.created)
                        }
                        return []
                    }
                }
                group.addTask {
                    var seen: [Int64] = []
                    var cursor: Int64 = 0
                    let deadline = ContinuousClock.now + .seconds(120)
                    while cursor < total, ContinuousClock.now < deadline {
                        let page = try await store.feedEvents(FeedFilter(afterID: cursor, limit: 64)).map(\.id)
                        #expect(page == Array((cursor + 1)..<(cursor + 1 + Int64(page.count))), "after \(cursor)")
                        seen += page
                        cursor = page.last ?? cursor
                        if page.isEmpty { try await Task.sleep(for: .milliseconds(1)) }
                    }
                    return seen
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(observed == Array(1...total), "the polling reader saw every id once, in order")

            let events = try await store.feedEvents(FeedFilter())
            #expect(events.map(\.id) == Array(1...total))
            let products = try await store.products(ProductFilter())
            #expect(products.count == Int(total))
            #expect(Set(events.compactMap(\.productID)) == Set(products.compactMap(\.id)))
            #expect(events.compactMap(\.productID).count == Int(total), "one event per product")
            #expect(try await store.latestFeedEventID() == total)
        }
    }
}
