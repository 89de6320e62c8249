import CCSDS
import Delivery
import Foundation
import GatewayCore
import Policy
import Storage
import Synchronization
import Testing

/// The fan-out and the delivery worker over a real SQLite store, the default policy and recording transports
/// (issue 10 §1, §5): who receives what, retries, 410, policy at delivery time, crash between send and record.
@Suite struct PushWorkerTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let cdmBytes = try! Array(
        Data(contentsOf: repository.appendingPathComponent("Tests/CCSDSTests/Fixtures/cdm/valid/cdm_obligatory_3.6.2.kvn")))
    static let defaultPolicy = try! PolicyLoader.load(directory: repository.appendingPathComponent("policies"))

    /// What the recording transport saw.
    final class Received: Sendable {
        let calls = Mutex<[(url: String, headers: [String: String], body: [UInt8])]>([])
        let answer: Mutex<TransportOutcome>

        init(answer: TransportOutcome = TransportOutcome(delivered: true)) { self.answer = Mutex(answer) }

        var transports: DeliveryTransports {
            DeliveryTransports(
                webhook: { url, headers, body in
                    self.calls.withLock { $0.append((url, Dictionary(uniqueKeysWithValues: headers), body)) }
                    return self.answer.withLock { $0 }
                },
                sftp: { _, _, _ in TransportOutcome(delivered: false, errorClass: "unused") },
                drop: { _, _, _ in TransportOutcome(delivered: false, errorClass: "unused") })
        }
        var count: Int { calls.withLock { $0.count } }
    }

    /// A store with operator-a (owns 90001), operator-b (owns 90011) and a webhook CDM subscription each.
    static func world(_ body: (SQLiteStore, [String: Subscription]) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("essor-push-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("essor.sqlite").path)
        var subscriptions: [String: Subscription] = [:]
        for name in ["operator-a", "operator-b"] {
            try await store.createOrganisation(Organisation(name: name))
            try await store.createUser(User(name: name, organisation: name, roles: [.operator]))
            let subscription = Subscription(
                owner: name, topic: .cdm, format: .kvn, channel: .webhook(url: "https://receiver.example/\(name)"),
                created: Date(), secrets: WebhookSecrets(current: StandardWebhookSignature.generateSecret()))
            try await store.createSubscription(subscription)
            subscriptions[name] = subscription
        }
        try await body(store, subscriptions)
    }

    /// Stores a CDM concerning `norad`, owned by `owner`, with unique bytes.
    @discardableResult
    static func storeCDM(_ store: SQLiteStore, norad: Int, owner: String, tag: Int) async throws -> Product {
        let message = try MessageReader.message(from: cdmBytes)
        var bytes = cdmBytes
        bytes += Array("COMMENT tag \(tag)\n".utf8)
        let product = Product(
            kind: .cdm, encoding: "kvn", bytes: bytes, message: message, submitter: "backend", provider: "ssa-centre",
            received: Date(), marking: .restricted, dataMode: .test, noradIDs: [norad, 99_999],
            ownerOrganisations: [owner], collisionProbability: 1e-4, missDistanceMetres: 700)
        return try await store.storeProduct(product).product
    }

    static func workers(
        _ store: SQLiteStore, _ received: Received, policy: @escaping @Sendable () -> PolicySet = { defaultPolicy }
    ) -> (FanOutWorker, DeliveryWorker) {
        var settings = DeliverySettings()
        settings.leaseSeconds = 30
        let schedule = RetrySchedule(scale: 1)
        return (
            FanOutWorker(store: store, settings: settings, policy: policy, logger: .init(label: "test")),
            DeliveryWorker(
                store: store, settings: settings, transports: received.transports,
                schedule: { schedule.nextAttempt(afterAttempt: $0, at: $1) }, policy: policy,
                logger: .init(label: "test"))
        )
    }

    @Test func eachOperatorReceivesOnlyItsOwnConjunctions() async throws {
        try await Self.world { store, subscriptions in
            try await Self.storeCDM(store, norad: 90001, owner: "operator-a", tag: 1)
            try await Self.storeCDM(store, norad: 90011, owner: "operator-b", tag: 2)
            try await Self.storeCDM(store, norad: 90001, owner: "operator-a", tag: 3)
            let received = Received()
            let (fanOut, worker) = Self.workers(store, received)
            #expect(try await fanOut.round(at: Date()) == 3)
            #expect(try await fanOut.round(at: Date()) == 0)
            #expect(try await worker.round(at: Date()) == 3)
            let calls = received.calls.withLock { $0 }
            #expect(calls.filter { $0.url.hasSuffix("operator-a") }.count == 2)
            #expect(calls.filter { $0.url.hasSuffix("operator-b") }.count == 1)
            for call in calls {
                let owner = call.url.hasSuffix("operator-a") ? "operator-a" : "operator-b"
                let secret = subscriptions[owner]!.secrets!.current
                let expected = try StandardWebhookSignature.header(
                    id: call.headers["webhook-id"]!, timestamp: Int(call.headers["webhook-timestamp"]!)!,
                    body: call.body, secrets: [secret])
                #expect(call.headers["webhook-signature"] == expected)
                let json = try JSONSerialization.jsonObject(with: Data(call.body)) as! [String: Any]
                #expect(json["type"] as? String == "cdm.stored")
                let data = json["data"] as! [String: Any]
                #expect((data["content"] as? String)?.hasPrefix("CCSDS_CDM_VERS") == true)
            }
            let log = try await store.deliveries(DeliveryFilter(subscriptionID: subscriptions["operator-a"]!.id))
            #expect(log.count == 2 && log.allSatisfy { $0.state == .delivered && $0.attempts == 1 })
        }
    }

    @Test func failuresFollowTheRetryScheduleWithTheSameID() async throws {
        try await Self.world { store, subscriptions in
            try await Self.storeCDM(store, norad: 90001, owner: "operator-a", tag: 1)
            let received = Received(answer: TransportOutcome(delivered: false, errorClass: "http-status", status: 500))
            let (fanOut, worker) = Self.workers(store, received)
            _ = try await fanOut.round(at: Date())
            var now = Date()
            #expect(try await worker.round(at: now) == 1)
            var log = try await store.deliveries(DeliveryFilter(subscriptionID: subscriptions["operator-a"]!.id))
            #expect(log.first?.state == .failed && log.first?.lastStatus == 500)
            // The next attempt is scheduled from the end of the failed one: 5 s ± 10 % later.
            let gap = log.first!.nextAttempt!.timeIntervalSince(log.first!.lastAttempt!)
            #expect((4.4...5.6).contains(gap))
            #expect(try await worker.round(at: log.first!.lastAttempt!) == 0)  // not due yet
            for _ in 0..<9 {
                now = now.addingTimeInterval(30 * 3600)
                #expect(try await worker.round(at: now) == 1)
            }
            log = try await store.deliveries(DeliveryFilter(subscriptionID: subscriptions["operator-a"]!.id))
            #expect(log.first?.state == .dead && log.first?.attempts == 10)
            let ids = Set(received.calls.withLock { $0.map { $0.headers["webhook-id"]! } })
            #expect(ids.count == 1)
        }
    }

    @Test func aGoneReceiverDisablesTheSubscription() async throws {
        try await Self.world { store, subscriptions in
            try await Self.storeCDM(store, norad: 90001, owner: "operator-a", tag: 1)
            let received = Received(answer: TransportOutcome(delivered: false, gone: true, errorClass: "http-status", status: 410))
            let (fanOut, worker) = Self.workers(store, received)
            _ = try await fanOut.round(at: Date())
            _ = try await worker.round(at: Date())
            let subscription = try await store.subscription(id: subscriptions["operator-a"]!.id)
            #expect(subscription.state == .disabled)
            #expect(subscription.stateReason?.contains("410") == true)
            let log = try await store.deliveries(DeliveryFilter(subscriptionID: subscription.id))
            #expect(log.first?.state == .dead)
        }
    }

    @Test func thePolicyAtDeliveryTimeDecides() async throws {
        try await Self.world { store, subscriptions in
            try await Self.storeCDM(store, norad: 90001, owner: "operator-a", tag: 1)
            let received = Received()
            let current = Mutex(Self.defaultPolicy)
            let (fanOut, worker) = Self.workers(store, received, policy: { current.withLock { $0 } })
            _ = try await fanOut.round(at: Date())
            // The policy changes after the fan-out: operators may no longer read CDMs.
            let rules = Self.defaultPolicy.rules.filter { $0.id != "operator-own-conjunctions" }
            let revoked = try PolicySet(rules: rules, revision: "test")
            current.withLock { $0 = revoked }
            _ = try await worker.round(at: Date())
            #expect(received.count == 0)
            let log = try await store.deliveries(DeliveryFilter(subscriptionID: subscriptions["operator-a"]!.id))
            #expect(log.first?.state == .dead && log.first?.lastErrorClass == "policy")
        }
    }

    @Test func aCrashBetweenSendingAndRecordingResendsTheSameMessage() async throws {
        try await Self.world { store, subscriptions in
            try await Self.storeCDM(store, norad: 90001, owner: "operator-a", tag: 1)
            let received = Received()
            let (fanOut, worker) = Self.workers(store, received)
            _ = try await fanOut.round(at: Date())
            // A worker claims it and dies before recording: the claim holds for the lease, then lapses.
            let now = Date()
            let claimed = try await store.claimDeliveries(dueAt: now, limit: 10, leaseUntil: now.addingTimeInterval(30))
            #expect(claimed.count == 1)
            #expect(try await worker.round(at: now.addingTimeInterval(10)) == 0)
            #expect(try await worker.round(at: now.addingTimeInterval(31)) == 1)
            #expect(received.calls.withLock { $0.first?.headers["webhook-id"] } == claimed[0].webhookID)
        }
    }

    @Test func replayAndPingQueueAgain() async throws {
        try await Self.world { store, subscriptions in
            try await Self.storeCDM(store, norad: 90001, owner: "operator-a", tag: 1)
            let received = Received()
            let (fanOut, worker) = Self.workers(store, received)
            _ = try await fanOut.round(at: Date())
            _ = try await worker.round(at: Date())
            let subscription = subscriptions["operator-a"]!
            let queued = try await DeliveryReplay.replay(
                subscription, after: 0, store: store, policy: Self.defaultPolicy, at: Date())
            #expect(queued == 1)
            _ = try await store.appendFeedEvent(
                FeedEvent(type: PushAccess.testPing, time: Date(), details: "{\"subscription\":\"\(subscription.id)\"}"))
            _ = try await fanOut.round(at: Date())
            #expect(try await worker.round(at: Date()) == 2)
            let calls = received.calls.withLock { $0 }
            #expect(calls.count == 3)
            #expect(calls[0].headers["webhook-id"] == calls.dropFirst().first { $0.body.count > 200 }?.headers["webhook-id"])
            #expect(calls.contains { String(decoding: $0.body, as: UTF8.self).contains("\"test.ping\"") })
        }
    }
}
