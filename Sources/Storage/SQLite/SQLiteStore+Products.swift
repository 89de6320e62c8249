import Foundation
import GRDB
import GatewayCore

extension SQLiteStore: ProductStore {
    /// Stores a product and its feed event in one write transaction, or returns the product with the same content.
    public func storeProduct(_ product: Product) async throws(StoreError) -> StoredProduct {
        let record = try ProductRecord(product)
        return try await write { db in
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
        let arguments = Self.arguments(filter)
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT p.* FROM products p
                    WHERE (:kinds IS NULL OR p.kind IN (SELECT value FROM json_each(:kinds)))
                      AND (:ids IS NULL OR p.id IN (
                          SELECT product_id FROM product_objects WHERE norad_id IN (SELECT value FROM json_each(:ids))))
                      AND (:from IS NULL OR coalesce(p.time_stop_us, p.time_start_us) >= :from)
                      AND (:to IS NULL OR p.time_start_us <= :to)
                      AND (:pc IS NULL OR p.collision_probability >= :pc)
                      AND (:miss IS NULL OR p.miss_distance_m <= :miss)
                      AND (:since IS NULL OR p.received_us >= :since)
                      AND (:provider IS NULL OR p.provider = :provider)
                      AND (:participant IS NULL OR p.id IN (
                          SELECT product_id FROM product_participants WHERE participant = :participant))
                      AND (:organisation IS NULL
                          OR p.marking_kind IN (SELECT value FROM json_each(:markings))
                          OR p.id IN (
                              SELECT product_id FROM product_organisations
                              WHERE organisation = :organisation AND role IN (SELECT value FROM json_each(:roles))))
                      AND (:after IS NULL OR p.id > :after)
                    ORDER BY p.id LIMIT :limit
                    """,
                arguments: arguments
            ).map(Self.product)
        }
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

    static func arguments(_ filter: ProductFilter) -> StatementArguments {
        [
            "kinds": filter.kinds.map { JSONList.encode($0.map(\.rawValue).sorted()) },
            "ids": filter.noradIDs.map(jsonArray),
            "from": filter.timeFrom.map(StoreTime.microseconds),
            "to": filter.timeTo.map(StoreTime.microseconds),
            "pc": filter.minimumCollisionProbability,
            "miss": filter.maximumMissDistanceMetres,
            "since": filter.receivedSince.map(StoreTime.microseconds),
            "provider": filter.provider,
            "participant": filter.participant,
            "organisation": filter.scope?.organisation,
            "markings": JSONList.encode(filter.scope.map(ScopedOrganisation.markingKinds) ?? []),
            "roles": JSONList.encode(filter.scope.map(ScopedOrganisation.roles) ?? []),
            "after": filter.afterID,
            "limit": filter.limit ?? -1,
        ]
    }

    static func product(_ row: Row) throws -> Product {
        let bytes: Data = row["bytes"]
        return try ProductRecord.product(
            id: row["id"], kind: row["kind"], encoding: row["encoding"], bytes: Array(bytes),
            messageJSON: row["message_json"], contentHash: row["content_hash"], submitter: row["submitter"],
            provider: row["provider"], source: row["source"], createdUS: row["created_us"],
            receivedUS: row["received_us"], marking: row["marking"], dataMode: row["data_mode"],
            noradIDs: row["norad_ids"], ownerOrganisations: row["owner_organisations"],
            participants: row["participants"], timeStartUS: row["time_start_us"], timeStopUS: row["time_stop_us"],
            collisionProbability: row["collision_probability"], missDistanceMetres: row["miss_distance_m"],
            recordCount: row["record_count"])
    }
}
