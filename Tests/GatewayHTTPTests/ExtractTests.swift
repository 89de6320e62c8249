import Foundation
import HTTPTypes
import HummingbirdTesting
import Policy
import Testing

@Suite struct ExtractTests {
    @Test func elementsAreNegotiatedByFormatOrAccept() async throws {
        try await GatewayHarness.run { harness, client in
            let cases: [(String, HTTPFields, String)] = [
                ("?format=tle", [:], "text/plain; charset=utf-8"),
                ("?format=omm-xml", [:], "application/xml"),
                ("", [.accept: "application/xml"], "application/xml"),
                ("", [.accept: "text/csv"], "text/csv; charset=utf-8"),
                ("", [:], "application/json"),
            ]
            for (query, headers, type) in cases {
                try await client.execute(
                    uri: "/api/v1/objects/90500/elements\(query)", method: .get,
                    headers: harness.auth("operator-a", headers)
                ) {
                    #expect($0.status == .ok, "\(query) \(headers)")
                    #expect($0.headers[.contentType] == type, "\(query) \(headers)")
                }
            }
            try await client.execute(
                uri: "/api/v1/objects/90500/elements", method: .get,
                headers: harness.auth("operator-a", [.accept: "image/png"])
            ) {
                #expect($0.status == .notAcceptable)
                #expect($0.json["parameter"] as? String == "Accept")
            }
            try await client.execute(
                uri: "/api/v1/objects/90500/elements?format=pdf", method: .get, headers: harness.auth("operator-a")
            ) {
                #expect($0.status == .badRequest)
                #expect($0.json["parameter"] as? String == "format")
            }
        }
    }

    @Test func ephemerisParametersAreCheckedAndNamed() async throws {
        try await GatewayHarness.run { harness, client in
            let bad: [(String, String, String)] = [
                ("step=0", "step", "bad-parameter"), ("step=abc", "step", "bad-parameter"),
                ("start=yesterday", "start", "bad-parameter"), ("frame=J2000", "frame", "bad-parameter"),
                ("start=2026-11-24T00:00:00Z&stop=2026-11-23T00:00:00Z", "stop", "bad-parameter"),
                ("start=2026-11-24T00:00:00Z&stop=2026-12-24T00:00:00Z", "stop", "span-too-long"),
                ("start=2026-11-24T00:00:00Z&stop=2026-11-27T00:00:00Z&step=1", "step", "bad-parameter"),
                ("format=oem-pdf", "format", "bad-parameter"),
            ]
            for (query, parameter, type) in bad {
                try await client.execute(
                    uri: "/api/v1/objects/90500/ephemeris?\(query)", method: .get, headers: harness.auth("operator-a")
                ) {
                    #expect($0.status == .badRequest, "\(query)")
                    #expect($0.json["parameter"] as? String == parameter, "\(query)")
                    #expect($0.json["type"] as? String == "urn:essor:problem:\(type)", "\(query)")
                }
            }
        }
    }

    @Test func ephemerisIsAnOEMOnTheAskedGrid() async throws {
        try await GatewayHarness.run { harness, client in
            try await client.execute(
                uri:
                    "/api/v1/objects/90500/ephemeris?start=2026-11-24T00:00:00Z&stop=2026-11-24T01:00:00Z&step=600&frame=ITRF",
                method: .get, headers: harness.auth("requester")
            ) {
                #expect($0.status == .ok)
                let text = $0.text
                #expect(text.hasPrefix("CCSDS_OEM_VERS = 3.0"))
                #expect(text.contains("REF_FRAME   = ITRF"))
                let states = text.split(separator: "\n").filter { $0.hasPrefix("2026-11-24T") }
                #expect(states.count == 7)
            }
            try await client.execute(
                uri: "/api/v1/objects/90500/state?epoch=2026-11-24T00:00:00Z&format=opm-xml", method: .get,
                headers: harness.auth("requester")
            ) {
                #expect($0.status == .ok)
                #expect($0.text.contains("<opm"))
            }
        }
    }

    @Test func theCatalogueHasAnETagAndAnswers304() async throws {
        try await GatewayHarness.run { harness, client in
            let etag = try await client.execute(
                uri: "/api/v1/catalogue?format=3le", method: .get, headers: harness.auth("operator-a")
            ) { response -> String in
                #expect(response.status == .ok)
                // operator-a sees its 10 objects, operator-b's 3 operators-marked and 3 public ones, 1070 public.
                #expect(response.text.split(separator: "\n").count == 3 * (10 + 6 + 1070))
                return response.headers[.eTag] ?? ""
            }
            #expect(etag.hasPrefix("\""))
            try await client.execute(
                uri: "/api/v1/catalogue?format=3le", method: .get,
                headers: harness.auth("operator-a", [.ifNoneMatch: etag])
            ) {
                #expect($0.status == .notModified)
                #expect($0.body.readableBytes == 0)
            }
            // Another caller, another body, another ETag.
            try await client.execute(uri: "/api/v1/catalogue?format=3le", method: .get, headers: harness.auth("admin"))
            {
                #expect($0.headers[.eTag] != etag)
                #expect($0.text.split(separator: "\n").count == 3 * 1100)
            }
            try await client.execute(
                uri: "/api/v1/catalogue?format=tle&since=2100-01-01T00:00:00Z", method: .get,
                headers: harness.auth("operator-a")
            ) {
                #expect($0.status == .ok)
                #expect($0.body.readableBytes == 0)
            }
        }
    }

    @Test func listingPagesCoverTheVisibleObjectsOnce() async throws {
        try await GatewayHarness.run { harness, client in
            var seen: [Int] = []
            var cursor: String? = ""
            while let current = cursor {
                let query = current.isEmpty ? "limit=400" : "limit=400&cursor=\(current)"
                cursor = try await client.execute(
                    uri: "/api/v1/objects?\(query)", method: .get, headers: harness.auth("operator-b")
                ) { response -> String? in
                    #expect(response.status == .ok)
                    let items = response.json["items"] as? [[String: Any]] ?? []
                    seen += items.compactMap { $0["id"] as? Int }
                    return response.json["next"] as? String
                }
            }
            #expect(seen == seen.sorted() && Set(seen).count == seen.count)
            #expect(seen.count == 10 + 6 + 1070)
            #expect(!seen.contains(90001) && seen.contains(90005) && seen.contains(90011))
        }
    }

    @Test func overTheRateLimitAnswers429WithRetryAfter() async throws {
        let rule = Rule(
            id: "tight", effect: .allow, subjects: .init(roles: [.operator]), actions: [.readElements],
            quotas: Quotas(
                requestsPerMinute: .limited(2), requestsPerDay: .limited(100),
                longestEphemerisSpanSeconds: .limited(60),
                mostObjectsPerBulkCall: .limited(10)))
        try await GatewayHarness.run(policy: try PolicySet(rules: [rule])) { harness, client in
            var statuses: [HTTPResponse.Status] = []
            var retryAfter: String?
            for _ in 0..<3 {
                try await client.execute(
                    uri: "/api/v1/objects/90500", method: .get, headers: harness.auth("operator-a")
                ) {
                    statuses.append($0.status)
                    if $0.status == .tooManyRequests {
                        retryAfter = $0.headers[HTTPField.Name("Retry-After")!]
                        #expect($0.json["type"] as? String == "urn:essor:problem:rate-limited")
                    }
                }
            }
            #expect(statuses == [.ok, .ok, .tooManyRequests])
            #expect(Int(retryAfter ?? "").map { (1...60).contains($0) } == true)
        }
    }
}
