import Foundation
import GRDB
import GatewayCore

extension SQLiteStore: SubscriptionStore {
    /// Adds a subscription.
    public func createSubscription(_ subscription: Subscription) async throws(StoreError) {
        let record = try SubscriptionRecord(subscription)
        try await write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM subscriptions WHERE id = ?", arguments: [record.id]) != nil {
                throw StoreError.conflict(entity: "subscription", key: record.id, reason: "already exists")
            }
            guard try Self.userExists(db, record.owner) else {
                throw StoreError.notFound(entity: "user", key: record.owner)
            }
            try db.execute(
                sql: """
                    INSERT INTO subscriptions (id, owner, topic, objects, min_pc, max_miss_m, provider, participant,
                                               kinds, format, channel_type, channel_url, channel_username,
                                               channel_host_key_sha256, state, state_reason, created_us, updated_us,
                                               secret_current, secret_previous, secret_previous_expires_us,
                                               ssh_private_key, ssh_public_key)
                    VALUES (:id, :owner, :topic, :objects, :pc, :miss, :provider, :participant, :kinds, :format,
                            :channelType, :url, :username, :hostKey, :state, :reason, :created, :updated, :current,
                            :previous, :expires, :privateKey, :publicKey)
                    """,
                arguments: Self.arguments(record))
        }
    }

    /// The subscription with `id`.
    public func subscription(id: String) async throws(StoreError) -> Subscription {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM subscriptions WHERE id = ?", arguments: [id])
            else { throw StoreError.notFound(entity: "subscription", key: id) }
            return try Self.subscription(row)
        }
    }

    /// The subscriptions `filter` selects, by ascending id: only the conditions it sets, each with its arguments.
    public func subscriptions(_ filter: SubscriptionListFilter) async throws(StoreError) -> [Subscription] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let owner = filter.owner {
            conditions.append("owner = ?")
            arguments += [owner]
        }
        if let states = filter.states {
            conditions.append(Self.isOneOf("state", states.map(\.rawValue), &arguments))
        }
        if let afterID = filter.afterID {
            conditions.append("id > ?")
            arguments += [afterID]
        }
        arguments += [filter.limit.map { max($0, 0) } ?? -1]  // -1: no limit
        let sql = """
            SELECT * FROM subscriptions \(Self.whereClause(conditions)) ORDER BY id LIMIT ?
            """
        return try await read { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.subscription)
        }
    }

    /// Replaces every field but the owner and the creation time.
    public func updateSubscription(_ subscription: Subscription) async throws(StoreError) {
        guard Subscription.isID(subscription.id) else { throw .notFound(entity: "subscription", key: subscription.id) }
        let record = try SubscriptionRecord(subscription, checkingOwner: false)
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE subscriptions SET topic = :topic, objects = :objects, min_pc = :pc, max_miss_m = :miss,
                        provider = :provider, participant = :participant, kinds = :kinds, format = :format,
                        channel_type = :channelType, channel_url = :url, channel_username = :username,
                        channel_host_key_sha256 = :hostKey, state = :state, state_reason = :reason,
                        updated_us = :updated, secret_current = :current, secret_previous = :previous,
                        secret_previous_expires_us = :expires, ssh_private_key = :privateKey,
                        ssh_public_key = :publicKey
                    WHERE id = :id
                    """,
                arguments: Self.arguments(record))
            if db.changesCount == 0 { throw StoreError.notFound(entity: "subscription", key: record.id) }
        }
    }

    /// Removes the subscription; its deliveries go with it (`ON DELETE CASCADE`).
    public func deleteSubscription(id: String) async throws(StoreError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM subscriptions WHERE id = ?", arguments: [id])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "subscription", key: id) }
        }
    }

    /// The last feed event id the fan-out has processed.
    public func fanOutCursor() async throws(StoreError) -> Int64 {
        try await read { db in try Self.cursor(db) }
    }

    /// Moves the cursor from `expected` to `cursor` and queues `deliveries` in one write transaction. SQLite has one
    /// writer at a time, so reading the cursor and writing are atomic; pairs of deleted subscriptions are skipped.
    public func fanOut(from expected: Int64, to cursor: Int64, deliveries: [NewDelivery], at time: Date)
        async throws(StoreError) -> Bool
    {
        let pairs = NewDelivery.unique(deliveries)
        let due = StoreTime.microseconds(time)
        let moved = try await write { db in
            try db.execute(
                sql: "UPDATE fanout_cursor SET last_event_id = ? WHERE id = 1 AND last_event_id = ?",
                arguments: [cursor, expected])
            guard db.changesCount == 1 else { return false }
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO deliveries (subscription_id, event_id, state, attempts, next_attempt_us, created_us)
                    SELECT id, ?, 'pending', 0, ?, ? FROM subscriptions WHERE id = ?
                    ON CONFLICT (subscription_id, event_id) DO NOTHING
                    """)
            for pair in pairs {
                try insert.execute(arguments: [pair.eventID, due, due, pair.subscriptionID])
            }
            return true
        }
        if moved && !pairs.isEmpty { deliveryChanges.signal() }
        return moved
    }

    /// Creates the missing pairs and makes the existing ones pending, due at `time`, in one write transaction.
    public func requeueDeliveries(_ deliveries: [NewDelivery], at time: Date) async throws(StoreError) -> Int {
        let pairs = NewDelivery.unique(deliveries)
        let due = StoreTime.microseconds(time)
        let pending = try await write { db in
            let upsert = try db.makeStatement(
                sql: """
                    INSERT INTO deliveries (subscription_id, event_id, state, attempts, next_attempt_us, created_us)
                    SELECT id, ?, 'pending', 0, ?, ? FROM subscriptions WHERE id = ?
                    ON CONFLICT (subscription_id, event_id) DO UPDATE SET
                        state = 'pending', attempts = 0, next_attempt_us = excluded.next_attempt_us
                    """)
            var count = 0
            for pair in pairs {
                try upsert.execute(arguments: [pair.eventID, due, due, pair.subscriptionID])
                count += db.changesCount
            }
            return count
        }
        if pending > 0 { deliveryChanges.signal() }
        return pending
    }

    /// Claims the due open deliveries of active subscriptions in one write transaction (SQLite's single writer is
    /// the lock).
    public func claimDeliveries(dueAt time: Date, limit: Int, leaseUntil: Date) async throws(StoreError) -> [Delivery] {
        guard limit > 0 else { return [] }
        let now = StoreTime.microseconds(time)
        let lease = StoreTime.microseconds(leaseUntil)
        return try await write { db in
            let due = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.deliveryColumns("d")) FROM deliveries d
                    JOIN subscriptions s ON s.id = d.subscription_id
                    WHERE d.state IN ('pending', 'failed') AND d.next_attempt_us <= ? AND s.state = 'active'
                    ORDER BY d.next_attempt_us, d.id LIMIT ?
                    """,
                arguments: [now, limit]
            ).map(Self.delivery)
            let claim = try db.makeStatement(sql: "UPDATE deliveries SET next_attempt_us = ? WHERE id = ?")
            for delivery in due { try claim.execute(arguments: [lease, delivery.id]) }
            return due.map { delivery in
                var claimed = delivery
                claimed.nextAttempt = StoreTime.date(lease)
                return claimed
            }
        }
    }

    /// Records the attempts in one write transaction; ids that no longer exist change nothing.
    public func recordDeliveryAttempts(_ attempts: [DeliveryAttempt]) async throws(StoreError) {
        guard !attempts.isEmpty else { return }
        try await write { db in
            let record = try db.makeStatement(
                sql: """
                    UPDATE deliveries SET attempts = attempts + 1, state = :state, next_attempt_us = :next,
                        last_attempt_us = :time, last_error_class = :class, last_status = :status,
                        last_error = :error,
                        delivered_us = CASE WHEN :state = 'delivered' THEN :time ELSE delivered_us END
                    WHERE id = :id
                    """)
            for attempt in attempts {
                try record.execute(arguments: [
                    "id": attempt.deliveryID, "state": attempt.state.rawValue,
                    "next": attempt.nextAttempt.map(StoreTime.microseconds),
                    "time": StoreTime.microseconds(attempt.time), "class": attempt.errorClass,
                    "status": attempt.status, "error": attempt.error,
                ])
            }
        }
    }

    /// The deliveries `filter` selects, newest first: only the conditions it sets, each with its arguments.
    public func deliveries(_ filter: DeliveryFilter) async throws(StoreError) -> [Delivery] {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let subscriptionID = filter.subscriptionID {
            conditions.append("subscription_id = ?")
            arguments += [subscriptionID]
        }
        if let states = filter.states {
            conditions.append(Self.isOneOf("state", states.map(\.rawValue), &arguments))
        }
        if let beforeID = filter.beforeID {
            conditions.append("id < ?")
            arguments += [beforeID]
        }
        arguments += [filter.limit.map { max($0, 0) } ?? -1]  // -1: no limit
        let sql = """
            SELECT \(Self.deliveryColumns()) FROM deliveries \(Self.whereClause(conditions)) ORDER BY id DESC LIMIT ?
            """
        return try await read { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.delivery)
        }
    }

    /// Counts the open deliveries of active subscriptions (through `deliveries_due`).
    public func deliveryQueueStatistics() async throws(StoreError) -> DeliveryQueueStatistics {
        try await read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) AS open, min(d.created_us) AS oldest FROM deliveries d
                    JOIN subscriptions s ON s.id = d.subscription_id
                    WHERE d.state IN ('pending', 'failed') AND s.state = 'active'
                    """)
            return DeliveryQueueStatistics(
                open: row?["open"] ?? 0, oldestOpenCreated: (row?["oldest"] as Int64?).map(StoreTime.date))
        }
    }
}

// MARK: - Rows

extension SQLiteStore {
    static func cursor(_ db: Database) throws -> Int64 {
        guard let cursor = try Int64.fetchOne(db, sql: "SELECT last_event_id FROM fanout_cursor WHERE id = 1") else {
            throw StoreError.schema("the fan-out cursor is missing")
        }
        return cursor
    }

    /// `column IN (?, ?, …)` with `values` appended to `arguments` (`0` for no values: nothing matches).
    static func isOneOf(_ column: String, _ values: [String], _ arguments: inout StatementArguments) -> String {
        guard !values.isEmpty else { return "0" }
        arguments += StatementArguments(values.sorted())
        return "\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))"
    }

    static func whereClause(_ conditions: [String]) -> String {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }

    static func deliveryColumns(_ alias: String? = nil) -> String {
        guard let alias else { return DeliveryRecord.columns }
        return DeliveryRecord.columns.split(separator: ", ").map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    static func arguments(_ record: SubscriptionRecord) -> StatementArguments {
        [
            "id": record.id, "owner": record.owner, "topic": record.topic, "objects": record.objects,
            "pc": record.minimumCollisionProbability, "miss": record.maximumMissDistanceMetres,
            "provider": record.provider, "participant": record.participant, "kinds": record.kinds,
            "format": record.format, "channelType": record.channelType, "url": record.channelURL,
            "username": record.channelUsername, "hostKey": record.channelHostKeySHA256, "state": record.state,
            "reason": record.stateReason, "created": record.createdUS, "updated": record.updatedUS,
            "current": record.secretCurrent, "previous": record.secretPrevious,
            "expires": record.secretPreviousExpiresUS, "privateKey": record.sshPrivateKey,
            "publicKey": record.sshPublicKey,
        ]
    }

    static func subscription(_ row: Row) throws -> Subscription {
        try SubscriptionRecord(
            id: row["id"], owner: row["owner"], topic: row["topic"], objects: row["objects"],
            minimumCollisionProbability: row["min_pc"], maximumMissDistanceMetres: row["max_miss_m"],
            provider: row["provider"], participant: row["participant"], kinds: row["kinds"], format: row["format"],
            channelType: row["channel_type"], channelURL: row["channel_url"], channelUsername: row["channel_username"],
            channelHostKeySHA256: row["channel_host_key_sha256"], state: row["state"],
            stateReason: row["state_reason"], createdUS: row["created_us"], updatedUS: row["updated_us"],
            secretCurrent: row["secret_current"], secretPrevious: row["secret_previous"],
            secretPreviousExpiresUS: row["secret_previous_expires_us"], sshPrivateKey: row["ssh_private_key"],
            sshPublicKey: row["ssh_public_key"]
        ).subscription()
    }

    static func delivery(_ row: Row) throws -> Delivery {
        try DeliveryRecord.delivery(
            id: row["id"], subscriptionID: row["subscription_id"], eventID: row["event_id"], state: row["state"],
            attempts: row["attempts"], nextAttemptUS: row["next_attempt_us"], createdUS: row["created_us"],
            lastAttemptUS: row["last_attempt_us"], lastErrorClass: row["last_error_class"],
            lastStatus: row["last_status"], lastError: row["last_error"], deliveredUS: row["delivered_us"])
    }
}
