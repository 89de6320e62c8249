import Foundation
import GatewayCore
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct AuthorisationTests {
    @Test func requestsWithoutValidCredentialsAnswer401WithAChallenge() async throws {
        try await GatewayHarness.run { _, client in
            for headers: HTTPFields in [
                [:], [.authorization: "Bearer essor_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
                [.authorization: "Basic dXNlcjpwYXNz"],
            ] {
                try await client.execute(uri: "/api/v1/objects/90500", method: .get, headers: headers) {
                    #expect($0.status == .unauthorized)
                    #expect($0.headers[.wwwAuthenticate] == "Bearer realm=\"essor\"")
                    #expect($0.json["type"] as? String == "urn:essor:problem:unauthenticated")
                }
            }
        }
    }

    /// Default policy × demo data: who reads which object's elements (true = 200, false = 404).
    static let expectations: [(user: String, norad: Int, readable: Bool)] = [
        ("operator-a", 90001, true), ("operator-a", 90011, false), ("operator-a", 90015, true),
        ("operator-a", 90500, true), ("operator-a", 91095, false), ("operator-a", 99999, false),
        ("operator-b", 90001, false), ("operator-b", 90011, true), ("partner-1", 90015, false),
        ("partner-1", 90500, true), ("requester", 90005, false), ("requester", 90500, true),
        ("admin", 90001, true), ("admin", 91095, true), ("admin", 99999, false), ("backend", 90500, false),
    ]

    @Test func theDefaultPolicyDecidesWhoReadsWhat() async throws {
        try await GatewayHarness.run { harness, client in
            var notFoundBodies: Set<[String: String]> = []
            for (user, norad, readable) in Self.expectations {
                try await client.execute(
                    uri: "/api/v1/objects/\(norad)/elements?format=tle", method: .get, headers: harness.auth(user)
                ) { response in
                    #expect(response.status == (readable ? .ok : .notFound), "\(user) → \(norad)")
                    if !readable {
                        var body = response.problemWithoutRequest
                        body["detail"] = body["detail"]?.replacingOccurrences(of: String(norad), with: "N")
                        notFoundBodies.insert(body)
                    }
                }
            }
            // "Not allowed" and "missing" are indistinguishable.
            #expect(notFoundBodies.count == 1)
        }
    }

    @Test func deniedReadsLandInTheAuditLog() async throws {
        try await GatewayHarness.run { harness, client in
            try await client.execute(uri: "/api/v1/objects/90011", method: .get, headers: harness.auth("operator-a")) {
                #expect($0.status == .notFound)
            }
            let rows = try await harness.store.auditRecords(AuditFilter(userName: "operator-a"))
            #expect(
                rows.contains { $0.effect == .deny && $0.action == "read:elements" && $0.resource.contains("90011") })
        }
    }
}
