import Foundation
import GatewayCore
import PostgresNIO

extension PostgresStore {
    /// Appends an event in its own transaction, then signals `feedChanges`.
    public func appendFeedEvent(_ event: FeedEvent) async throws(StoreError) -> FeedEvent {
        let record = try FeedRecord(event)
        let stored = try await transaction { db in
            if let productID = record.productID,
                try await db.rows("SELECT 1 FROM products WHERE id = \(productID) FOR KEY SHARE", self.logger).isEmpty
            {
                throw StoreError.notFound(entity: "product", key: String(productID))
            }
            var stored = event
            stored.id = try await Self.appendEvent(db, record, self.logger)
            return stored
        }
        feedChanges.signal()
        return stored
    }

    /// The events `filter` selects, by id: only the conditions it sets, each with its bindings (as for products).
    public func feedEvents(_ filter: FeedFilter) async throws(StoreError) -> [FeedEvent] {
        var sql = PostgresConditions()
        sql.require(filter)
        let found = try await rows(
            sql.query(
                columns:
                    "id, type, product_id, kind, norad_ids, owner_organisations, provider, marking, time_us, details",
                table: "feed_events", alias: "e", limit: filter.limit))
        return try Self.decoding { try found.map(Self.feedEvent) }
    }

    /// The greatest event id.
    public func latestFeedEventID() async throws(StoreError) -> Int64? {
        let found = try await rows("SELECT max(id) FROM feed_events")
        return try Self.decoding { try found.first?.decode(Int64?.self) ?? nil }
    }

    /// Appends `record` inside the caller's transaction and returns its id: the next value of `feed_head`.
    ///
    /// The `UPDATE` locks the counter's one row until the transaction ends, so concurrent writers queue here: each
    /// id is assigned only after the previous holder committed (and became visible) or rolled back (undoing its
    /// bump). Ids are therefore gap-free and visible in id order, which a sequence cannot give. Call it as the last
    /// write of the transaction, so the lock is held for one statement and the commit, and never before waiting on
    /// another lock (no deadlock: the holder waits for nothing). The same statement notifies `feedChannel`, delivered
    /// at commit, and writes `history`, the request's history row that names the event (numbered after the request's
    /// last one: the caller holds the request's lock), so that a transition's last write is this one statement.
    static func appendEvent(
        _ db: PostgresConnection, _ record: FeedRecord, history: RequestHistoryRow? = nil, _ logger: Logger
    ) async throws -> Int64 {
        let organisations = record.organisations
        let appended = try await db.rows(
            """
            WITH head AS (
                UPDATE feed_head SET last_id = last_id + 1 WHERE id = 1 RETURNING last_id
            ), event AS (
                INSERT INTO feed_events (id, type, product_id, kind, norad_ids, owner_organisations, provider, marking,
                                         marking_kind, time_us, details)
                SELECT last_id, \(record.type), \(record.productID), \(record.kind), \(record.noradIDs),
                       \(record.ownerOrganisations), \(record.provider), \(record.marking), \(record.markingKind),
                       \(record.timeUS), \(record.details)
                FROM head
                RETURNING id
            ), organisations AS (
                INSERT INTO feed_event_organisations (organisation, role, event_id)
                SELECT x.organisation, x.role, event.id
                FROM event, unnest(\(organisations.map(\.organisation))::text[],
                                   \(organisations.map(\.role))::text[]) AS x(organisation, role)
            ), history AS (
                INSERT INTO observation_request_history (request_id, seq, state, time_us, actor, user_name, reason,
                                                         event_id)
                SELECT h.request_id,
                       coalesce((SELECT max(seq) FROM observation_request_history WHERE request_id = h.request_id), 0)
                       + 1, h.state, h.time_us, h.actor, h.user_name, h.reason, event.id
                FROM event, (SELECT \(history?.requestID)::text AS request_id, \(history?.state)::text AS state,
                                    \(history?.timeUS)::bigint AS time_us, \(history?.actor)::text AS actor,
                                    \(history?.user)::text AS user_name, \(history?.reason)::text AS reason) AS h
                WHERE h.request_id IS NOT NULL
            ), notified AS (
                SELECT pg_notify(\(feedChannel), current_schema()) FROM event
            )
            SELECT event.id FROM event, notified
            """, logger)
        guard let row = appended.first else { throw StoreError.schema("the feed head is missing") }
        return try row.decode(Int64.self)
    }

    static func feedEvent(_ row: PostgresRow) throws -> FeedEvent {
        let (id, type, productID, kind, noradIDs, owners, provider, marking, time, details) = try row.decode(
            (Int64, String, Int64?, String?, String, String, String?, String?, Int64, String?).self)
        return try FeedRecord.event(
            id: id, type: type, productID: productID, kind: kind, noradIDs: noradIDs, ownerOrganisations: owners,
            provider: provider, marking: marking, timeUS: time, details: details)
    }
}
