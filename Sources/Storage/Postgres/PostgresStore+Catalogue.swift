import CCSDS
import Foundation
import GatewayCore
import Policy
import PostgresNIO

extension PostgresStore: CatalogueStore {
    /// Adds an object.
    public func createObject(_ object: CatalogueObject) async throws(StoreError) {
        try await transaction { db in
            if try await Self.objectExists(db, object.noradID, self.logger) {
                throw StoreError.conflict(entity: "object", key: String(object.noradID), reason: "already exists")
            }
            try await Self.saveObject(db, object, self.logger)
        }
    }

    /// Adds or replaces an object, keeping its element sets.
    public func upsertObject(_ object: CatalogueObject) async throws(StoreError) {
        try await transaction { db in try await Self.saveObject(db, object, self.logger) }
    }

    /// The object with `noradID`.
    public func object(noradID: Int) async throws(StoreError) -> CatalogueObject {
        let found = try await rows("SELECT \(unescaped: Self.objectColumns) FROM objects WHERE norad_id = \(noradID)")
        guard let row = found.first else { throw .notFound(entity: "object", key: String(noradID)) }
        return try Self.decoding { try Self.object(row) }
    }

    /// The objects `filter` selects, by NORAD id.
    public func objects(_ filter: CatalogueObjectFilter) async throws(StoreError) -> [CatalogueObject] {
        let since = filter.updatedSince.map(StoreTime.microseconds)
        let ids = filter.noradIDs.map { $0.sorted() }
        let found = try await rows(
            """
            SELECT \(unescaped: Self.objectColumns) FROM objects
            WHERE (\(filter.owner)::text IS NULL OR owner = \(filter.owner))
              AND (\(since)::bigint IS NULL OR updated_us >= \(since))
              AND (\(ids)::bigint[] IS NULL OR norad_id = ANY(\(ids)))
              AND (\(filter.afterNoradID)::bigint IS NULL OR norad_id > \(filter.afterNoradID))
            ORDER BY norad_id LIMIT \(filter.limit)
            """)
        return try Self.decoding { try found.map(Self.object) }
    }

    /// Removes an object and its element sets.
    public func deleteObject(noradID: Int) async throws(StoreError) {
        let deleted = try await rows("DELETE FROM objects WHERE norad_id = \(noradID) RETURNING norad_id")
        if deleted.isEmpty { throw .notFound(entity: "object", key: String(noradID)) }
    }

    /// Appends an element set.
    public func appendElementSet(_ record: ElementSetRecord) async throws(StoreError) -> ElementSetRecord {
        let json = String(decoding: JSONMessageWriter.write(record.omm), as: UTF8.self)
        return try await transaction { db in
            guard try await Self.objectExists(db, record.noradID, self.logger, lock: true) else {
                throw StoreError.notFound(entity: "object", key: String(record.noradID))
            }
            let duplicate = try await db.rows(
                """
                SELECT 1 FROM element_sets
                WHERE norad_id = \(record.noradID) AND epoch_us = \(record.epochMicroseconds)
                  AND source = \(record.source)
                """, self.logger)
            if !duplicate.isEmpty {
                throw StoreError.conflict(
                    entity: "element set", key: "\(record.noradID) \(record.epoch)",
                    reason: "source '\(record.source)' already gave a set with this epoch")
            }
            let inserted = try await db.rows(
                """
                INSERT INTO element_sets (norad_id, epoch, epoch_us, omm_json, received_us, source)
                VALUES (\(record.noradID), \(record.epoch.description), \(record.epochMicroseconds), \(json),
                        \(StoreTime.microseconds(record.received)), \(record.source))
                RETURNING id
                """, self.logger)
            var stored = record
            stored.id = try inserted[0].decode(Int64.self)
            return stored
        }
    }

    /// The sets `filter` selects, by object, epoch, id.
    public func elementSetHistory(_ filter: ElementSetFilter) async throws(StoreError) -> [ElementSetRecord] {
        let since = filter.receivedSince.map(StoreTime.microseconds)
        let ids = filter.noradIDs.map { $0.sorted() }
        let found = try await rows(
            """
            SELECT \(unescaped: Self.elementSetColumns) FROM element_sets e JOIN objects o ON o.norad_id = e.norad_id
            WHERE (\(filter.owner)::text IS NULL OR o.owner = \(filter.owner))
              AND (\(since)::bigint IS NULL OR e.received_us >= \(since))
              AND (\(ids)::bigint[] IS NULL OR o.norad_id = ANY(\(ids)))
            ORDER BY e.norad_id, e.epoch_us, e.id LIMIT \(filter.limit)
            """)
        return try Self.decoding { try found.map(Self.elementSet) }
    }

    /// The latest set of one object: one descending step of `element_sets_history` (a set's object always exists:
    /// sets are deleted with it).
    public func latestElementSet(noradID: Int) async throws(StoreError) -> ElementSetRecord {
        let found = try await rows(
            """
            SELECT \(unescaped: Self.elementSetColumns) FROM element_sets e WHERE e.norad_id = \(noradID)
            ORDER BY e.epoch_us DESC, e.id DESC LIMIT 1
            """)
        guard let row = found.first else { throw .notFound(entity: "element set", key: String(noradID)) }
        return try Self.decoding { try Self.elementSet(row) }
    }

    /// The latest set of each selected object, by NORAD id.
    public func latestElementSets(_ filter: ElementSetFilter) async throws(StoreError) -> [ElementSetRecord] {
        let since = filter.receivedSince.map(StoreTime.microseconds)
        let ids = filter.noradIDs.map { $0.sorted() }
        let found = try await rows(
            """
            SELECT \(unescaped: Self.elementSetColumns) FROM objects o
            JOIN element_sets e ON e.id = (
                SELECT x.id FROM element_sets x WHERE x.norad_id = o.norad_id
                ORDER BY x.epoch_us DESC, x.id DESC LIMIT 1)
            WHERE (\(filter.owner)::text IS NULL OR o.owner = \(filter.owner))
              AND (\(since)::bigint IS NULL OR e.received_us >= \(since))
              AND (\(ids)::bigint[] IS NULL OR o.norad_id = ANY(\(ids)))
            ORDER BY o.norad_id LIMIT \(filter.limit)
            """)
        return try Self.decoding { try found.map(Self.elementSet) }
    }
}

// MARK: - Rows

extension PostgresStore {
    static let objectColumns =
        "norad_id, cospar_id, name, object_type, owner, marking, launch_date, decay_date, updated_us"
    static let elementSetColumns = "e.id, e.norad_id, e.omm_json, e.received_us, e.source"

    /// Whether the object exists; with `lock`, its row is locked (`FOR KEY SHARE`) until the transaction ends.
    static func objectExists(_ db: PostgresConnection, _ noradID: Int, _ logger: Logger, lock: Bool = false)
        async throws -> Bool
    {
        try await !db.rows(
            "SELECT 1 FROM objects WHERE norad_id = \(noradID) \(unescaped: lock ? "FOR KEY SHARE" : "")", logger
        ).isEmpty
    }

    /// Inserts or updates the object's row (never deleting it, so its element sets stay).
    static func saveObject(_ db: PostgresConnection, _ object: CatalogueObject, _ logger: Logger) async throws {
        guard !object.name.isEmpty else { throw StoreError.invalid("object \(object.noradID) needs a name") }
        guard object.noradID > 0 else { throw StoreError.invalid("NORAD id \(object.noradID) is not positive") }
        if let owner = object.owner, try await !organisationExists(db, owner, logger, lock: true) {
            throw StoreError.notFound(entity: "organisation", key: owner)
        }
        _ = try await db.rows(
            """
            INSERT INTO objects (norad_id, cospar_id, name, object_type, owner, marking, launch_date, decay_date,
                                 updated_us)
            VALUES (\(object.noradID), \(object.cosparID), \(object.name), \(object.type.rawValue), \(object.owner),
                    \(object.marking.description), \(object.launchDate?.description), \(object.decayDate?.description),
                    \(StoreTime.microseconds(object.updated)))
            ON CONFLICT (norad_id) DO UPDATE SET
                cospar_id = excluded.cospar_id, name = excluded.name, object_type = excluded.object_type,
                owner = excluded.owner, marking = excluded.marking, launch_date = excluded.launch_date,
                decay_date = excluded.decay_date, updated_us = excluded.updated_us
            """, logger)
    }

    static func object(_ row: PostgresRow) throws -> CatalogueObject {
        let (noradID, cosparID, name, typeText, owner, markingText, launch, decay, updated) = try row.decode(
            (Int, String?, String, String, String?, String, String?, String?, Int64).self)
        guard let type = ObjectType(rawValue: typeText), let marking = Marking(markingText) else {
            throw StoreError.schema("object \(noradID) has type '\(typeText)' and marking '\(markingText)'")
        }
        return CatalogueObject(
            noradID: noradID, cosparID: cosparID, name: name, type: type, owner: owner, marking: marking,
            launchDate: launch.flatMap(CalendarDate.init), decayDate: decay.flatMap(CalendarDate.init),
            updated: StoreTime.date(updated))
    }

    static func elementSet(_ row: PostgresRow) throws -> ElementSetRecord {
        let (id, noradID, json, received, source) = try row.decode((Int64, Int, String, Int64, String).self)
        let result = MessageReader.read(Array(json.utf8), encoding: .json, strictness: .lenient)
        guard result.isValid, let omm = result.message, let epoch = omm.segments.first?.data.find("EPOCH")?.epoch
        else { throw StoreError.schema("element set \(id) no longer reads as an OMM") }
        return try ElementSetRecord(
            id: id, noradID: noradID, epoch: epoch, omm: omm, received: StoreTime.date(received), source: source)
    }
}
