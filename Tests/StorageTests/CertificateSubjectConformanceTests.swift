import GatewayCore
import Testing

/// Users' certificate subjects (DESIGN §4): stored canonical, unique, found by any spelling of the same DN.
@Suite struct CertificateSubjectConformanceTests {
    static let alice = "CN=alice,O=Operator A,C=GB"

    @Test(arguments: StoreEngine.all)
    func storesTheCanonicalSubjectAndFindsTheUserByIt(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            let typed = User(
                name: "alice", organisation: "operator-a", roles: [.operator],
                certificateSubject: " cn = alice , organizationName=Operator A, c=GB", created: Fixtures.time())
            try await store.createUser(typed)
            var stored = typed
            stored.certificateSubject = Self.alice
            #expect(try await store.user(named: "alice") == stored)
            #expect(try await store.user(certificateSubject: Self.alice) == stored)
            #expect(try await store.user(certificateSubject: "CN = alice, O = Operator A, C = GB") == stored)
            #expect(try await store.users(organisation: "operator-a").map(\.certificateSubject) == [Self.alice, nil])

            for missing in ["CN=Alice,O=Operator A,C=GB", "C=GB,O=Operator A,CN=alice", "CN=alice", "alice"] {
                await #expect(throws: StoreError.notFound(entity: "certificate subject", key: missing)) {
                    try await store.user(certificateSubject: missing)
                }
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func refusesATakenOrMalformedSubject(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            var a = try await store.user(named: "operator-a")
            a.certificateSubject = Self.alice
            try await store.updateUser(a)
            try await store.updateUser(a)  // keeping one's own subject is no conflict

            let taken = StoreError.conflict(
                entity: "user", key: "operator-b",
                reason: "the certificate subject '\(Self.alice)' belongs to user 'operator-a'")
            var b = try await store.user(named: "operator-b")
            b.certificateSubject = "cn=alice,o=Operator A,c=GB"
            await #expect(throws: taken) { try await store.updateUser(b) }
            let newcomer = User(
                name: "operator-b", organisation: "operator-b", roles: [], certificateSubject: Self.alice)
            try await store.deleteUser(named: "operator-b")
            await #expect(throws: taken) { try await store.createUser(newcomer) }
            #expect(try await store.users(organisation: "operator-b").isEmpty)

            await #expect(throws: StoreError.self) {
                try await store.createUser(
                    User(name: "carol", organisation: "admin", roles: [], certificateSubject: "carol"))
            }
            await #expect(throws: StoreError.self) {
                b.certificateSubject = "CN=a,,O=b"
                try await store.updateUser(b)
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func updateChangesAndClearsTheSubject(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            var a = try await store.user(named: "operator-a")
            a.certificateSubject = Self.alice
            try await store.updateUser(a)
            a.certificateSubject = "CN=alice2,O=Operator A,C=GB"
            try await store.updateUser(a)
            #expect(try await store.user(certificateSubject: "CN=alice2,O=Operator A,C=GB").name == "operator-a")
            await #expect(throws: StoreError.notFound(entity: "certificate subject", key: Self.alice)) {
                try await store.user(certificateSubject: Self.alice)
            }

            a.certificateSubject = nil
            try await store.updateUser(a)
            #expect(try await store.user(named: "operator-a").certificateSubject == nil)
            var b = try await store.user(named: "operator-b")
            b.certificateSubject = "CN=alice2,O=Operator A,C=GB"
            try await store.updateUser(b)  // a freed subject can be given to another user
            #expect(try await store.user(certificateSubject: "CN=alice2, O=Operator A, C=GB").name == "operator-b")
        }
    }
}
