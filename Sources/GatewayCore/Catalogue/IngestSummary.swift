/// What one `CatalogueStore.ingest(objects:elementSets:)` wrote.
public struct IngestSummary: Sendable, Hashable {
    /// Objects that did not exist before.
    public var objectsCreated: Int
    /// Existing objects whose record was replaced.
    public var objectsUpdated: Int
    /// Element sets appended.
    public var elementSetsAdded: Int
    /// Element sets not appended because the object already had one with the same epoch from the same source
    /// (in the store or earlier in the same ingest).
    public var elementSetsSkipped: Int

    /// Creates a summary.
    public init(
        objectsCreated: Int = 0, objectsUpdated: Int = 0, elementSetsAdded: Int = 0, elementSetsSkipped: Int = 0
    ) {
        self.objectsCreated = objectsCreated
        self.objectsUpdated = objectsUpdated
        self.elementSetsAdded = elementSetsAdded
        self.elementSetsSkipped = elementSetsSkipped
    }
}
