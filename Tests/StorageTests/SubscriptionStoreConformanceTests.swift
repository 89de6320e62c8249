import Foundation
import GatewayCore
import PostgresNIO
import Storage
import Testing

/// Subscriptions, the fan-out cursor and the delivery outbox (issue 10 §1, §5): the same semantics on every engine,
/// claims that never hand out one delivery twice, and the change signals that wake the workers.
@Suite struct SubscriptionStoreConformanceTests {
    /// `sub_` and 16 hexadecimal digits ending in `suffix`.
    static func id(_ suffix: String) -> String { "sub_" + String(repeating: "0", count: 16 - suffix.count) + suffix }

    /// A webhook subscription of `owner`, created at `time(0)`.
    static func webhook(_ suffix: String, owner: String = "operator-a", state: SubscriptionState = .active)
        -> Subscription
    {
        Subscription(
            id: id(suffix), owner: owner, topic: .cdm, format: .json,
            channel: .webhook(url: "https://receiver.example/\(suffix)"), state: state, created: Fixtures.time(),
            secrets: WebhookSecrets(current: "whsec_\(suffix)"))
    }

    /// Identities and three subscriptions: `a1` (operator-a, active), `a2` (operator-a, active), `b1` (operator-b).
    static func seed(_ store: TestedStore) async throws {
        try await Fixtures.seedIdentities(store)
        for subscription in [webhook("a1"), webhook("a2"), webhook("b1", owner: "operator-b")] {
            try await store.createSubscription(subscription)
        }
    }

    /// Pairs of every subscription id with every event id.
    static func pairs(_ suffixes: [String], events: ClosedRange<Int64>) -> [NewDelivery] {
        suffixes.flatMap { suffix in events.map { NewDelivery(subscriptionID: id(suffix), eventID: $0) } }
    }

    @Test(arguments: StoreEngine.all)
    func storesEveryFieldOfEachChannel(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Fixtures.seedIdentities(store)
            let sftp = Subscription(
                id: Self.id("5f"), owner: "operator-b", topic: .product,
                filter: SubscriptionFilter(
                    objects: [90011, 90001, 90011], minimumCollisionProbability: 1e-5, maximumMissDistanceMetres: 2_000,
                    provider: "ssa-centre", participant: "SENSOR-1", kinds: [.cdm, .tdm]),
                format: .xml,
                channel: .sftp(url: "sftp://files.example:2222/in", username: "essor", hostKeySHA256: "AbC+/9"),
                state: .disabled, stateReason: "the owner lost access", created: Fixtures.time(5),
                updated: Fixtures.time(6),
                sshKey: SSHKeyPair(
                    privateKeyOpenSSH: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
                    publicKeyAuthorized: "ssh-ed25519 AAAA essor-sub_000000000000005f"))
            var webhook = Self.webhook("a1")
            webhook.secrets = WebhookSecrets(
                current: "whsec_new", previous: "whsec_old", previousExpires: Fixtures.time(86_400))
            let drop = Subscription(
                id: Self.id("d0"), owner: "admin", topic: .observationRequest, format: .kvn, channel: .drop,
                state: .paused, created: Fixtures.time())
            for subscription in [sftp, webhook, drop] { try await store.createSubscription(subscription) }
            #expect(try await store.subscription(id: sftp.id) == sftp)
            #expect(try await store.subscription(id: webhook.id) == webhook)
            #expect(try await store.subscription(id: drop.id) == drop)
            #expect(try await store.subscriptions(SubscriptionListFilter()) == [sftp, webhook, drop], "by id")
        }
    }

    @Test(arguments: StoreEngine.all)
    func listsByOwnerStateAndKeysetPage(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Self.seed(store)
            try await store.createSubscription(Self.webhook("a3", state: .paused))
            func ids(_ filter: SubscriptionListFilter) async throws -> [String] {
                try await store.subscriptions(filter).map(\.id)
            }
            #expect(try await ids(SubscriptionListFilter()) == ["a1", "a2", "a3", "b1"].map(Self.id))
            #expect(try await ids(SubscriptionListFilter(owner: "operator-a")) == ["a1", "a2", "a3"].map(Self.id))
            #expect(try await ids(SubscriptionListFilter(owner: "nobody")) == [])
            #expect(try await ids(SubscriptionListFilter(states: [.paused, .disabled])) == [Self.id("a3")])
            #expect(try await ids(SubscriptionListFilter(states: [])) == [])
            #expect(
                try await ids(SubscriptionListFilter(afterID: Self.id("a1"), limit: 2)) == ["a2", "a3"].map(Self.id))
            #expect(try await ids(SubscriptionListFilter(limit: 0)) == [])
        }
    }

    @Test(arguments: StoreEngine.all)
    func updatesEveryFieldButOwnerAndCreationAndDeletes(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Self.seed(store)
            var changed = Self.webhook("a1")
            changed.owner = "operator-b"
            changed.created = Fixtures.time(99)
            changed.topic = .tdm
            changed.filter = SubscriptionFilter(objects: [90001], kinds: [.tdm])
            changed.format = .kvn
            changed.channel = .drop
            changed.state = .paused
            changed.stateReason = "holiday"
            changed.updated = Fixtures.time(100)
            changed.secrets = nil
            try await store.updateSubscription(changed)
            var expected = changed
            expected.owner = "operator-a"
            expected.created = Fixtures.time()
            #expect(try await store.subscription(id: changed.id) == expected)

            try await store.deleteSubscription(id: changed.id)
            await #expect(throws: StoreError.notFound(entity: "subscription", key: changed.id)) {
                _ = try await store.subscription(id: changed.id)
            }
            await #expect(throws: StoreError.notFound(entity: "subscription", key: changed.id)) {
                try await store.updateSubscription(changed)
            }
            await #expect(throws: StoreError.notFound(entity: "subscription", key: changed.id)) {
                try await store.deleteSubscription(id: changed.id)
            }
            await #expect(throws: StoreError.notFound(entity: "subscription", key: "nonsense")) {
                _ = try await store.subscription(id: "nonsense")
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func rejectsMalformedTakenAndOrphanSubscriptions(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Self.seed(store)
            var malformed = Self.webhook("a9")
            malformed.id = "sub_ABCDEF0123456789"
            await #expect(throws: StoreError.self) { try await store.createSubscription(malformed) }
            var ownerless = Self.webhook("a9")
            ownerless.owner = ""
            await #expect(throws: StoreError.invalid("a subscription needs an owner")) {
                try await store.createSubscription(ownerless)
            }
            await #expect(throws: StoreError.notFound(entity: "user", key: "nobody")) {
                try await store.createSubscription(Self.webhook("a9", owner: "nobody"))
            }
            await #expect(
                throws: StoreError.conflict(entity: "subscription", key: Self.id("a1"), reason: "already exists")
            ) {
                try await store.createSubscription(Self.webhook("a1", owner: "operator-b"))
            }
            #expect(try await store.subscription(id: Self.id("a1")).owner == "operator-a")
            #expect(try await store.subscriptions(SubscriptionListFilter()).count == 3)
        }
    }

    @Test(arguments: StoreEngine.all)
    func deletingAUserRemovesTheirSubscriptionsAndDeliveries(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Self.seed(store)
            #expect(
                try await store.fanOut(
                    from: 0, to: 2, deliveries: Self.pairs(["a1", "a2", "b1"], events: 1...2), at: Fixtures.time()))
            try await store.deleteUser(named: "operator-a")
            #expect(try await store.subscriptions(SubscriptionListFilter()).map(\.id) == [Self.id("b1")])
            #expect(
                try await store.deliveries(DeliveryFilter()).map(\.subscriptionID) == [Self.id("b1"), Self.id("b1")])
            try await store.deleteSubscription(id: Self.id("b1"))
            #expect(try await store.deliveries(DeliveryFilter()).isEmpty)
        }
    }

    @Test(arguments: StoreEngine.all)
    func fanOutMovesTheCursorByCompareAndSetAndQueuesEachPairOnce(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Self.seed(store)
            #expect(try await store.fanOutCursor() == 0)
            let first =
                Self.pairs(["a1", "b1"], events: 1...3) + [NewDelivery(subscriptionID: Self.id("a1"), eventID: 1)]
            #expect(try await store.fanOut(from: 0, to: 3, deliveries: first, at: Fixtures.time(10)))
            #expect(try await store.fanOutCursor() == 3)
            let queued = try await store.deliveries(DeliveryFilter())
            #expect(queued.count == 6)
            #expect(Set(queued.map(\.id)).count == 6)
            #expect(
                queued.allSatisfy {
                    $0.state == .pending && $0.attempts == 0 && $0.nextAttempt == Fixtures.time(10)
                        && $0.created == Fixtures.time(10) && $0.lastAttempt == nil && $0.delivered == nil
                })

            // A stale cursor: another worker got there first; nothing is written.
            let stale = Self.pairs(["a2"], events: 1...3)
            #expect(try await store.fanOut(from: 0, to: 5, deliveries: stale, at: Fixtures.time(20)) == false)
            #expect(try await store.fanOutCursor() == 3)
            #expect(try await store.deliveries(DeliveryFilter()) == queued)

            // Pairs already queued are left as they are; pairs of deleted subscriptions are skipped.
            let again = Self.pairs(["a1"], events: 3...4) + [NewDelivery(subscriptionID: Self.id("ff"), eventID: 4)]
            #expect(try await store.fanOut(from: 3, to: 4, deliveries: again, at: Fixtures.time(30)))
            let now = try await store.deliveries(DeliveryFilter())
            #expect(now.count == 7)
            #expect(Array(now.dropFirst()) == queued)
            #expect(now[0].subscriptionID == Self.id("a1") && now[0].eventID == 4)
            #expect(try await store.fanOut(from: 4, to: 9, deliveries: [], at: Fixtures.time(40)))
            #expect(try await store.fanOutCursor() == 9)
        }
    }

    @Test(arguments: StoreEngine.all)
    func fanOutQueuesThousandsOfPairsInOneCall(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Self.seed(store)
            let pairs = Self.pairs(["a1", "a2", "b1"], events: 1...2_000)
            let clock = ContinuousClock()
            let start = clock.now
            let moved = try await store.fanOut(from: 0, to: 2_000, deliveries: pairs, at: Fixtures.time())
            let elapsed = clock.now - start
            #expect(moved)
            #expect(try await store.deliveryQueueStatistics().open == 6_000)
            #expect(elapsed < .seconds(10), "fanning out 6,000 pairs took \(elapsed)")
        }
    }

    @Test(arguments: StoreEngine.all)
    func requeueMakesPairsPendingAgainKeepingTheirIDs(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Self.seed(store)
            #expect(
                try await store.fanOut(
                    from: 0, to: 2, deliveries: Self.pairs(["a1"], events: 1...2), at: Fixtures.time()))
            let before = try await store.deliveries(DeliveryFilter())
            let delivered = try #require(before.first { $0.eventID == 1 })
            try await store.recordDeliveryAttempts([
                DeliveryAttempt(
                    deliveryID: delivered.id, time: Fixtures.time(5), state: .dead, errorClass: "http-status",
                    status: 410)
            ])
            let replay =
                Self.pairs(["a1"], events: 1...3) + [NewDelivery(subscriptionID: Self.id("ff"), eventID: 1)]
                + [NewDelivery(subscriptionID: Self.id("a1"), eventID: 3)]
            #expect(try await store.requeueDeliveries(replay, at: Fixtures.time(60)) == 3)
            let after = try await store.deliveries(DeliveryFilter(subscriptionID: Self.id("a1")))
            #expect(after.map(\.eventID) == [3, 2, 1])
            #expect(after.allSatisfy { $0.state == .pending && $0.nextAttempt == Fixtures.time(60) })
            let replayed = try #require(after.last)
            #expect(replayed.id == delivered.id && replayed.attempts == 0 && replayed.created == Fixtures.time())
            #expect(replayed.lastErrorClass == "http-status" && replayed.lastStatus == 410)
            #expect(after[0].attempts == 0 && after[0].created == Fixtures.time(60))
            #expect(try await store.requeueDeliveries([], at: Fixtures.time(60)) == 0)
        }
    }

    @Test(arguments: StoreEngine.all)
    func claimsDueDeliveriesOfActiveSubscriptionsForALease(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Self.seed(store)
            try await store.createSubscription(Self.webhook("c1", state: .paused))
            try await store.createSubscription(Self.webhook("c2", state: .disabled))
            #expect(
                try await store.fanOut(
                    from: 0, to: 1, deliveries: Self.pairs(["a1", "c1", "c2"], events: 1...1), at: Fixtures.time(10)))
            #expect(
                try await store.fanOut(
                    from: 1, to: 2, deliveries: Self.pairs(["a2"], events: 2...2), at: Fixtures.time(5)))
            #expect(
                try await store.fanOut(
                    from: 2, to: 3, deliveries: Self.pairs(["b1"], events: 3...3), at: Fixtures.time(50)))

            #expect(
                try await store.claimDeliveries(dueAt: Fixtures.time(4), limit: 10, leaseUntil: Fixtures.time(100))
                    .isEmpty)
            #expect(
                try await store.claimDeliveries(dueAt: Fixtures.time(20), limit: 0, leaseUntil: Fixtures.time(100))
                    .isEmpty)
            let claimed = try await store.claimDeliveries(
                dueAt: Fixtures.time(20), limit: 10, leaseUntil: Fixtures.time(100))
            #expect(claimed.map(\.subscriptionID) == [Self.id("a2"), Self.id("a1")], "oldest due first, active only")
            #expect(claimed.allSatisfy { $0.nextAttempt == Fixtures.time(100) && $0.state == .pending })
            let stored = try await store.deliveries(DeliveryFilter())
            #expect(claimed.allSatisfy { stored.contains($0) }, "returned as stored")

            // Claimed: not again before the lease lapses, even when due otherwise.
            let later = try await store.claimDeliveries(
                dueAt: Fixtures.time(99), limit: 10, leaseUntil: Fixtures.time(200))
            #expect(later.map(\.subscriptionID) == [Self.id("b1")])
            let lapsed = try await store.claimDeliveries(
                dueAt: Fixtures.time(100), limit: 1, leaseUntil: Fixtures.time(300))
            #expect(lapsed.map(\.id) == [claimed[1].id], "a1 and a2 both lapse at 100: the older row first")

            // Delivered and dead ones are never claimed; paused and disabled subscriptions' wait for reactivation.
            try await store.recordDeliveryAttempts([
                DeliveryAttempt(deliveryID: claimed[1].id, time: Fixtures.time(101), state: .delivered, status: 200),
                DeliveryAttempt(deliveryID: later[0].id, time: Fixtures.time(101), state: .dead, errorClass: "policy"),
            ])
            let remaining = try await store.claimDeliveries(
                dueAt: Fixtures.time(250), limit: 10, leaseUntil: Fixtures.time(900))
            #expect(remaining.map(\.id) == [claimed[0].id])
            var resumed = Self.webhook("c1")
            resumed.updated = Fixtures.time(260)
            try await store.updateSubscription(resumed)
            let resumedClaim = try await store.claimDeliveries(
                dueAt: Fixtures.time(300), limit: 10, leaseUntil: Fixtures.time(900))
            #expect(resumedClaim.map(\.subscriptionID) == [Self.id("c1")])
        }
    }

    @Test(arguments: StoreEngine.all)
    func concurrentClaimsNeverHandOutADeliveryTwice(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Self.seed(store)
            let pairs = Self.pairs(["a1", "a2", "b1"], events: 1...100)
            #expect(try await store.fanOut(from: 0, to: 100, deliveries: pairs, at: Fixtures.time()))
            let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let claimed = try await store.claimDeliveries(
                                dueAt: Fixtures.time(10), limit: 7, leaseUntil: Fixtures.time(1_000))
                            if claimed.isEmpty { return mine }
                            mine += claimed.map(\.id)
                        }
                    }
                }
                var all: [Int64] = []
                for try await ids in group { all += ids }
                return all
            }
            #expect(claims.count == 300)
            #expect(Set(claims).count == 300)
        }
    }

    @Test(arguments: StoreEngine.all)
    func recordsAttemptsInOneBatchIgnoringVanishedDeliveries(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Self.seed(store)
            #expect(
                try await store.fanOut(
                    from: 0, to: 2, deliveries: Self.pairs(["a1", "b1"], events: 1...2), at: Fixtures.time()))
            let queued = try await store.deliveries(DeliveryFilter()).sorted { $0.id < $1.id }
            try await store.recordDeliveryAttempts([
                DeliveryAttempt(
                    deliveryID: queued[0].id, time: Fixtures.time(10), state: .failed, nextAttempt: Fixtures.time(40),
                    errorClass: "http-status", status: 503, error: "Service Unavailable"),
                DeliveryAttempt(deliveryID: queued[1].id, time: Fixtures.time(11), state: .delivered, status: 204),
                DeliveryAttempt(
                    deliveryID: queued[2].id, time: Fixtures.time(12), state: .dead, errorClass: "policy",
                    error: "no longer allowed"),
                DeliveryAttempt(deliveryID: 987_654, time: Fixtures.time(12), state: .delivered),
            ])
            try await store.recordDeliveryAttempts([
                DeliveryAttempt(
                    deliveryID: queued[0].id, time: Fixtures.time(41), state: .failed, nextAttempt: Fixtures.time(100),
                    errorClass: "timeout", error: "no answer in 15 s")
            ])
            try await store.recordDeliveryAttempts([
                DeliveryAttempt(deliveryID: queued[0].id, time: Fixtures.time(101), state: .delivered, status: 200)
            ])
            try await store.recordDeliveryAttempts([])
            let recorded = try await store.deliveries(DeliveryFilter()).sorted { $0.id < $1.id }
            var first = queued[0]
            first.state = .delivered
            first.attempts = 3
            first.nextAttempt = nil
            first.lastAttempt = Fixtures.time(101)
            first.lastStatus = 200
            first.delivered = Fixtures.time(101)
            var second = queued[1]
            second.state = .delivered
            second.attempts = 1
            second.nextAttempt = nil
            second.lastAttempt = Fixtures.time(11)
            second.lastStatus = 204
            second.delivered = Fixtures.time(11)
            var third = queued[2]
            third.state = .dead
            third.attempts = 1
            third.nextAttempt = nil
            third.lastAttempt = Fixtures.time(12)
            third.lastErrorClass = "policy"
            third.lastError = "no longer allowed"
            #expect(recorded == [first, second, third, queued[3]])

            try await store.recordDeliveryAttempts([
                DeliveryAttempt(
                    deliveryID: queued[3].id, time: Fixtures.time(12), state: .failed, nextAttempt: Fixtures.time(70),
                    errorClass: "connect", error: "refused")
            ])
            let failed = try await store.deliveries(DeliveryFilter(states: [.failed]))
            #expect(failed.count == 1 && failed[0].nextAttempt == Fixtures.time(70) && failed[0].lastStatus == nil)
        }
    }

    @Test(arguments: StoreEngine.all)
    func listsDeliveriesNewestFirstAndCountsTheOpenQueue(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Self.seed(store)
            #expect(
                try await store.deliveryQueueStatistics() == DeliveryQueueStatistics(open: 0, oldestOpenCreated: nil))
            #expect(
                try await store.fanOut(
                    from: 0, to: 2, deliveries: Self.pairs(["a1", "b1"], events: 1...2), at: Fixtures.time(10)))
            #expect(
                try await store.fanOut(
                    from: 2, to: 3, deliveries: Self.pairs(["a1", "a2"], events: 3...3), at: Fixtures.time(20)))
            let all = try await store.deliveries(DeliveryFilter())
            #expect(all.map(\.id) == all.map(\.id).sorted(by: >))
            #expect(all.count == 6)
            func events(_ filter: DeliveryFilter) async throws -> [Int64] {
                try await store.deliveries(filter).map(\.eventID)
            }
            #expect(try await events(DeliveryFilter(subscriptionID: Self.id("a1"))) == [3, 2, 1])
            #expect(try await events(DeliveryFilter(subscriptionID: Self.id("a1"), limit: 2)) == [3, 2])
            let a1 = try await store.deliveries(DeliveryFilter(subscriptionID: Self.id("a1")))
            #expect(try await events(DeliveryFilter(subscriptionID: Self.id("a1"), beforeID: a1[0].id)) == [2, 1])
            #expect(try await events(DeliveryFilter(beforeID: all[0].id)).count == 5)
            #expect(try await events(DeliveryFilter(states: [])) == [])
            #expect(try await events(DeliveryFilter(limit: 0)) == [])

            try await store.recordDeliveryAttempts([
                DeliveryAttempt(deliveryID: a1[2].id, time: Fixtures.time(30), state: .delivered),
                DeliveryAttempt(
                    deliveryID: a1[1].id, time: Fixtures.time(30), state: .failed, nextAttempt: Fixtures.time(90)),
                DeliveryAttempt(deliveryID: a1[0].id, time: Fixtures.time(30), state: .dead),
            ])
            #expect(
                try await events(DeliveryFilter(subscriptionID: Self.id("a1"), states: [.failed, .dead])) == [3, 2])
            #expect(try await events(DeliveryFilter(states: [.pending])).count == 3)
            // Open: a1's failed event 2, b1's events 1 and 2 (created at 10), a2's event 3.
            #expect(
                try await store.deliveryQueueStatistics()
                    == DeliveryQueueStatistics(open: 4, oldestOpenCreated: Fixtures.time(10)))
            var paused = Self.webhook("b1", owner: "operator-b", state: .paused)
            paused.updated = Fixtures.time(40)
            try await store.updateSubscription(paused)
            #expect(
                try await store.deliveryQueueStatistics()
                    == DeliveryQueueStatistics(open: 2, oldestOpenCreated: Fixtures.time(10)))
        }
    }

    @Test(arguments: StoreEngine.all)
    func signalsFeedChangesAndQueuedDeliveries(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await Self.seed(store)
            var feed = store.feedChanges.generation
            _ = try await store.storeProduct(try Fixtures.product(fixture: Fixtures.cdmFixture))
            #expect(await store.feedChanges.wait(after: feed, timeout: .seconds(5)))
            feed = store.feedChanges.generation
            _ = try await store.appendFeedEvent(FeedEvent(type: "maintenance", time: Fixtures.time()))
            #expect(await store.feedChanges.wait(after: feed, timeout: .seconds(5)))

            var deliveries = store.deliveryChanges.generation
            #expect(
                try await store.fanOut(
                    from: 0, to: 1, deliveries: Self.pairs(["a1"], events: 1...1), at: Fixtures.time()))
            #expect(await store.deliveryChanges.wait(after: deliveries, timeout: .seconds(5)))
            deliveries = store.deliveryChanges.generation
            #expect(try await store.requeueDeliveries(Self.pairs(["a1"], events: 1...1), at: Fixtures.time()) == 1)
            #expect(await store.deliveryChanges.wait(after: deliveries, timeout: .seconds(5)))
        }
    }

    /// Another gateway on the same database (here a second store) hears the commits through `LISTEN/NOTIFY`.
    @Test func postgresStoresHearEachOthersCommits() async throws {
        try await PostgresTestServer.withSchema { url, schema in
            let writer = try await PostgresStore(
                url: url, schema: schema, logger: PostgresTestServer.logger, listensForChanges: false)
            try await Self.seed(writer)
            let reader = try await PostgresStore(url: url, schema: schema, logger: PostgresTestServer.logger)
            // The reader's listener connects in the background: a notification sent before it listens is not heard,
            // so the writer repeats until the reader hears one (the payload names this test's schema only).
            func heard(_ signal: ChangeSignal, after write: () async throws -> Void) async throws -> Bool {
                for _ in 0..<20 {
                    let generation = signal.generation
                    try await write()
                    if await signal.wait(after: generation, timeout: .milliseconds(500)) { return true }
                }
                return false
            }
            #expect(
                try await heard(reader.feedChanges) {
                    _ = try await writer.appendFeedEvent(FeedEvent(type: "maintenance", time: Fixtures.time()))
                })
            #expect(
                try await heard(reader.deliveryChanges) {
                    _ = try await writer.requeueDeliveries(Self.pairs(["a1"], events: 1...1), at: Fixtures.time())
                })
            await writer.shutdown()
            await reader.shutdown()
        }
    }

    /// A store whose listening connection is lost listens again (after its back-off) and hears later commits.
    @Test func postgresListenerListensAgainAfterALostConnection() async throws {
        try await PostgresTestServer.withSchema { url, schema in
            let writer = try await PostgresStore(
                url: url, schema: schema, logger: PostgresTestServer.logger, listensForChanges: false)
            let name = "essor-listener-test-\(UUID().uuidString.prefix(8))"
            var configuration = try PostgresStore.configuration(url: url, schema: schema)
            configuration.options.additionalStartupParameters.append(("application_name", name))
            let reader = try await PostgresStore(configuration: configuration, logger: PostgresTestServer.logger)
            func heard() async throws -> Bool {
                for _ in 0..<20 {
                    let generation = reader.feedChanges.generation
                    _ = try await writer.appendFeedEvent(FeedEvent(type: "maintenance", time: Fixtures.time()))
                    if await reader.feedChanges.wait(after: generation, timeout: .milliseconds(500)) { return true }
                }
                return false
            }
            #expect(try await heard())
            let generation = reader.feedChanges.generation
            try await PostgresTestServer.execute(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE application_name = '\(name)' AND query LIKE 'LISTEN%'
                """, url: url)
            #expect(
                await reader.feedChanges.wait(after: generation, timeout: .seconds(10)),
                "listening again signals: commits in between were not heard")
            #expect(try await heard())
            await writer.shutdown()
            await reader.shutdown()
        }
    }
}
