import Foundation
import GatewayCore
import PostgresNIO

extension PostgresStore: ProductStore {
    /// Stores a product and its feed event in one transaction, or returns the product with the same content.
    ///
    /// The unique index on `content_hash` decides: a second transaction inserting the same bytes waits for the first
    /// to commit, then `ON CONFLICT DO NOTHING` inserts nothing and the existing product is read back, so the same
    /// file on two connections at once is one product and one event. The feed id is taken last (see
    /// `appendEvent(_:_:_:)`), so the feed's lock is held only for one statement and the commit.
    public func storeProduct(_ product: Product) async throws(StoreError) -> StoredProduct {
        let record = try ProductRecord(product)
        let event = try FeedRecord(FeedEvent(stored: product))
        let organisations = record.organisations
        let participants = Array(Set(record.participants)).sorted()
        return try await transaction { db in
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
                """, self.logger)
            guard let row = inserted.first else {
                let existing = try await db.rows(
                    "SELECT \(unescaped: Self.productColumns) FROM products WHERE content_hash = \(record.contentHash)",
                    self.logger)
                guard let found = existing.first else {
                    throw StoreError.engine("product \(record.contentHash) conflicted but cannot be read")
                }
                return StoredProduct(product: try Self.product(found), created: false)
            }
            var stored = product
            stored.id = try row.decode(Int64.self)
            var storedEvent = event
            storedEvent.productID = stored.id
            _ = try await Self.appendEvent(db, storedEvent, self.logger)
            return StoredProduct(product: stored, created: true)
        }
    }

    /// The product with `id`.
    public func product(id: Int64) async throws(StoreError) -> Product {
        let found = try await rows("SELECT \(unescaped: Self.productColumns) FROM products WHERE id = \(id)")
        guard let row = found.first else { throw .notFound(entity: "product", key: String(id)) }
        return try Self.decoding { try Self.product(row) }
    }

    /// The products `filter` selects, by id.
    public func products(_ filter: ProductFilter) async throws(StoreError) -> [Product] {
        let kinds = filter.kinds.map { $0.map(\.rawValue).sorted() }
        let ids = filter.noradIDs.map { $0.sorted() }
        let from = filter.timeFrom.map(StoreTime.microseconds)
        let to = filter.timeTo.map(StoreTime.microseconds)
        let since = filter.receivedSince.map(StoreTime.microseconds)
        let organisation = filter.scope?.organisation
        let markings = filter.scope.map(ScopedOrganisation.markingKinds) ?? []
        let roles = filter.scope.map(ScopedOrganisation.roles) ?? []
        let found = try await rows(
            """
            SELECT \(unescaped: Self.productColumns) FROM products p
            WHERE (\(kinds)::text[] IS NULL OR p.kind = ANY(\(kinds)::text[]))
              AND (\(ids)::bigint[] IS NULL OR p.id IN (
                  SELECT product_id FROM product_objects WHERE norad_id = ANY(\(ids)::bigint[])))
              AND (\(from)::bigint IS NULL OR coalesce(p.time_stop_us, p.time_start_us) >= \(from))
              AND (\(to)::bigint IS NULL OR p.time_start_us <= \(to))
              AND (\(filter.minimumCollisionProbability)::float8 IS NULL
                  OR p.collision_probability >= \(filter.minimumCollisionProbability))
              AND (\(filter.maximumMissDistanceMetres)::float8 IS NULL
                  OR p.miss_distance_m <= \(filter.maximumMissDistanceMetres))
              AND (\(since)::bigint IS NULL OR p.received_us >= \(since))
              AND (\(filter.provider)::text IS NULL OR p.provider = \(filter.provider))
              AND (\(filter.participant)::text IS NULL OR p.id IN (
                  SELECT product_id FROM product_participants WHERE participant = \(filter.participant)))
              AND (\(organisation)::text IS NULL
                  OR p.marking_kind = ANY(\(markings)::text[])
                  OR p.id IN (
                      SELECT product_id FROM product_organisations
                      WHERE organisation = \(organisation) AND role = ANY(\(roles)::text[])))
              AND (\(filter.afterID)::bigint IS NULL OR p.id > \(filter.afterID))
            ORDER BY p.id LIMIT \(filter.limit)
            """)
        return try Self.decoding { try found.map(Self.product) }
    }
}

// MARK: - Rows

extension PostgresStore {
    static let productColumns = """
        id, kind, encoding, bytes, message_json, content_hash, submitter, provider, source, created_us, received_us,
        marking, data_mode, norad_ids, owner_organisations, participants, time_start_us, time_stop_us,
        collision_probability, miss_distance_m, record_count
        """

    static func product(_ row: PostgresRow) throws -> Product {
        let cells = row.makeRandomAccess()
        return try ProductRecord.product(
            id: cells["id"].decode(Int64.self), kind: cells["kind"].decode(String.self),
            encoding: cells["encoding"].decode(String.self), bytes: Array(cells["bytes"].decode(Data.self)),
            messageJSON: cells["message_json"].decode(String.self),
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
