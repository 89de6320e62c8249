import Foundation
import GatewayCore
import PostgresNIO

extension PostgresStore: SubscriptionStore {
    /// Adds a subscription; the owner's row is locked (`FOR KEY SHARE`) so it cannot be deleted meanwhile.
    public func createSubscription(_ subscription: Subscription) async throws(StoreError) {
        let r = try SubscriptionRecord(subscription)
        try await transaction { db in
            if try await !db.rows("SELECT 1 FROM subscriptions WHERE id = \(r.id)", self.logger).isEmpty {
                throw StoreError.conflict(entity: "subscription", key: r.id, reason: "already exists")
            }
            guard try await Self.userExists(db, r.owner, self.logger, lock: true) else {
                throw StoreError.notFound(entity: "user", key: r.owner)
            }
            _ = try await db.rows(
                """
                INSERT INTO subscriptions (id, owner, topic, objects, min_pc, max_miss_m, provider, participant, kinds,
                                           format, channel_type, channel_url, channel_username,
                                           channel_host_key_sha256, state, state_reason, created_us, updated_us,
                                           secret_current, secret_previous, secret_previous_expires_us,
                                           ssh_private_key, ssh_public_key)
                VALUES (\(r.id), \(r.owner), \(r.topic), \(r.objects), \(r.minimumCollisionProbability),
                        \(r.maximumMissDistanceMetres), \(r.provider), \(r.participant), \(r.kinds), \(r.format),
                        \(r.channelType), \(r.channelURL), \(r.channelUsername), \(r.channelHostKeySHA256), \(r.state),
                        \(r.stateReason), \(r.createdUS), \(r.updatedUS), \(r.secretCurrent), \(r.secretPrevious),
                        \(r.secretPreviousExpiresUS), \(r.sshPrivateKey), \(r.sshPublicKey))
                """, self.logger)
        }
    }

    /// The subscription with `id`.
    public func subscription(id: String) async throws(StoreError) -> Subscription {
        let found = try await rows(
            "SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions WHERE id = \(id)")
        guard let row = found.first else { throw .notFound(entity: "subscription", key: id) }
        return try Self.decoding { try Self.subscription(row) }
    }

    /// The subscriptions `filter` selects, by ascending id (a condition whose value is NULL holds for every row).
    public func subscriptions(_ filter: SubscriptionListFilter) async throws(StoreError) -> [Subscription] {
        let states = filter.states.map { $0.map(\.rawValue).sorted() }
        let found = try await rows(
            """
            SELECT \(unescaped: Self.subscriptionColumns) FROM subscriptions
            WHERE (\(filter.owner)::text IS NULL OR owner = \(filter.owner))
              AND (\(states)::text[] IS NULL OR state = ANY(\(states)::text[]))
              AND (\(filter.afterID)::text IS NULL OR id > \(filter.afterID))
            ORDER BY id LIMIT \(filter.limit.map { Int64(max($0, 0)) })
            """)
        return try Self.decoding { try found.map(Self.subscription) }
    }

    /// Replaces every field but the owner and the creation time.
    public func updateSubscription(_ subscription: Subscription) async throws(StoreError) {
        guard Subscription.isID(subscription.id) else { throw .notFound(entity: "subscription", key: subscription.id) }
        let r = try SubscriptionRecord(subscription, checkingOwner: false)
        let changed = try await rows(
            """
            UPDATE subscriptions SET topic = \(r.topic), objects = \(r.objects), min_pc = \(r.minimumCollisionProbability),
                max_miss_m = \(r.maximumMissDistanceMetres), provider = \(r.provider), participant = \(r.participant),
                kinds = \(r.kinds), format = \(r.format), channel_type = \(r.channelType), channel_url = \(r.channelURL),
                channel_username = \(r.channelUsername), channel_host_key_sha256 = \(r.channelHostKeySHA256),
                state = \(r.state), state_reason = \(r.stateReason), updated_us = \(r.updatedUS),
                secret_current = \(r.secretCurrent), secret_previous = \(r.secretPrevious),
                secret_previous_expires_us = \(r.secretPreviousExpiresUS), ssh_private_key = \(r.sshPrivateKey),
                ssh_public_key = \(r.sshPublicKey)
            WHERE id = \(r.id)
            RETURNING id
            """)
        if changed.isEmpty { throw .notFound(entity: "subscription", key: r.id) }
    }

    /// Removes the subscription; its deliveries go with it (`ON DELETE CASCADE`).
    public func deleteSubscription(id: String) async throws(StoreError) {
        let deleted = try await rows("DELETE FROM subscriptions WHERE id = \(id) RETURNING id")
        if deleted.isEmpty { throw .notFound(entity: "subscription", key: id) }
    }

    /// The last feed event id the fan-out has processed.
    public func fanOutCursor() async throws(StoreError) -> Int64 {
        let found = try await rows("SELECT last_event_id FROM fanout_cursor WHERE id = 1")
        guard let row = found.first else { throw .schema("the fan-out cursor is missing") }
        return try Self.decoding { try row.decode(Int64.self) }
    }

    /// Moves the cursor by compare-and-set and queues `deliveries` in one transaction: the `UPDATE` locks the cursor's
    /// row, so a second worker with the same `expected` waits, then finds the cursor moved and writes nothing. The
    /// pairs go in as one statement over arrays; pairs of deleted subscriptions are skipped. `pg_notify` is
    /// delivered at commit.
    public func fanOut(from expected: Int64, to cursor: Int64, deliveries: [NewDelivery], at time: Date)
        async throws(StoreError) -> Bool
    {
        let pairs = NewDelivery.unique(deliveries)
        let due = StoreTime.microseconds(time)
        let moved = try await transaction { db in
            let moved = try await db.rows(
                """
                UPDATE fanout_cursor SET last_event_id = \(cursor) WHERE id = 1 AND last_event_id = \(expected)
                RETURNING last_event_id
                """, self.logger)
            guard !moved.isEmpty else { return false }
            guard !pairs.isEmpty else { return true }
            _ = try await db.rows(
                """
                INSERT INTO deliveries (subscription_id, event_id, state, attempts, next_attempt_us, created_us)
                SELECT s.id, x.event_id, 'pending', 0, \(due), \(due)
                FROM unnest(\(pairs.map(\.subscriptionID))::text[], \(pairs.map(\.eventID))::bigint[])
                     WITH ORDINALITY AS x(subscription_id, event_id, ord)
                JOIN subscriptions s ON s.id = x.subscription_id
                ORDER BY x.ord
                ON CONFLICT (subscription_id, event_id) DO NOTHING
                """, self.logger)
            try await Self.notify(db, Self.deliveriesChannel, self.logger)
            return true
        }
        if moved && !pairs.isEmpty { deliveryChanges.signal() }
        return moved
    }

    /// Creates the missing pairs and makes the existing ones pending, due at `time`, in one statement. New rows take
    /// their ids in the order given, as on SQLite.
    public func requeueDeliveries(_ deliveries: [NewDelivery], at time: Date) async throws(StoreError) -> Int {
        let pairs = NewDelivery.unique(deliveries)
        guard !pairs.isEmpty else { return 0 }
        let due = StoreTime.microseconds(time)
        let pending = try await transaction { db in
            let queued = try await db.rows(
                """
                INSERT INTO deliveries (subscription_id, event_id, state, attempts, next_attempt_us, created_us)
                SELECT s.id, x.event_id, 'pending', 0, \(due), \(due)
                FROM unnest(\(pairs.map(\.subscriptionID))::text[], \(pairs.map(\.eventID))::bigint[])
                     WITH ORDINALITY AS x(subscription_id, event_id, ord)
                JOIN subscriptions s ON s.id = x.subscription_id
                ORDER BY x.ord
                ON CONFLICT (subscription_id, event_id) DO UPDATE SET
                    state = 'pending', attempts = 0, next_attempt_us = excluded.next_attempt_us
                RETURNING id
                """, self.logger)
            if !queued.isEmpty { try await Self.notify(db, Self.deliveriesChannel, self.logger) }
            return queued.count
        }
        if pending > 0 { deliveryChanges.signal() }
        return pending
    }

    /// Claims the due open deliveries of active subscriptions in one statement. `FOR UPDATE OF d SKIP LOCKED` passes
    /// over rows another worker is claiming; one it has claimed and committed is re-checked (READ COMMITTED) and
    /// found no longer due, so no delivery is handed out twice.
    public func claimDeliveries(dueAt time: Date, limit: Int, leaseUntil: Date) async throws(StoreError) -> [Delivery] {
        guard limit > 0 else { return [] }
        let now = StoreTime.microseconds(time)
        let lease = StoreTime.microseconds(leaseUntil)
        let found = try await rows(
            """
            UPDATE deliveries SET next_attempt_us = \(lease)
            FROM (
                SELECT d.id, d.next_attempt_us AS due FROM deliveries d
                JOIN subscriptions s ON s.id = d.subscription_id
                WHERE d.state IN ('pending', 'failed') AND d.next_attempt_us <= \(now) AND s.state = 'active'
                ORDER BY d.next_attempt_us, d.id LIMIT \(Int64(limit))
                FOR UPDATE OF d SKIP LOCKED
            ) AS claimed
            WHERE deliveries.id = claimed.id
            RETURNING claimed.due, \(unescaped: Self.deliveryColumns("deliveries"))
            """)
        let claimed = try Self.decoding {
            try found.map { row in
                (try row.makeRandomAccess()[0].decode(Int64.self), try Self.delivery(row, skipping: 1))
            }
        }
        return claimed.sorted { ($0.0, $0.1.id) < ($1.0, $1.1.id) }.map(\.1)
    }

    /// Records the attempts in one statement over a JSON array of rows; ids that no longer exist match nothing.
    public func recordDeliveryAttempts(_ attempts: [DeliveryAttempt]) async throws(StoreError) {
        guard !attempts.isEmpty else { return }
        let batch = try Self.json(attempts.map(AttemptRow.init))
        _ = try await rows(
            """
            UPDATE deliveries d SET attempts = d.attempts + 1, state = a.state, next_attempt_us = a.next_attempt_us,
                last_attempt_us = a.time_us, last_error_class = a.error_class, last_status = a.status,
                last_error = a.error,
                delivered_us = CASE WHEN a.state = 'delivered' THEN a.time_us ELSE d.delivered_us END
            FROM jsonb_to_recordset(\(batch)::jsonb) AS a(
                delivery_id bigint, state text, next_attempt_us bigint, time_us bigint, error_class text,
                status bigint, error text)
            WHERE d.id = a.delivery_id
            """)
    }

    /// The deliveries `filter` selects, newest first (a condition whose value is NULL holds for every row).
    public func deliveries(_ filter: DeliveryFilter) async throws(StoreError) -> [Delivery] {
        let states = filter.states.map { $0.map(\.rawValue).sorted() }
        let found = try await rows(
            """
            SELECT \(unescaped: DeliveryRecord.columns) FROM deliveries
            WHERE (\(filter.subscriptionID)::text IS NULL OR subscription_id = \(filter.subscriptionID))
              AND (\(states)::text[] IS NULL OR state = ANY(\(states)::text[]))
              AND (\(filter.beforeID)::bigint IS NULL OR id < \(filter.beforeID))
            ORDER BY id DESC LIMIT \(filter.limit.map { Int64(max($0, 0)) })
            """)
        return try Self.decoding { try found.map { try Self.delivery($0) } }
    }

    /// Counts the open deliveries of active subscriptions (through `deliveries_due`).
    public func deliveryQueueStatistics() async throws(StoreError) -> DeliveryQueueStatistics {
        let found = try await rows(
            """
            SELECT count(*), min(d.created_us) FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
            WHERE d.state IN ('pending', 'failed') AND s.state = 'active'
            """)
        let (open, oldest) = try Self.decoding { try found[0].decode((Int, Int64?).self) }
        return DeliveryQueueStatistics(open: open, oldestOpenCreated: oldest.map(StoreTime.date))
    }
}

// MARK: - Rows

extension PostgresStore {
    static let subscriptionColumns = """
        id, owner, topic, objects, min_pc, max_miss_m, provider, participant, kinds, format, channel_type, \
        channel_url, channel_username, channel_host_key_sha256, state, state_reason, created_us, updated_us, \
        secret_current, secret_previous, secret_previous_expires_us, ssh_private_key, ssh_public_key
        """

    static func deliveryColumns(_ table: String) -> String {
        DeliveryRecord.columns.split(separator: ", ").map { "\(table).\($0)" }.joined(separator: ", ")
    }

    static func subscription(_ row: PostgresRow) throws -> Subscription {
        let columns = row.makeRandomAccess()
        func column<T: PostgresDecodable>(_ index: Int, _ type: T.Type = T.self) throws -> T {
            try columns[index].decode(T.self)
        }
        return try SubscriptionRecord(
            id: column(0), owner: column(1), topic: column(2), objects: column(3),
            minimumCollisionProbability: column(4),
            maximumMissDistanceMetres: column(5), provider: column(6), participant: column(7), kinds: column(8),
            format: column(9), channelType: column(10), channelURL: column(11), channelUsername: column(12),
            channelHostKeySHA256: column(13), state: column(14), stateReason: column(15), createdUS: column(16),
            updatedUS: column(17), secretCurrent: column(18), secretPrevious: column(19),
            secretPreviousExpiresUS: column(20), sshPrivateKey: column(21), sshPublicKey: column(22)
        ).subscription()
    }

    /// The delivery in `row`'s columns from `skipping` on, in `DeliveryRecord.columns` order.
    static func delivery(_ row: PostgresRow, skipping: Int = 0) throws -> Delivery {
        let columns = row.makeRandomAccess()
        func column<T: PostgresDecodable>(_ index: Int, _ type: T.Type = T.self) throws -> T {
            try columns[skipping + index].decode(T.self)
        }
        return try DeliveryRecord.delivery(
            id: column(0), subscriptionID: column(1), eventID: column(2), state: column(3), attempts: column(4),
            nextAttemptUS: column(5), createdUS: column(6), lastAttemptUS: column(7), lastErrorClass: column(8),
            lastStatus: column(9), lastError: column(10), deliveredUS: column(11))
    }
}

/// A `deliveries` update as `jsonb_to_recordset` reads it.
private struct AttemptRow: Encodable {
    var deliveryID: Int64
    var state: String
    var nextAttemptUS: Int64?
    var timeUS: Int64
    var errorClass: String?
    var status: Int?
    var error: String?

    init(_ attempt: DeliveryAttempt) {
        deliveryID = attempt.deliveryID
        state = attempt.state.rawValue
        nextAttemptUS = attempt.nextAttempt.map(StoreTime.microseconds)
        timeUS = StoreTime.microseconds(attempt.time)
        errorClass = attempt.errorClass
        status = attempt.status
        error = attempt.error
    }
}
