import CCSDS
import Foundation
import GRDB
import GatewayCore
import Policy

extension SQLiteStore: CatalogueStore {
    /// Adds an object.
    public func createObject(_ object: CatalogueObject) async throws(StoreError) {
        try await write { db in
            if try Self.objectExists(db, object.noradID) {
                throw StoreError.conflict(entity: "object", key: String(object.noradID), reason: "already exists")
            }
            try Self.saveObject(db, object)
        }
    }

    /// Adds or replaces an object, keeping its element sets.
    public func upsertObject(_ object: CatalogueObject) async throws(StoreError) {
        try await write { db in try Self.saveObject(db, object) }
    }

    /// The object with `noradID`.
    public func object(noradID: Int) async throws(StoreError) -> CatalogueObject {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM objects WHERE norad_id = ?", arguments: [noradID])
            else { throw StoreError.notFound(entity: "object", key: String(noradID)) }
            return try Self.object(row)
        }
    }

    /// The objects `filter` selects, by NORAD id.
    public func objects(_ filter: CatalogueObjectFilter) async throws(StoreError) -> [CatalogueObject] {
        let arguments: StatementArguments = [
            "owner": filter.owner,
            "since": filter.updatedSince.map(StoreTime.microseconds),
            "ids": filter.noradIDs.map(Self.jsonArray),
            "after": filter.afterNoradID,
            "limit": filter.limit ?? -1,
        ]
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM objects
                    WHERE (:owner IS NULL OR owner = :owner)
                      AND (:since IS NULL OR updated_us >= :since)
                      AND (:ids IS NULL OR norad_id IN (SELECT value FROM json_each(:ids)))
                      AND (:after IS NULL OR norad_id > :after)
                    ORDER BY norad_id LIMIT :limit
                    """,
                arguments: arguments
            ).map(Self.object)
        }
    }

    /// Removes an object and its element sets.
    public func deleteObject(noradID: Int) async throws(StoreError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM objects WHERE norad_id = ?", arguments: [noradID])
            if db.changesCount == 0 { throw StoreError.notFound(entity: "object", key: String(noradID)) }
        }
    }

    /// Appends an element set.
    public func appendElementSet(_ record: ElementSetRecord) async throws(StoreError) -> ElementSetRecord {
        let json = String(decoding: JSONMessageWriter.write(record.omm), as: UTF8.self)
        return try await write { db in
            guard try Self.objectExists(db, record.noradID) else {
                throw StoreError.notFound(entity: "object", key: String(record.noradID))
            }
            let duplicate = try Row.fetchOne(
                db, sql: "SELECT 1 FROM element_sets WHERE norad_id = ? AND epoch_us = ? AND source = ?",
                arguments: [record.noradID, record.epochMicroseconds, record.source])
            if duplicate != nil {
                throw StoreError.conflict(
                    entity: "element set", key: "\(record.noradID) \(record.epoch)",
                    reason: "source '\(record.source)' already gave a set with this epoch")
            }
            try db.execute(
                sql: """
                    INSERT INTO element_sets (norad_id, epoch, epoch_us, omm_json, received_us, source)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.noradID, record.epoch.description, record.epochMicroseconds, json,
                    StoreTime.microseconds(record.received), record.source,
                ])
            var stored = record
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    /// The sets `filter` selects, by object, epoch, id.
    public func elementSetHistory(_ filter: ElementSetFilter) async throws(StoreError) -> [ElementSetRecord] {
        let arguments = Self.arguments(filter)
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.* FROM element_sets e JOIN objects o ON o.norad_id = e.norad_id
                    WHERE \(Self.elementSetConditions)
                    ORDER BY e.norad_id, e.epoch_us, e.id LIMIT :limit
                    """,
                arguments: arguments
            ).map(Self.elementSet)
        }
    }

    /// The latest set of one object: one descending step of `element_sets_history` (a set's object always exists:
    /// sets are deleted with it).
    public func latestElementSet(noradID: Int) async throws(StoreError) -> ElementSetRecord {
        let found = try await read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT * FROM element_sets WHERE norad_id = ? ORDER BY epoch_us DESC, id DESC LIMIT 1"),
                arguments: [noradID]
            ).map(Self.elementSet)
        }
        guard let record = found else { throw .notFound(entity: "element set", key: String(noradID)) }
        return record
    }

    /// The latest set of each selected object, by NORAD id.
    public func latestElementSets(_ filter: ElementSetFilter) async throws(StoreError) -> [ElementSetRecord] {
        let arguments = Self.arguments(filter)
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.* FROM objects o
                    JOIN element_sets e ON e.id = (
                        SELECT x.id FROM element_sets x WHERE x.norad_id = o.norad_id
                        ORDER BY x.epoch_us DESC, x.id DESC LIMIT 1)
                    WHERE \(Self.elementSetConditions)
                    ORDER BY o.norad_id LIMIT :limit
                    """,
                arguments: arguments
            ).map(Self.elementSet)
        }
    }
}

// MARK: - Rows

extension SQLiteStore {
    /// The `ElementSetFilter` conditions over `objects o` and `element_sets e`.
    static let elementSetConditions = """
        (:owner IS NULL OR o.owner = :owner)
          AND (:since IS NULL OR e.received_us >= :since)
          AND (:ids IS NULL OR o.norad_id IN (SELECT value FROM json_each(:ids)))
        """

    static func arguments(_ filter: ElementSetFilter) -> StatementArguments {
        [
            "owner": filter.owner,
            "since": filter.receivedSince.map(StoreTime.microseconds),
            "ids": filter.noradIDs.map(jsonArray),
            "limit": filter.limit ?? -1,
        ]
    }

    /// A set of ids as a JSON array, for `json_each`.
    static func jsonArray(_ ids: Set<Int>) -> String {
        "[" + ids.sorted().map(String.init).joined(separator: ",") + "]"
    }

    static func objectExists(_ db: Database, _ noradID: Int) throws -> Bool {
        try Row.fetchOne(db, sql: "SELECT 1 FROM objects WHERE norad_id = ?", arguments: [noradID]) != nil
    }

    /// Inserts or updates the object's row (never deleting it, so its element sets stay).
    static func saveObject(_ db: Database, _ object: CatalogueObject) throws {
        guard !object.name.isEmpty else { throw StoreError.invalid("object \(object.noradID) needs a name") }
        guard object.noradID > 0 else { throw StoreError.invalid("NORAD id \(object.noradID) is not positive") }
        if let owner = object.owner, try !organisationExists(db, owner) {
            throw StoreError.notFound(entity: "organisation", key: owner)
        }
        try db.execute(
            sql: """
                INSERT INTO objects (norad_id, cospar_id, name, object_type, owner, marking, launch_date, decay_date,
                                     updated_us)
                VALUES (:id, :cospar, :name, :type, :owner, :marking, :launch, :decay, :updated)
                ON CONFLICT (norad_id) DO UPDATE SET
                    cospar_id = excluded.cospar_id, name = excluded.name, object_type = excluded.object_type,
                    owner = excluded.owner, marking = excluded.marking, launch_date = excluded.launch_date,
                    decay_date = excluded.decay_date, updated_us = excluded.updated_us
                """,
            arguments: [
                "id": object.noradID, "cospar": object.cosparID, "name": object.name, "type": object.type.rawValue,
                "owner": object.owner, "marking": object.marking.description,
                "launch": object.launchDate?.description, "decay": object.decayDate?.description,
                "updated": StoreTime.microseconds(object.updated),
            ])
    }

    static func object(_ row: Row) throws -> CatalogueObject {
        let noradID: Int = row["norad_id"]
        let typeText: String = row["object_type"]
        let markingText: String = row["marking"]
        guard let type = ObjectType(rawValue: typeText), let marking = Marking(markingText) else {
            throw StoreError.schema("object \(noradID) has type '\(typeText)' and marking '\(markingText)'")
        }
        return CatalogueObject(
            noradID: noradID, cosparID: row["cospar_id"], name: row["name"], type: type, owner: row["owner"],
            marking: marking, launchDate: (row["launch_date"] as String?).flatMap(CalendarDate.init),
            decayDate: (row["decay_date"] as String?).flatMap(CalendarDate.init),
            updated: StoreTime.date(row["updated_us"]))
    }

    static func elementSet(_ row: Row) throws -> ElementSetRecord {
        let id: Int64 = row["id"]
        let json: String = row["omm_json"]
        let result = MessageReader.read(Array(json.utf8), encoding: .json, strictness: .lenient)
        guard result.isValid, let omm = result.message, let epoch = omm.segments.first?.data.find("EPOCH")?.epoch
        else { throw StoreError.schema("element set \(id) no longer reads as an OMM") }
        return try ElementSetRecord(
            id: id, noradID: row["norad_id"], epoch: epoch, omm: omm, received: StoreTime.date(row["received_us"]),
            source: row["source"])
    }
}
