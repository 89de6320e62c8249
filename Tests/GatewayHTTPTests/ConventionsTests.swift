import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct ConventionsTests {
    @Test func everyResponseCarriesTheSecurityHeadersAndARequestID() async throws {
        try await GatewayHarness.run { _, client in
            try await client.execute(
                uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Request-ID")!: "abc-123"]
            ) {
                #expect($0.status == .ok)
                #expect($0.text == #"{"status":"ok"}"#)
                #expect($0.headers[HTTPField.Name("X-Request-ID")!] == "abc-123")
                #expect($0.headers[.strictTransportSecurity] == "max-age=63072000; includeSubDomains")
                #expect($0.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            }
            // A request id with characters outside the allowed set is replaced, not echoed.
            try await client.execute(
                uri: "/healthz", method: .get, headers: [HTTPField.Name("X-Request-ID")!: "a b<script>"]
            ) {
                let id = $0.headers[HTTPField.Name("X-Request-ID")!] ?? ""
                #expect(id.count == 16 && id != "a b<script>")
            }
        }
    }

    @Test func unknownRoutesAnswerProblemJSON() async throws {
        try await GatewayHarness.run { _, client in
            try await client.execute(uri: "/nowhere", method: .get) {
                #expect($0.status == .notFound)
                #expect($0.headers[.contentType] == "application/problem+json")
                #expect($0.json["type"] as? String == "urn:essor:problem:not-found")
                #expect($0.json["instance"] as? String == "/nowhere")
                #expect(($0.json["request_id"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test func oversizeBodiesAnswer413BeforeAnyHandler() async throws {
        try await GatewayHarness.run(maximumBodyBytes: 1000) { harness, client in
            let body = ByteBuffer(repeating: 0x41, count: 5000)
            try await client.execute(
                uri: "/api/v1/objects", method: .post, headers: harness.auth("operator-a", [.contentLength: "5000"]),
                body: body
            ) {
                #expect($0.status == .contentTooLarge)
                #expect($0.json["type"] as? String == "urn:essor:problem:payload-too-large")
            }
        }
    }

    @Test func readinessNamesThePolicyAndTheEngine() async throws {
        try await GatewayHarness.run { _, client in
            try await client.execute(uri: "/readyz", method: .get) {
                #expect($0.status == .ok)
                #expect($0.json["database"] as? String == "sqlite")
                #expect(($0.json["policy_revision"] as? String)?.isEmpty == false)
            }
        }
    }
}
