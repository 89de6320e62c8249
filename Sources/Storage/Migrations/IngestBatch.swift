import GatewayCore

/// The checks and normalisation every engine applies to an ingest batch before writing anything.
enum IngestBatch {
    /// The objects to upsert: each NORAD id once (the last record given for it wins, at the place of its first
    /// occurrence), every record checked as `upsertObject` checks it.
    static func objects(_ objects: [CatalogueObject]) throws(StoreError) -> [CatalogueObject] {
        var position: [Int: Int] = [:]
        var unique: [CatalogueObject] = []
        for object in objects {
            guard !object.name.isEmpty else { throw .invalid("object \(object.noradID) needs a name") }
            guard object.noradID > 0 else { throw .invalid("NORAD id \(object.noradID) is not positive") }
            if let index = position[object.noradID] {
                unique[index] = object
            } else {
                position[object.noradID] = unique.count
                unique.append(object)
            }
        }
        return unique
    }
}
