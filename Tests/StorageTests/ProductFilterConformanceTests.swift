import CCSDS
import Foundation
import GatewayCore
import Policy
import Testing

/// `ProductStore.products(_:)` and `productSummaries(_:)`: every filter condition, scopes and paging, the same on
/// every engine.
@Suite struct ProductFilterConformanceTests {
    /// Six products: three CDMs from the SSA centre, a TDM partner-1 shares with partner-2, partner-2's own TDM and
    /// a public OMM, received in that order.
    static func catalogue() throws -> [Product] {
        let cdm = try Fixtures.fixtureMessage(Fixtures.cdmFixture)
        let tdm = try Fixtures.fixtureMessage(Fixtures.tdmFixture)
        let omm = try Fixtures.fixtureMessage(Fixtures.ommFixture)
        return [
            Fixtures.synthetic(
                "cdm-ab", message: cdm, noradIDs: [90001, 90011], owners: ["operator-a", "operator-b"],
                participants: ["90001", "90011"], start: 1000, stop: 1000, pc: 1e-3, miss: 200, received: 10),
            Fixtures.synthetic(
                "cdm-a", message: cdm, noradIDs: [90002, 99999], owners: ["operator-a"],
                participants: ["90002", "99999"], start: 2000, stop: 2000, pc: 1e-6, miss: 5000, received: 20),
            Fixtures.synthetic(
                "cdm-b", message: cdm, noradIDs: [90012, 99998], owners: ["operator-b"],
                participants: ["90012", "99998"], start: 3000, stop: 3000, miss: 800, received: 30),
            Fixtures.synthetic(
                "tdm-1", message: tdm, provider: "partner-1", marking: .partners(["partner-2"]),
                participants: ["DSS-25", "MYSC"], start: 500, stop: 1500, received: 40),
            Fixtures.synthetic(
                "tdm-2", message: tdm, provider: "partner-2", participants: ["DSS-34", "MYSC"], start: 2500,
                stop: 3500, received: 50),
            Fixtures.synthetic(
                "omm", message: omm, marking: .public, noradIDs: [90020], start: 100, received: 60),
        ]
    }

    /// Stores the catalogue and returns the product ids in order.
    static func seed(_ store: some ProductStore) async throws -> [Int64] {
        var ids: [Int64] = []
        for product in try catalogue() { ids.append(try #require(try await store.storeProduct(product).product.id)) }
        return ids
    }

    @Test(arguments: StoreEngine.all)
    func everyConditionSelects(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let p = try await Self.seed(store)
            func ids(_ filter: ProductFilter) async throws -> [Int64] {
                try await store.products(filter).compactMap(\.id)
            }
            #expect(try await ids(ProductFilter()) == p)
            #expect(try await ids(ProductFilter(kinds: [.tdm])) == [p[3], p[4]])
            #expect(try await ids(ProductFilter(kinds: [.cdm, .omm])) == [p[0], p[1], p[2], p[5]])
            #expect(try await ids(ProductFilter(kinds: [])) == [])
            #expect(try await ids(ProductFilter(noradIDs: [90001])) == [p[0]])
            #expect(try await ids(ProductFilter(noradIDs: [90011, 90012])) == [p[0], p[2]])
            #expect(try await ids(ProductFilter(noradIDs: [12345])) == [])
            #expect(try await ids(ProductFilter(timeFrom: Fixtures.time(1500))) == [p[1], p[2], p[3], p[4]])
            #expect(try await ids(ProductFilter(timeTo: Fixtures.time(1000))) == [p[0], p[3], p[5]])
            #expect(
                try await ids(ProductFilter(timeFrom: Fixtures.time(1200), timeTo: Fixtures.time(2600)))
                    == [p[1], p[3], p[4]])
            #expect(try await ids(ProductFilter(minimumCollisionProbability: 1e-4)) == [p[0]])
            #expect(try await ids(ProductFilter(minimumCollisionProbability: 0)) == [p[0], p[1]])
            #expect(try await ids(ProductFilter(maximumMissDistanceMetres: 1000)) == [p[0], p[2]])
            #expect(try await ids(ProductFilter(receivedSince: Fixtures.time(30))) == [p[2], p[3], p[4], p[5]])
            #expect(try await ids(ProductFilter(provider: "partner-1")) == [p[3]])
            #expect(try await ids(ProductFilter(participant: "DSS-25")) == [p[3]])
            #expect(try await ids(ProductFilter(participant: "MYSC")) == [p[3], p[4]])
            #expect(try await ids(ProductFilter(participant: "90011")) == [p[0]])
            #expect(
                try await ids(
                    ProductFilter(kinds: [.cdm], noradIDs: [90001, 90002, 90012], minimumCollisionProbability: 1e-7))
                    == [p[0], p[1]])
        }
    }

    @Test(arguments: StoreEngine.all)
    func scopesSelectOwnedProvidedSharedAndMarkedProducts(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let p = try await Self.seed(store)
            func ids(_ scope: ProductScope) async throws -> [Int64] {
                try await store.products(ProductFilter(scope: scope)).compactMap(\.id)
            }
            #expect(try await ids(ProductScope(organisation: "operator-a", ownedByOrganisation: true)) == [p[0], p[1]])
            #expect(
                try await ids(ProductScope(organisation: "operator-b", ownedByOrganisation: true, markings: [.public]))
                    == [p[0], p[2], p[5]])
            let partner = { (name: String) in
                ProductScope(organisation: name, providedByOrganisation: true, sharedWithOrganisation: true)
            }
            #expect(try await ids(partner("partner-2")) == [p[3], p[4]])
            #expect(try await ids(partner("partner-1")) == [p[3]])
            #expect(try await ids(partner("partner-3")) == [])
            #expect(try await ids(ProductScope(organisation: "operator-a")) == [], "a scope granting nothing")
            #expect(
                try await ids(ProductScope(organisation: "nobody", markings: [.restricted]))
                    == [p[0], p[1], p[2], p[4]])
            #expect(
                try await ids(
                    ProductScope(organisation: "partner-2", sharedWithOrganisation: true, markings: [.partners]))
                    == [p[3]])
        }
    }

    @Test(arguments: StoreEngine.all)
    func storesAgreeWithTheScopeRuleForEveryScope(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            _ = try await Self.seed(store)
            let all = try await store.products(ProductFilter())
            let organisations = ["operator-a", "operator-b", "partner-1", "partner-2", "ssa-centre", "nobody"]
            let markingSets: [Set<Marking.Kind>] = [
                [], [.public], [.restricted, .partners], Set(Marking.Kind.allCases),
            ]
            for organisation in organisations {
                for flags in 0..<8 {
                    for markings in markingSets {
                        let scope = ProductScope(
                            organisation: organisation, ownedByOrganisation: flags & 1 != 0,
                            providedByOrganisation: flags & 2 != 0, sharedWithOrganisation: flags & 4 != 0,
                            markings: markings)
                        let selected = try await store.products(ProductFilter(scope: scope)).compactMap(\.id)
                        #expect(selected == all.filter(scope.includes).compactMap(\.id), "\(scope)")
                        var paged: [Int64] = []
                        for _ in 0..<10 {
                            let filter = ProductFilter(scope: scope, afterID: paged.last, limit: 2)
                            let page = try await store.productSummaries(filter).compactMap(\.id)
                            if page.isEmpty { break }
                            paged += page
                        }
                        #expect(paged == selected, "pages of two: \(scope)")
                    }
                }
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func pagesByIDWithLimitAndAfter(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let p = try await Self.seed(store)
            var pages: [[Int64]] = []
            var after: Int64?
            repeat {
                let page = try await store.products(ProductFilter(afterID: after, limit: 2)).compactMap(\.id)
                if page.isEmpty { break }
                pages.append(page)
                after = page.last
            } while pages.count < 10
            #expect(pages == [[p[0], p[1]], [p[2], p[3]], [p[4], p[5]]])
            #expect(try await store.products(ProductFilter(kinds: [.cdm], afterID: p[0], limit: 1)).map(\.id) == [p[1]])
            #expect(try await store.products(ProductFilter(limit: 0)).isEmpty)
        }
    }

    @Test(arguments: StoreEngine.all)
    func summariesAreTheFullProductsWithoutContent(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let p = try await Self.seed(store)
            let filters = [
                ProductFilter(),
                ProductFilter(kinds: [.tdm]),
                ProductFilter(noradIDs: [90001, 90012], minimumCollisionProbability: 0),
                ProductFilter(timeFrom: Fixtures.time(1200), timeTo: Fixtures.time(2600), participant: "MYSC"),
                ProductFilter(
                    scope: ProductScope(organisation: "operator-b", ownedByOrganisation: true, markings: [.public])),
                ProductFilter(
                    kinds: [.cdm], scope: ProductScope(organisation: "operator-a", ownedByOrganisation: true),
                    afterID: p[0], limit: 1),
            ]
            for filter in filters {
                let full = try await store.products(filter)
                let summaries = try await store.productSummaries(filter)
                #expect(summaries == full.map(\.summary), "\(filter)")
                #expect(full.allSatisfy { !$0.bytes.isEmpty && !$0.message.segments.isEmpty })
                for summary in summaries {
                    #expect(summary.bytes.isEmpty && summary.message == Product.placeholderMessage(summary.kind))
                    #expect(summary.message.type == summary.kind.messageType)
                }
            }
            #expect(try await store.productSummaries(ProductFilter()).compactMap(\.id) == p)
        }
    }
}
