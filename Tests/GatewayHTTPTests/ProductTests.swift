import Foundation
import GatewayCore
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Policy
import Testing

@Suite struct ProductTests {
    /// The demo CDMs: operator-a's five (90001–90005), operator-b's five (90011–90015) and one between 90008 and
    /// 90018 that both see.
    @Test func operatorsSeeExactlyTheConjunctionsOfTheirObjects() async throws {
        try await GatewayHarness.run { harness, client in
            for (user, owned) in [("operator-a", 90001...90010), ("operator-b", 90011...90020)] {
                let items = try await client.execute(uri: "/api/v1/cdms", method: .get, headers: harness.auth(user)) {
                    #expect($0.status == .ok)
                    return $0.json["items"] as? [[String: Any]] ?? []
                }
                #expect(items.count == 6, "\(user)")
                for item in items {
                    let objects = item["norad_ids"] as? [Int] ?? []
                    #expect(objects.contains { owned.contains($0) }, "\(user) sees \(objects)")
                }
            }
            for user in ["partner-1", "requester", "backend"] {
                try await client.execute(uri: "/api/v1/cdms", method: .get, headers: harness.auth(user)) {
                    #expect(($0.json["items"] as? [Any])?.isEmpty == true, "\(user)")
                }
            }
            try await client.execute(uri: "/api/v1/cdms", method: .get, headers: harness.auth("admin")) {
                #expect(($0.json["items"] as? [Any])?.count == 11)
            }
        }
    }

    @Test func partnersSeeWhatIsSharedWithThem() async throws {
        try await GatewayHarness.run { harness, client in
            func providers(_ user: String) async throws -> [String] {
                try await client.execute(uri: "/api/v1/tdms", method: .get, headers: harness.auth(user)) {
                    #expect($0.status == .ok)
                    return ($0.json["items"] as? [[String: Any]] ?? []).map { "\($0["provider"]!):\($0["marking"]!)" }
                }
            }
            // partner-2: partner-1's shared TDM, its own two; not partner-1's restricted one.
            let ofPartner2 = try await providers("partner-2").sorted()
            let ofPartner1 = try await providers("partner-1").sorted()
            let ofOperator = try await providers("operator-a")
            #expect(
                ofPartner2 == [
                    "partner-1:partners:partner-2", "partner-2:public", "partner-2:restricted",
                ])
            #expect(
                ofPartner1 == [
                    "partner-1:partners:partner-2", "partner-1:restricted", "partner-2:public",
                ])
            // A third party: operators read TDMs of their own objects only (90500 is nobody's).
            #expect(ofOperator.isEmpty)
        }
    }

    @Test func forbiddenAndMissingAnswerIdentically() async throws {
        try await GatewayHarness.run { harness, client in
            let admin = try await client.execute(uri: "/api/v1/cdms", method: .get, headers: harness.auth("admin")) {
                ($0.json["items"] as? [[String: Any]] ?? [])
            }
            let ofB = admin.first { ($0["norad_ids"] as? [Int])?.contains(90011) == true }
            let id = try #require(ofB?["id"] as? String)
            var bodies: Set<[String: String]> = []
            for uri in ["/api/v1/cdms/\(id)", "/api/v1/cdms/999999"] {
                try await client.execute(uri: uri, method: .get, headers: harness.auth("operator-a")) {
                    #expect($0.status == .notFound)
                    bodies.insert($0.problemWithoutRequest)
                }
            }
            #expect(bodies.count == 1)
        }
    }

    @Test func aSubmittedTDMComesBackByteIdenticalAndTwiceIsOneProduct() async throws {
        try await GatewayHarness.run { harness, client in
            let text = DemoDataSet.tdm(
                partner: "partner-1", object: 90500, start: Date(timeIntervalSince1970: 1_790_000_000),
                created: Date(timeIntervalSince1970: 1_790_000_000), kind: "RANGE", serial: 99)
            let body = ByteBuffer(string: text)
            let uri = "/api/v1/tdms?marking=partners:partner-2"
            let location = try await client.execute(
                uri: uri, method: .post, headers: harness.auth("partner-1"), body: body
            ) { response -> String in
                #expect(response.status == .created)
                return response.headers[.location] ?? ""
            }
            try await client.execute(uri: uri, method: .post, headers: harness.auth("partner-1"), body: body) {
                #expect($0.status == .ok)
                #expect($0.headers[.location] == location)
            }
            try await client.execute(uri: location + "?format=kvn", method: .get, headers: harness.auth("partner-2")) {
                #expect($0.status == .ok)
                #expect($0.text == text)
            }
            try await client.execute(uri: location + "?format=xml", method: .get, headers: harness.auth("partner-2")) {
                #expect($0.status == .ok)
                #expect($0.text.contains("<tdm"))
            }
            // Partners submit TDMs only under their own name and only TDMs; operators not at all.
            try await client.execute(uri: uri, method: .post, headers: harness.auth("operator-a"), body: body) {
                #expect($0.status == .forbidden)
            }
        }
    }

    @Test func anInvalidSubmissionNamesTheLineAndStoresNothing() async throws {
        try await GatewayHarness.run { harness, client in
            let before = try await harness.store.latestFeedEventID()
            let broken =
                "CCSDS_TDM_VERS = 2.0\nCREATION_DATE = 2026-01-01T00:00:00\nORIGINATOR = X\nMETA_START\nBOGUS = 1\n"
            try await client.execute(
                uri: "/api/v1/tdms", method: .post, headers: harness.auth("partner-1"), body: ByteBuffer(string: broken)
            ) {
                #expect($0.status == .badRequest)
                #expect($0.headers[.contentType] == "application/problem+json")
                #expect($0.json["type"] as? String == "urn:essor:problem:invalid-message")
                let errors = $0.json["errors"] as? [[String: Any]] ?? []
                #expect(errors.contains { ($0["line"] as? Int) == 5 })
            }
            #expect(try await harness.store.latestFeedEventID() == before)
        }
    }

    @Test func theFeedListsTheCallersEventsInOrder() async throws {
        try await GatewayHarness.run { harness, client in
            var seen: [Int] = []
            var cursor = "0"
            for _ in 0..<5 {
                let (ids, next) = try await client.execute(
                    uri: "/api/v1/feed?after=\(cursor)&limit=2", method: .get, headers: harness.auth("operator-a")
                ) { response -> ([Int], String) in
                    #expect(response.status == .ok)
                    let items = response.json["items"] as? [[String: Any]] ?? []
                    return (
                        items.compactMap { ($0["id"] as? String).flatMap(Int.init) },
                        response.json["next"] as? String ?? ""
                    )
                }
                seen += ids
                cursor = next
            }
            // operator-a: its five CDMs and the shared one, in event order.
            #expect(seen.count == 6 && seen == seen.sorted())
        }
    }
}

@Suite struct HiddenFieldTests {
    @Test func aPolicyCanWithholdTheCovarianceFromOperators() async throws {
        let loaded = try PolicyLoader.load(directory: GatewayHarness.policiesDirectory)
        let rules = loaded.rules.map { rule -> Rule in
            var copy = rule
            if rule.id == "operator-own-conjunctions" { copy.hiddenFields = [.covariance, .operatorContacts] }
            return copy
        }
        try await GatewayHarness.run(policy: try PolicySet(rules: rules)) { harness, client in
            let items = try await client.execute(uri: "/api/v1/cdms", method: .get, headers: harness.auth("operator-a"))
            {
                $0.json["items"] as? [[String: Any]] ?? []
            }
            let href = try #require(items.first?["href"] as? String)
            for format in ["kvn", "xml", "json"] {
                try await client.execute(
                    uri: href + "?format=\(format)", method: .get, headers: harness.auth("operator-a")
                ) {
                    #expect($0.status == .ok, "\(format)")
                    #expect(!$0.text.contains("CR_R") && !$0.text.contains("CNDOT_NDOT"), "\(format)")
                    #expect($0.text.contains("Withheld by the access policy: covariance"), "\(format)")
                    #expect($0.text.contains("MISS_DISTANCE"), "\(format)")
                }
            }
            // The administrator's rule hides nothing: the original bytes.
            try await client.execute(uri: href + "?format=kvn", method: .get, headers: harness.auth("admin")) {
                #expect($0.text.contains("CR_R") && !$0.text.contains("Withheld"))
            }
        }
    }
}

@Suite struct ProductListFormatTests {
    @Test func listsComeAsMessagesInKVNOrOneNDMDocument() async throws {
        try await GatewayHarness.run { harness, client in
            try await client.execute(uri: "/api/v1/cdms?format=kvn&limit=2", method: .get, headers: harness.auth("operator-a")) {
                #expect($0.status == .ok)
                #expect($0.text.components(separatedBy: "CCSDS_CDM_VERS").count == 3)
                #expect($0.headers[HTTPField.Name("Link")!]?.contains("cursor=") == true)
            }
            try await client.execute(uri: "/api/v1/cdms?format=xml", method: .get, headers: harness.auth("operator-a")) {
                #expect($0.status == .ok)
                #expect($0.text.contains("<ndm") && $0.text.components(separatedBy: "<cdm ").count == 7)
                #expect($0.headers[HTTPField.Name("Link")!] == nil)
            }
            try await client.execute(uri: "/api/v1/cdms?format=pdf", method: .get, headers: harness.auth("operator-a")) {
                #expect($0.status == .badRequest)
            }
        }
    }
}
