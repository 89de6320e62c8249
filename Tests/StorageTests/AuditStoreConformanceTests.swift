import Foundation
import GatewayCore
import Policy
import Testing

/// `AuditStore` behaviour every engine must have.
@Suite struct AuditStoreConformanceTests {
    static func record(_ user: String, at seconds: Int, effect: Rule.Effect = .deny) -> AuditRecord {
        AuditRecord(
            time: Fixtures.time(seconds), userName: user, organisation: user + "-org", action: "read:elements",
            resource: "object 90001", effect: effect, ruleID: effect == .allow ? "operators-read" : nil,
            policyRevision: "rev-1", requestID: "req-\(seconds)", route: "GET /api/v1/objects/{norad}")
    }

    @Test(arguments: StoreEngine.all)
    func appendsAndListsNewestFirst(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let first = try await store.appendAudit(Self.record("operator-a", at: 10, effect: .allow))
            let second = try await store.appendAudit(Self.record("operator-b", at: 20))
            let third = try await store.appendAudit(Self.record("operator-a", at: 20))
            let ids = [first, second, third].compactMap(\.id)
            #expect(ids.count == 3 && ids == ids.sorted() && Set(ids).count == 3)

            var expected = Self.record("operator-a", at: 10, effect: .allow)
            expected.id = first.id
            #expect(first == expected)
            #expect(try await store.auditRecords(AuditFilter()) == [third, second, first])
            #expect(try await store.auditRecords(AuditFilter(userName: "operator-a")) == [third, first])
            #expect(try await store.auditRecords(AuditFilter(since: Fixtures.time(15))) == [third, second])
            #expect(try await store.auditRecords(AuditFilter(limit: 1)) == [third])
            #expect(try await store.auditRecords(AuditFilter(userName: "nobody")).isEmpty)
        }
    }

    @Test(arguments: StoreEngine.all)
    func keepsOptionalFieldsAbsentAndRefusesEmptyNames(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            let bare = AuditRecord(
                time: Fixtures.time(), userName: "ghost", organisation: "", action: "admin", resource: "service",
                effect: .deny, policyRevision: "in-memory")
            let stored = try await store.appendAudit(bare)
            #expect(try await store.auditRecords(AuditFilter()) == [stored])
            #expect(stored.ruleID == nil && stored.requestID == nil && stored.route == nil)
            await #expect(throws: StoreError.invalid("an audit record needs a user name")) {
                var nameless = bare
                nameless.userName = ""
                _ = try await store.appendAudit(nameless)
            }
        }
    }
}
