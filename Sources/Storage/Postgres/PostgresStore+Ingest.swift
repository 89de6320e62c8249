import CCSDS
import Foundation
import GatewayCore
import PostgresNIO

extension PostgresStore {
    /// Upserts the objects and appends the sets in one transaction (all or nothing), each as one statement over a
    /// JSON array of rows (`jsonb_to_recordset`), so a batch of thousands costs a handful of round trips.
    public func ingest(objects: [CatalogueObject], elementSets: [ElementSetRecord]) async throws(StoreError)
        -> IngestSummary
    {
        let objects = try IngestBatch.objects(objects)
        let objectRows = try Self.json(objects.map(ObjectRow.init))
        let setRows = try Self.json(elementSets.enumerated().map { ElementSetRow($1, order: $0) })
        let ids = objects.map(\.noradID)
        let owners = Array(Set(objects.compactMap(\.owner))).sorted()
        return try await transaction { db in
            var summary = IngestSummary()
            let known = try await db.rows(
                "SELECT name FROM organisations WHERE name = ANY(\(owners)) FOR KEY SHARE", self.logger
            ).map { try $0.decode(String.self) }
            if let missing = objects.compactMap(\.owner).first(where: { !known.contains($0) }) {
                throw StoreError.notFound(entity: "organisation", key: missing)
            }
            let existing = try await db.rows(
                "SELECT count(*) FROM objects WHERE norad_id = ANY(\(ids))", self.logger)[0].decode(Int.self)
            summary.objectsUpdated = existing
            summary.objectsCreated = objects.count - existing
            if !objects.isEmpty {
                _ = try await db.rows(
                    """
                    INSERT INTO objects (norad_id, cospar_id, name, object_type, owner, marking, launch_date,
                                         decay_date, updated_us)
                    SELECT norad_id, cospar_id, name, object_type, owner, marking, launch_date, decay_date, updated_us
                    FROM jsonb_to_recordset(\(objectRows)::jsonb) AS r(
                        norad_id bigint, cospar_id text, name text, object_type text, owner text, marking text,
                        launch_date text, decay_date text, updated_us bigint)
                    ON CONFLICT (norad_id) DO UPDATE SET
                        cospar_id = excluded.cospar_id, name = excluded.name, object_type = excluded.object_type,
                        owner = excluded.owner, marking = excluded.marking, launch_date = excluded.launch_date,
                        decay_date = excluded.decay_date, updated_us = excluded.updated_us
                    """, self.logger)
            }
            guard !elementSets.isEmpty else { return summary }
            let setIDs = Array(Set(elementSets.map(\.noradID))).sorted()
            let present = Set(
                try await db.rows(
                    "SELECT norad_id FROM objects WHERE norad_id = ANY(\(setIDs)) FOR KEY SHARE", self.logger
                ).map { try $0.decode(Int.self) })
            if let missing = elementSets.first(where: { !present.contains($0.noradID) }) {
                throw StoreError.notFound(entity: "object", key: String(missing.noradID))
            }
            let added = try await db.rows(
                """
                INSERT INTO element_sets (norad_id, epoch, epoch_us, omm_json, received_us, source)
                SELECT norad_id, epoch, epoch_us, omm_json, received_us, source
                FROM jsonb_to_recordset(\(setRows)::jsonb) AS r(
                    ord bigint, norad_id bigint, epoch text, epoch_us bigint, omm_json text, received_us bigint,
                    source text)
                ORDER BY ord
                ON CONFLICT (norad_id, epoch_us, source) DO NOTHING
                RETURNING id
                """, self.logger)
            summary.elementSetsAdded = added.count
            summary.elementSetsSkipped = elementSets.count - added.count
            return summary
        }
    }

    /// Object count, latest update, greatest set id and the change counter, read in one snapshot.
    public func catalogueRevision() async throws(StoreError) -> CatalogueRevision {
        let found = try await rows(
            """
            SELECT (SELECT count(*) FROM objects), (SELECT max(updated_us) FROM objects),
                   (SELECT max(id) FROM element_sets), (SELECT changes FROM catalogue_revision WHERE id = 1)
            """)
        return try Self.decoding {
            let (count, updated, setID, changes) = try found[0].decode((Int, Int64?, Int64?, Int64?).self)
            return CatalogueRevision(
                objectCount: count, latestObjectUpdate: updated.map(StoreTime.date), greatestElementSetID: setID,
                changeCount: changes ?? 0)
        }
    }

    /// A batch as one JSON array (the parameter of `jsonb_to_recordset`).
    static func json<Row: Encodable>(_ rows: [Row]) throws(StoreError) -> String {
        do {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase  // `noradID` → `norad_id`, `epochUS` → `epoch_us`
            return String(decoding: try encoder.encode(rows), as: UTF8.self)
        } catch {
            throw .invalid("the batch cannot be encoded: \(error)")
        }
    }
}

/// An `objects` row as `jsonb_to_recordset` reads it.
private struct ObjectRow: Encodable {
    var noradID: Int
    var cosparID: String?
    var name: String
    var objectType: String
    var owner: String?
    var marking: String
    var launchDate: String?
    var decayDate: String?
    var updatedUS: Int64

    init(_ object: CatalogueObject) {
        noradID = object.noradID
        cosparID = object.cosparID
        name = object.name
        objectType = object.type.rawValue
        owner = object.owner
        marking = object.marking.description
        launchDate = object.launchDate?.description
        decayDate = object.decayDate?.description
        updatedUS = StoreTime.microseconds(object.updated)
    }
}

/// An `element_sets` row as `jsonb_to_recordset` reads it, with its place in the batch.
private struct ElementSetRow: Encodable {
    var ord: Int
    var noradID: Int
    var epoch: String
    var epochUS: Int64
    var ommJSON: String
    var receivedUS: Int64
    var source: String

    init(_ record: ElementSetRecord, order: Int) {
        ord = order
        noradID = record.noradID
        epoch = record.epoch.description
        epochUS = record.epochMicroseconds
        ommJSON = String(decoding: JSONMessageWriter.write(record.omm), as: UTF8.self)
        receivedUS = StoreTime.microseconds(record.received)
        source = record.source
    }
}
