import GatewayCore
import PostgresNIO

/// Changes across processes: writers `pg_notify` a channel inside their transaction (PostgreSQL delivers it at
/// commit, and not at all on rollback); every store listens on one pooled connection held for the purpose and
/// signals its `ChangeSignal`s. The payload is the writer's schema, so stores sharing a database in different schemas
/// (`?schema=`) wake only for their own changes.
extension PostgresStore {
    /// Notified at the commit of feed events.
    static let feedChannel = "essor_feed"
    /// Notified at the commit of queued deliveries.
    static let deliveriesChannel = "essor_deliveries"
    /// Notified at the commit of queued backend commands.
    static let backendChannel = "essor_backend"
    /// How long the listener waits before connecting again after losing its connection.
    static let listenerBackOff = Duration.seconds(1)

    /// Notifies `channel` at the commit of the transaction `db` runs.
    static func notify(_ db: PostgresConnection, _ channel: String, _ logger: Logger) async throws {
        _ = try await db.rows("SELECT pg_notify(\(channel), current_schema())", logger)
    }

    /// Listens on the three channels until cancelled, signalling `feed`, `deliveries` and `backend` on each
    /// notification for the connection's schema; after a lost connection, waits `listenerBackOff`, listens again and
    /// signals all three (changes in between were not heard).
    static func listen(
        _ client: PostgresClient, feed: ChangeSignal, deliveries: ChangeSignal, backend: ChangeSignal, logger: Logger
    ) async {
        var reconnecting = false
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    let schema = try await connection.rows("SELECT current_schema()", logger).first?.decode(
                        String?.self)
                    try await connection.listen(on: feedChannel) { feedNotifications in
                        try await connection.listen(on: deliveriesChannel) { deliveryNotifications in
                            try await connection.listen(on: backendChannel) { backendNotifications in
                                if reconnecting {
                                    feed.signal()
                                    deliveries.signal()
                                    backend.signal()
                                }
                                reconnecting = true
                                try await withThrowingTaskGroup(of: Void.self) { group in
                                    group.addTask {
                                        for try await notification in feedNotifications
                                        where notification.payload == schema {
                                            feed.signal()
                                        }
                                    }
                                    group.addTask {
                                        for try await notification in deliveryNotifications
                                        where notification.payload == schema {
                                            deliveries.signal()
                                        }
                                    }
                                    group.addTask {
                                        for try await notification in backendNotifications
                                        where notification.payload == schema {
                                            backend.signal()
                                        }
                                    }
                                    // Any sequence ending means the connection is gone (or the task cancelled).
                                    try await group.next()
                                    group.cancelAll()
                                }
                            }
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "Lost the connection listening for changes; listening again",
                    metadata: ["store.error": "\(String(reflecting: error))"])
            }
            reconnecting = true
            try? await Task.sleep(for: listenerBackOff)
        }
    }
}
