import Foundation
import GatewayCore
import GatewayHTTP
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Policy
import Storage
import Testing

/// A gateway over a fresh SQLite store seeded with the demo data set, the repository's default policy (or a given
/// one), exercised in process through Hummingbird's router test client. Real-socket TLS tests live in
/// Tests/oracles (pytest with `requests` against `essor serve`).
struct GatewayHarness: Sendable {
    /// The store under the gateway.
    let store: any GatewayStore
    /// The demo users' API keys.
    let keys: [String: String]

    /// The repository's `policies/` folder.
    static let policiesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies")

    /// Runs `body` against a fresh gateway.
    static func run(
        policy: PolicySet? = nil, maximumBodyBytes: Int = 1 << 20,
        _ body: @Sendable (GatewayHarness, any TestClientProtocol) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("essor-http-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let logger = Logger(label: "test")
        let opened = try await StoreConnection.open(url: "sqlite:\(directory.path)/essor.sqlite", logger: logger)
        let keys = try await DemoDataSet.seed(into: opened.store)
        let loaded = try policy ?? PolicyLoader.load(directory: policiesDirectory)
        let services = GatewayServices(
            store: opened.store, databaseEngine: opened.engine, policy: ActivePolicy(loaded),
            metrics: { Array("# metrics\n".utf8) }, maximumBodyBytes: maximumBodyBytes)
        let app = Application(router: buildRouter(services: services, logger: logger), logger: logger)
        let harness = GatewayHarness(store: opened.store, keys: keys)
        try await app.test(.router) { client in try await body(harness, client) }
        await opened.close()
    }

    /// `Authorization: Bearer <key of user>`.
    func auth(_ user: String, _ extra: HTTPFields = [:]) -> HTTPFields {
        var fields = extra
        fields[.authorization] = "Bearer \(keys[user]!)"
        return fields
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// The problem body without the per-request members (`request_id`, `instance`), for comparisons.
    var problemWithoutRequest: [String: String] {
        var members: [String: String] = [:]
        for (key, value) in json where key != "request_id" && key != "instance" { members[key] = "\(value)" }
        return members
    }
}
