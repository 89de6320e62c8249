import Foundation
import Testing

@testable import Delivery

@Suite(.serialized) struct WebhookTransportTests {
    /// `webhooks.test` resolves to 127.0.0.1, which is allowed.
    static func guarding() throws -> AddressGuard {
        var checker = try AddressGuard(allowing: ["127.0.0.0/8"])
        checker.resolve = { host throws(AddressRefusal) in
            guard host == "webhooks.test" else { throw AddressRefusal(.dns, "\(host) does not resolve") }
            return [IPAddress("127.0.0.1")!]
        }
        return checker
    }

    func withServer(
        responseTimeout: Duration = .seconds(10), _ body: (LoopbackHTTPS, WebhookTransport) async throws -> Void
    ) async throws {
        guard let server = try LoopbackHTTPS() else {
            print("skipped: python3 or openssl is not installed")
            return
        }
        defer { server.stop() }
        let transport = try WebhookTransport(
            configuration: WebhookTransportConfiguration(
                addressGuard: try Self.guarding(), trustedCAFile: server.caFile, responseTimeout: responseTimeout))
        do {
            try await body(server, transport)
        } catch {
            await transport.shutdown()
            throw error
        }
        await transport.shutdown()
    }

    @Test func postsToTheCheckedAddressWithTheCertificateOfTheName() async throws {
        try await withServer { server, transport in
            let signature = try StandardWebhookSignature.header(
                id: "msg_1", timestamp: 1_700_000_000, body: Array("{}".utf8),
                secrets: [StandardWebhookSignature.generateSecret()])
            let outcome = await transport.post(
                url: server.url("/echo"),
                headers: [("webhook-signature", signature), ("content-type", "application/json")],
                body: Array("{}".utf8))
            #expect(outcome.delivered, "\(outcome)")
            #expect(outcome.status == 200)
            #expect(String(decoding: outcome.responseBody, as: UTF8.self) == signature + "|{}")
            #expect(outcome.seconds > 0)
            #expect(transport.cachedClientCount == 1)
        }
    }

    @Test func doesNotFollowRedirects() async throws {
        try await withServer { server, transport in
            let outcome = await transport.post(url: server.url("/redirect"), headers: [], body: [1])
            #expect(outcome.errorClass == "redirect", "\(outcome)")
            #expect(outcome.status == 302)
            #expect(outcome.message?.contains("/ok") == true)
            let hits = try Tools.run(
                "/usr/bin/python3",
                [
                    "-c",
                    "import ssl,urllib.request;c=ssl.create_default_context(cafile='\(server.caFile)');"
                        + "c.check_hostname=False;print(urllib.request.urlopen('https://127.0.0.1:\(server.port)/hits/ok',"
                        + "context=c).read().decode())",
                ])
            #expect(hits.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(hits.error)")
        }
    }

    @Test func surfacesAGoneStatus() async throws {
        try await withServer { server, transport in
            let outcome = await transport.post(url: server.url("/gone"), headers: [], body: [1])
            #expect(outcome.status == 410)
            #expect(outcome.errorClass == "http-status")
            #expect(String(decoding: outcome.responseBody, as: UTF8.self) == "unsubscribe")
        }
    }

    @Test func aSlowReceiverTimesOut() async throws {
        try await withServer(responseTimeout: .milliseconds(500)) { server, transport in
            let start = ContinuousClock.now
            let outcome = await transport.post(url: server.url("/slow"), headers: [], body: [1])
            #expect(outcome.errorClass == "timeout", "\(outcome)")
            #expect(ContinuousClock.now - start < .seconds(2))
        }
    }

    @Test func readsAtMost64KiBOfTheResponse() async throws {
        try await withServer { server, transport in
            let outcome = await transport.post(url: server.url("/big"), headers: [], body: [1])
            #expect(outcome.delivered)
            #expect(outcome.responseBody.count == 64 * 1024)
            #expect(outcome.responseTruncated)
        }
    }

    @Test func refusesBeforeConnecting() async throws {
        try await withServer { server, transport in
            let refused = await transport.post(url: "https://127.0.0.2.nip.invalid/", headers: [], body: [1])
            #expect(refused.errorClass == "dns")
            let plain = try WebhookTransport(configuration: WebhookTransportConfiguration())
            let loopback = await plain.post(url: "https://127.0.0.1:\(server.port)/ok", headers: [], body: [1])
            #expect(loopback.errorClass == "address-refused")
            await plain.shutdown()
        }
    }

    @Test func anUntrustedCertificateFailsAsTLS() async throws {
        try await withServer { server, _ in
            let untrusting = try WebhookTransport(
                configuration: WebhookTransportConfiguration(addressGuard: try Self.guarding()))
            let outcome = await untrusting.post(url: server.url("/ok"), headers: [], body: [1])
            #expect(outcome.errorClass == "tls", "\(outcome)")
            await untrusting.shutdown()
        }
    }

    @Test func aClosedPortFailsAsConnect() async throws {
        let port = try LoopbackSSHD.freePort()
        let transport = try WebhookTransport(
            configuration: WebhookTransportConfiguration(addressGuard: try Self.guarding()))
        let outcome = await transport.post(url: "https://webhooks.test:\(port)/", headers: [], body: [1])
        #expect(outcome.errorClass == "connect", "\(outcome)")
        await transport.shutdown()
    }

    @Test func sustainsThousandsOfPostsPerSecond() async throws {
        try await withServer { server, transport in
            let nginx = try LoopbackNginx(certificate: server.certificateFile, key: server.keyFile)
            defer { nginx?.stop() }
            let total = nginx == nil ? 1_000 : 5_000
            let url = nginx.map { "https://webhooks.test:\($0.port)/ok" } ?? server.url("/ok")
            let start = ContinuousClock.now
            let delivered = await withTaskGroup(of: Int.self) { group in
                for worker in 0..<16 {
                    group.addTask {
                        var count = 0
                        for _ in stride(from: worker, to: total, by: 16) {
                            let outcome = await transport.post(url: url, headers: [], body: Array("{}".utf8))
                            if outcome.delivered { count += 1 }
                        }
                        return count
                    }
                }
                return await group.reduce(0, +)
            }
            let seconds = (ContinuousClock.now - start).secondsDouble
            let receiver = nginx == nil ? "Python http.server" : "nginx"
            print(
                "webhook throughput (\(receiver)): \(total) POSTs in \(seconds) s = \(Int(Double(total) / seconds))/s")
            #expect(delivered == total)
        }
    }
}
