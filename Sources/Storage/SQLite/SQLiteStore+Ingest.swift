import CCSDS
import Foundation
import GRDB
import GatewayCore

extension SQLiteStore {
    /// Upserts the objects and appends the sets in one write transaction (all or nothing).
    public func ingest(objects: [CatalogueObject], elementSets: [ElementSetRecord]) async throws(StoreError)
        -> IngestSummary
    {
        let objects = try IngestBatch.objects(objects)
        let rows = elementSets.map { record in
            (record, String(decoding: JSONMessageWriter.write(record.omm), as: UTF8.self))
        }
        return try await write { db in
            var summary = IngestSummary()
            for object in objects {
                let exists = try Self.objectExists(db, object.noradID)
                try Self.saveObject(db, object)
                if exists { summary.objectsUpdated += 1 } else { summary.objectsCreated += 1 }
            }
            var known = Set(objects.map(\.noradID))
            for (record, json) in rows {
                if !known.contains(record.noradID) {
                    guard try Self.objectExists(db, record.noradID) else {
                        throw StoreError.notFound(entity: "object", key: String(record.noradID))
                    }
                    known.insert(record.noradID)
                }
                try db.execute(
                    sql: """
                        INSERT INTO element_sets (norad_id, epoch, epoch_us, omm_json, received_us, source)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (norad_id, epoch_us, source) DO NOTHING
                        """,
                    arguments: [
                        record.noradID, record.epoch.description, record.epochMicroseconds, json,
                        StoreTime.microseconds(record.received), record.source,
                    ])
                if db.changesCount == 0 { summary.elementSetsSkipped += 1 } else { summary.elementSetsAdded += 1 }
            }
            return summary
        }
    }

    /// Object count, latest update, greatest set id and the change counter, read in one snapshot.
    public func catalogueRevision() async throws(StoreError) -> CatalogueRevision {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT (SELECT count(*) FROM objects) AS objects,
                               (SELECT max(updated_us) FROM objects) AS updated,
                               (SELECT max(id) FROM element_sets) AS sets,
                               (SELECT changes FROM catalogue_revision WHERE id = 1) AS changes
                        """)
            else { throw StoreError.schema("the catalogue revision cannot be read") }
            return CatalogueRevision(
                objectCount: row["objects"], latestObjectUpdate: (row["updated"] as Int64?).map(StoreTime.date),
                greatestElementSetID: row["sets"], changeCount: row["changes"] ?? 0)
        }
    }
}
