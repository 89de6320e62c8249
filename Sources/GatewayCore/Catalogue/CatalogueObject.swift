import Foundation
import Policy

/// One object of the catalogue (a SATCAT-like record): identity, ownership and sharing (DESIGN §4, issue 4 §6).
public struct CatalogueObject: Sendable, Hashable {
    /// The NORAD catalogue number (above 339999 only OMM can carry it).
    public var noradID: Int
    /// The COSPAR international designator, `YYYY-NNNP{PP}` (e.g. `1998-067A`); nil when unknown.
    public var cosparID: String?
    /// The object's name.
    public var name: String
    /// What the object is.
    public var type: ObjectType
    /// The `Organisation.name` of the owner; nil for objects nobody in the gateway owns.
    public var owner: String?
    /// Who beyond the owner may see the object and its data.
    public var marking: Marking
    /// The launch date, when known.
    public var launchDate: CalendarDate?
    /// The decay (re-entry) date; nil while in orbit or unknown.
    public var decayDate: CalendarDate?
    /// When the record last changed: what `CatalogueObjectFilter.updatedSince` compares against.
    public var updated: Date

    /// Creates a record.
    public init(
        noradID: Int, cosparID: String? = nil, name: String, type: ObjectType = .unknown, owner: String? = nil,
        marking: Marking = .public, launchDate: CalendarDate? = nil, decayDate: CalendarDate? = nil,
        updated: Date = Date()
    ) {
        self.noradID = noradID
        self.cosparID = cosparID
        self.name = name
        self.type = type
        self.owner = owner
        self.marking = marking
        self.launchDate = launchDate
        self.decayDate = decayDate
        self.updated = updated
    }
}

/// The kind of a catalogue object; raw values are SATCAT's `OBJECT_TYPE` spellings.
public enum ObjectType: String, Sendable, Hashable, CaseIterable {
    /// A payload (satellite).
    case payload = "PAYLOAD"
    /// A spent rocket body.
    case rocketBody = "ROCKET BODY"
    /// Debris.
    case debris = "DEBRIS"
    /// Not known.
    case unknown = "UNKNOWN"
}

/// Which catalogue objects a listing returns, in ascending NORAD id order. Every condition left nil matches all.
public struct CatalogueObjectFilter: Sendable, Hashable {
    /// Only objects owned by this organisation.
    public var owner: String?
    /// Only objects whose `updated` is at or after this time (incremental pulls: inclusive, so nothing is missed).
    public var updatedSince: Date?
    /// Only these NORAD ids.
    public var noradIDs: Set<Int>?
    /// Only NORAD ids greater than this (keyset paging: pass the last id of the previous page).
    public var afterNoradID: Int?
    /// At most this many objects.
    public var limit: Int?

    /// Creates a filter.
    public init(
        owner: String? = nil, updatedSince: Date? = nil, noradIDs: Set<Int>? = nil, afterNoradID: Int? = nil,
        limit: Int? = nil
    ) {
        self.owner = owner
        self.updatedSince = updatedSince
        self.noradIDs = noradIDs
        self.afterNoradID = afterNoradID
        self.limit = limit
    }
}
