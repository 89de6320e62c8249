/// Why a store operation failed. Every store method throws only this type, whatever the engine.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The named entity does not exist (`entity` is `user`, `organisation`, `api key`, `object` …; `key` is
    /// the identifier that was looked up).
    case notFound(entity: String, key: String)
    /// The write would break a uniqueness or integrity rule: the entity already exists, or others still refer
    /// to it.
    case conflict(entity: String, key: String, reason: String)
    /// The input is not acceptable (empty name, an element set that is not an OMM …).
    case invalid(String)
    /// The database schema is newer than this build knows, or a migration failed.
    case schema(String)
    /// The engine failed (I/O, corruption, connection lost). The message comes from the engine.
    case engine(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .notFound(let entity, let key): "\(entity) '\(key)' not found"
        case .conflict(let entity, let key, let reason): "\(entity) '\(key)': \(reason)"
        case .invalid(let message): "invalid: \(message)"
        case .schema(let message): "schema: \(message)"
        case .engine(let message): "database: \(message)"
        }
    }
}
