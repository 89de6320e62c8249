import Foundation
import GRDB
import GatewayCore

extension SQLiteStore: ProductStore {
    /// Stores a product and its feed event in one write transaction (then signals `feedChanges`), or returns the
    /// product with the same content.
    public func storeProduct(_ product: Product) async throws(StoreError) -> StoredProduct {
        let record = try ProductRecord(product)
        let stored = try await write { db in try Self.insertProduct(db, product, record) }
        if stored.created { feedChanges.signal() }
        return stored
    }

    /// Stores `product` (its row `record`) and appends its `product.stored` event inside the caller's write
    /// transaction, or returns the product with the same content (no event): what `storeProduct(_:)` and
    /// `storeRequestProduct(_:requestID:at:)` do.
    static func insertProduct(_ db: Database, _ product: Product, _ record: ProductRecord) throws -> StoredProduct {
        // The unique index decides, not a prior read: another process writing the same file in between is
        // still one product.
        try db.execute(
            sql: """
                INSERT INTO products (kind, encoding, bytes, message_json, content_hash, submitter, provider, source,
                                      created_us, received_us, marking, marking_kind, data_mode, norad_ids,
                                      owner_organisations, participants, time_start_us, time_stop_us,
                                      collision_probability, miss_distance_m, record_count)
                VALUES (:kind, :encoding, :bytes, :json, :hash, :submitter, :provider, :source, :created, :received,
                        :marking, :markingKind, :mode, :ids, :owners, :participants, :start, :stop, :pc, :miss,
                        :records)
                ON CONFLICT (content_hash) DO NOTHING
                """,
            arguments: Self.arguments(record))
        if db.changesCount == 0 {
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM products WHERE content_hash = ?", arguments: [record.contentHash])
            else { throw StoreError.engine("product \(record.contentHash) conflicted but cannot be read") }
            return StoredProduct(product: try Self.product(row), created: false)
        }
        let id = db.lastInsertedRowID
        for noradID in record.noradIDs {
            try db.execute(
                sql: "INSERT INTO product_objects (product_id, norad_id) VALUES (?, ?)", arguments: [id, noradID])
        }
        for participant in Set(record.participants) {
            try db.execute(
                sql: "INSERT INTO product_participants (product_id, participant) VALUES (?, ?)",
                arguments: [id, participant])
        }
        for scoped in record.organisations {
            try db.execute(
                sql: "INSERT INTO product_organisations (organisation, role, product_id) VALUES (?, ?, ?)",
                arguments: [scoped.organisation, scoped.role, id])
        }
        var stored = product
        stored.id = id
        _ = try Self.appendEvent(db, try FeedRecord(FeedEvent(stored: stored)))
        return StoredProduct(product: stored, created: true)
    }

    /// The product with `id`.
    public func product(id: Int64) async throws(StoreError) -> Product {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM products WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound(entity: "product", key: String(id))
            }
            return try Self.product(row)
        }
    }

    /// The products `filter` selects, by id.
    public func products(_ filter: ProductFilter) async throws(StoreError) -> [Product] {
        let (sql, arguments) = Self.productQuery(filter, columns: "p.*")
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.product)
        }
    }

    /// The products `filter` selects, without `bytes` and `message_json` (neither read nor decoded).
    public func productSummaries(_ filter: ProductFilter) async throws(StoreError) -> [Product] {
        let (sql, arguments) = Self.productQuery(filter, columns: Self.summaryColumns)
        return try await read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.productSummary)
        }
    }

    /// `SELECT columns` of the products `filter` selects: only the conditions it sets, each with its arguments.
    /// Object, participant and scope conditions are id sets read from their index tables.
    static func productQuery(_ filter: ProductFilter, columns: String) -> (String, StatementArguments) {
        var sql = SQLiteConditions()
        sql.require(filter)
        return sql.query(columns: columns, table: "products", alias: "p", limit: filter.limit)
    }
}

// MARK: - Rows

extension SQLiteStore {
    static func arguments(_ record: ProductRecord) -> StatementArguments {
        [
            "kind": record.kind, "encoding": record.encoding, "bytes": Data(record.bytes), "json": record.messageJSON,
            "hash": record.contentHash, "submitter": record.submitter, "provider": record.provider,
            "source": record.source, "created": record.createdUS, "received": record.receivedUS,
            "marking": record.marking, "markingKind": record.markingKind, "mode": record.dataMode,
            "ids": JSONList.encode(record.noradIDs), "owners": JSONList.encode(record.ownerOrganisations),
            "participants": JSONList.encode(record.participants), "start": record.timeStartUS,
            "stop": record.timeStopUS, "pc": record.collisionProbability, "miss": record.missDistanceMetres,
            "records": record.recordCount,
        ]
    }

    /// `products` columns without `bytes` and `message_json`.
    static let summaryColumns = """
        p.id, p.kind, p.encoding, p.content_hash, p.submitter, p.provider, p.source, p.created_us, p.received_us,
        p.marking, p.data_mode, p.norad_ids, p.owner_organisations, p.participants, p.time_start_us, p.time_stop_us,
        p.collision_probability, p.miss_distance_m, p.record_count
        """

    static func product(_ row: Row) throws -> Product {
        try product(row, content: true)
    }

    static func productSummary(_ row: Row) throws -> Product {
        try product(row, content: false)
    }

    /// The product of `row`; with `content`, the row holds `bytes` and `message_json`, else it is a summary.
    static func product(_ row: Row, content: Bool) throws -> Product {
        let bytes: Data? = content ? row["bytes"] : nil
        return try ProductRecord.product(
            id: row["id"], kind: row["kind"], encoding: row["encoding"], bytes: bytes.map(Array.init) ?? [],
            messageJSON: content ? row["message_json"] as String : nil, contentHash: row["content_hash"],
            submitter: row["submitter"],
            provider: row["provider"], source: row["source"], createdUS: row["created_us"],
            receivedUS: row["received_us"], marking: row["marking"], dataMode: row["data_mode"],
            noradIDs: row["norad_ids"], ownerOrganisations: row["owner_organisations"],
            participants: row["participants"], timeStartUS: row["time_start_us"], timeStopUS: row["time_stop_us"],
            collisionProbability: row["collision_probability"], missDistanceMetres: row["miss_distance_m"],
            recordCount: row["record_count"])
    }
}
