import Foundation
import GRDB
import GatewayCore

extension SQLiteStore {
    /// Appends an event in its own write transaction, then signals `feedChanges`.
    public func appendFeedEvent(_ event: FeedEvent) async throws(StoreError) -> FeedEvent {
        let record = try FeedRecord(event)
        let stored = try await write { db in
            if let productID = record.productID,
                try Row.fetchOne(db, sql: "SELECT 1 FROM products WHERE id = ?", arguments: [productID]) == nil
            {
                throw StoreError.notFound(entity: "product", key: String(productID))
            }
            var stored = event
            stored.id = try Self.appendEvent(db, record)
            return stored
        }
        feedChanges.signal()
        return stored
    }

    /// The events `filter` selects, by id: only the conditions it sets, each with its arguments (as for products).
    public func feedEvents(_ filter: FeedFilter) async throws(StoreError) -> [FeedEvent] {
        var sql = SQLiteConditions()
        sql.require(filter)
        let (text, arguments) = sql.query(columns: "e.*", table: "feed_events", alias: "e", limit: filter.limit)
        return try await read { db in
            try Row.fetchAll(db, sql: text, arguments: arguments).map(Self.feedEvent)
        }
    }

    /// The greatest event id.
    public func latestFeedEventID() async throws(StoreError) -> Int64? {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM feed_events") }
    }

    /// Appends `record` inside the caller's write transaction and returns its id: the next value of `feed_head`.
    /// SQLite runs one write transaction at a time, so ids are gap-free and in commit order; a rollback undoes the
    /// counter with the event. Later writers (state changes) call this in their own transaction.
    static func appendEvent(_ db: Database, _ record: FeedRecord) throws -> Int64 {
        try db.cachedStatement(sql: "UPDATE feed_head SET last_id = last_id + 1 WHERE id = 1").execute()
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT last_id FROM feed_head WHERE id = 1")) else {
            throw StoreError.schema("the feed head is missing")
        }
        try db.cachedStatement(
            sql: """
                INSERT INTO feed_events (id, type, product_id, kind, norad_ids, owner_organisations, provider, marking,
                                         marking_kind, time_us, details)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                id, record.type, record.productID, record.kind, record.noradIDs, record.ownerOrganisations,
                record.provider, record.marking, record.markingKind, record.timeUS, record.details,
            ])
        for scoped in record.organisations {
            try db.cachedStatement(
                sql: "INSERT INTO feed_event_organisations (organisation, role, event_id) VALUES (?, ?, ?)"
            ).execute(arguments: [scoped.organisation, scoped.role, id])
        }
        return id
    }

    static func feedEvent(_ row: Row) throws -> FeedEvent {
        try FeedRecord.event(
            id: row["id"], type: row["type"], productID: row["product_id"], kind: row["kind"],
            noradIDs: row["norad_ids"], ownerOrganisations: row["owner_organisations"], provider: row["provider"],
            marking: row["marking"], timeUS: row["time_us"], details: row["details"])
    }
}
