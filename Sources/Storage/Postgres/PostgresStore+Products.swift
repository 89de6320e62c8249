import Foundation
import GatewayCore
import PostgresNIO

extension PostgresStore: ProductStore {
    /// Stores a product and its feed event in one transaction (then signals `feedChanges`), or returns the product
    /// with the same content.
    ///
    /// The unique index on `content_hash` decides: a second transaction inserting the same bytes waits for the first
    /// to commit, then `ON CONFLICT DO NOTHING` inserts nothing and the existing product is read back, so the same
    /// file on two connections at once is one product and one event. The feed id is taken last (see
    /// `appendEvent(_:_:_:)`), so the feed's lock is held only for one statement and the commit.
    public func storeProduct(_ product: Product) async throws(StoreError) -> StoredProduct {
        let record = try ProductRecord(product)
        let stored = try await transaction { db in try await Self.insertProduct(db, product, record, self.logger) }
        if stored.created { feedChanges.signal() }
        return stored
    }

    /// Stores `product` (its row `record`) and appends its `product.stored` event inside the caller's transaction, or
    /// returns the product with the same content (no event): what `storeProduct(_:)` and
    /// `storeRequestProduct(_:requestID:at:)` do. The event is appended last (the feed's lock is taken there).
    static func insertProduct(_ db: PostgresConnection, _ product: Product, _ record: ProductRecord, _ logger: Logger)
        async throws -> StoredProduct
    {
        let event = try FeedRecord(FeedEvent(stored: product))
        let organisations = record.organisations
        let participants = Array(Set(record.participants)).sorted()
        let inserted = try await db.rows(
            """
            WITH p AS (
                INSERT INTO products (kind, encoding, bytes, message_json, content_hash, submitter, provider,
                                      source, created_us, received_us, marking, marking_kind, data_mode, norad_ids,
                                      owner_organisations, participants, time_start_us, time_stop_us,
                                      collision_probability, miss_distance_m, record_count)
                VALUES (\(record.kind), \(record.encoding), \(Data(record.bytes)), \(record.messageJSON),
                        \(record.contentHash), \(record.submitter), \(record.provider), \(record.source),
                        \(record.createdUS), \(record.receivedUS), \(record.marking), \(record.markingKind),
                        \(record.dataMode), \(JSONList.encode(record.noradIDs)),
                        \(JSONList.encode(record.ownerOrganisations)), \(JSONList.encode(record.participants)),
                        \(record.timeStartUS), \(record.timeStopUS), \(record.collisionProbability),
                        \(record.missDistanceMetres), \(record.recordCount))
                ON CONFLICT (content_hash) DO NOTHING
                RETURNING id
            ), objects AS (
                INSERT INTO product_objects (product_id, norad_id)
                SELECT p.id, n FROM p, unnest(\(record.noradIDs)::bigint[]) AS n
            ), participants AS (
                INSERT INTO product_participants (product_id, participant)
                SELECT p.id, x FROM p, unnest(\(participants)::text[]) AS x
            ), organisations AS (
                INSERT INTO product_organisations (organisation, role, product_id)
                SELECT x.organisation, x.role, p.id
                FROM p, unnest(\(organisations.map(\.organisation))::text[],
                               \(organisations.map(\.role))::text[]) AS x(organisation, role)
            )
            SELECT id FROM p
            """, logger)
        guard let row = inserted.first else {
            let existing = try await db.rows(
                "SELECT \(unescaped: Self.productColumns) FROM products WHERE content_hash = \(record.contentHash)",
                logger)
            guard let found = existing.first else {
                throw StoreError.engine("product \(record.contentHash) conflicted but cannot be read")
            }
            return StoredProduct(product: try Self.product(found), created: false)
        }
        var stored = product
        stored.id = try row.decode(Int64.self)
        var storedEvent = event
        storedEvent.productID = stored.id
        _ = try await Self.appendEvent(db, storedEvent, logger)
        return StoredProduct(product: stored, created: true)
    }

    /// The product with `id`.
    public func product(id: Int64) async throws(StoreError) -> Product {
        let found = try await rows("SELECT \(unescaped: Self.productColumns) FROM products WHERE id = \(id)")
        guard let row = found.first else { throw .notFound(entity: "product", key: String(id)) }
        return try Self.decoding { try Self.product(row) }
    }

    /// The products `filter` selects, by id.
    public func products(_ filter: ProductFilter) async throws(StoreError) -> [Product] {
        let found = try await rows(Self.productQuery(filter, columns: Self.productColumns))
        return try Self.decoding { try found.map(Self.product) }
    }

    /// The products `filter` selects, without `bytes` and `message_json` (neither read nor decoded).
    public func productSummaries(_ filter: ProductFilter) async throws(StoreError) -> [Product] {
        let found = try await rows(Self.productQuery(filter, columns: Self.summaryColumns))
        return try Self.decoding { try found.map(Self.productSummary) }
    }

    /// `SELECT columns` of the products `filter` selects: only the conditions it sets, each with its bindings.
    /// Object, participant and scope conditions are id sets read from their index tables.
    static func productQuery(_ filter: ProductFilter, columns: String) -> PostgresQuery {
        var sql = PostgresConditions()
        sql.require(filter)
        return sql.query(columns: columns, table: "products", alias: "p", limit: filter.limit)
    }
}

// MARK: - Rows

extension PostgresStore {
    static let productColumns = """
        id, kind, encoding, bytes, message_json, content_hash, submitter, provider, source, created_us, received_us,
        marking, data_mode, norad_ids, owner_organisations, participants, time_start_us, time_stop_us,
        collision_probability, miss_distance_m, record_count
        """

    /// `productColumns` without `bytes` and `message_json`.
    static let summaryColumns = """
        id, kind, encoding, content_hash, submitter, provider, source, created_us, received_us, marking, data_mode,
        norad_ids, owner_organisations, participants, time_start_us, time_stop_us, collision_probability,
        miss_distance_m, record_count
        """

    static func product(_ row: PostgresRow) throws -> Product {
        try product(row, content: true)
    }

    static func productSummary(_ row: PostgresRow) throws -> Product {
        try product(row, content: false)
    }

    /// The product of `row`; with `content`, the row holds `bytes` and `message_json`, else it is a summary.
    static func product(_ row: PostgresRow, content: Bool) throws -> Product {
        let cells = row.makeRandomAccess()
        return try ProductRecord.product(
            id: cells["id"].decode(Int64.self), kind: cells["kind"].decode(String.self),
            encoding: cells["encoding"].decode(String.self),
            bytes: content ? Array(cells["bytes"].decode(Data.self)) : [],
            messageJSON: content ? cells["message_json"].decode(String.self) : nil,
            contentHash: cells["content_hash"].decode(String.self), submitter: cells["submitter"].decode(String.self),
            provider: cells["provider"].decode(String.self), source: cells["source"].decode(String?.self),
            createdUS: cells["created_us"].decode(Int64?.self), receivedUS: cells["received_us"].decode(Int64.self),
            marking: cells["marking"].decode(String.self), dataMode: cells["data_mode"].decode(String.self),
            noradIDs: cells["norad_ids"].decode(String.self),
            ownerOrganisations: cells["owner_organisations"].decode(String.self),
            participants: cells["participants"].decode(String.self),
            timeStartUS: cells["time_start_us"].decode(Int64?.self),
            timeStopUS: cells["time_stop_us"].decode(Int64?.self),
            collisionProbability: cells["collision_probability"].decode(Double?.self),
            missDistanceMetres: cells["miss_distance_m"].decode(Double?.self),
            recordCount: cells["record_count"].decode(Int.self))
    }
}
