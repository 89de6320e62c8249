import CCSDS
import Foundation

/// One element set in an object's history: the OMM as received, with provenance.
///
/// The element set is kept as the CCSDS OMM `Message` (stored in the project's JSON encoding), not as TLE fields:
/// OMM is the primary element-set format (DESIGN §3), it carries what TLE cannot (NORAD ids above 339999,
/// covariance, user-defined parameters, comments, the originator's header), and `TLE(omm:)` gives the TLE back
/// whenever a TLE can carry it.
public struct ElementSetRecord: Sendable, Equatable {
    /// The store's identifier, assigned when the record is appended (nil before); increases with each append.
    public var id: Int64?
    /// The NORAD id of the object the set describes.
    public var noradID: Int
    /// The set's epoch (the OMM's `EPOCH`, in its `TIME_SYSTEM`, UTC for TLE-based sets).
    public var epoch: CCSDSEpoch
    /// The element set.
    public var omm: Message
    /// When the gateway received it.
    public var received: Date
    /// Where it came from (`backend`, `import:<file>`, a partner's name …).
    public var source: String

    /// Creates a record from its parts; the OMM is checked to be an OMM with one segment.
    public init(
        id: Int64? = nil, noradID: Int, epoch: CCSDSEpoch, omm: Message, received: Date, source: String
    ) throws(StoreError) {
        guard omm.type == .omm, omm.segments.count == 1 else {
            throw .invalid("an element set must be an OMM with one segment, not \(omm.type.rawValue)")
        }
        self.id = id
        self.noradID = noradID
        self.epoch = epoch
        self.omm = omm
        self.received = received
        self.source = source
    }

    /// Creates a record taking the NORAD id (`NORAD_CAT_ID`) and the epoch (`EPOCH`) from the OMM itself.
    public init(omm: Message, received: Date, source: String) throws(StoreError) {
        guard let segment = omm.segments.first else { throw .invalid("the OMM has no segment") }
        guard let noradID = segment.data.find("NORAD_CAT_ID")?.integer else {
            throw .invalid("the OMM has no NORAD_CAT_ID: give the NORAD id explicitly")
        }
        guard let epoch = segment.data.find("EPOCH")?.epoch else { throw .invalid("the OMM has no EPOCH") }
        try self.init(noradID: noradID, epoch: epoch, omm: omm, received: received, source: source)
    }

    /// The epoch as whole microseconds since 1970-01-01T00:00:00 in the epoch's scale, ignoring leap seconds
    /// (digits beyond the microsecond are dropped): the key stores order and index the history by.
    public var epochMicroseconds: Int64 { ElementSetRecord.microseconds(of: epoch) }

    /// `epochMicroseconds` of any epoch.
    public static func microseconds(of epoch: CCSDSEpoch) -> Int64 {
        let unixDays = Int64(epoch.daysSinceJ2000Date) + 10_957
        let seconds = unixDays * 86_400 + Int64(epoch.hour) * 3_600 + Int64(epoch.minute) * 60 + Int64(epoch.second)
        let digits = epoch.fractionDigits.utf8.prefix(6)
        var micros: Int64 = 0
        for digit in digits { micros = micros * 10 + Int64(digit &- 48) }
        for _ in digits.count..<6 { micros *= 10 }
        return seconds * 1_000_000 + micros
    }
}

/// Which element sets a query returns. Every condition left nil matches all.
public struct ElementSetFilter: Sendable, Hashable {
    /// Only sets of these objects.
    public var noradIDs: Set<Int>?
    /// Only sets of objects owned by this organisation.
    public var owner: String?
    /// Only sets received at or after this time (incremental pulls: inclusive, so nothing is missed).
    public var receivedSince: Date?
    /// At most this many sets.
    public var limit: Int?

    /// Creates a filter.
    public init(noradIDs: Set<Int>? = nil, owner: String? = nil, receivedSince: Date? = nil, limit: Int? = nil) {
        self.noradIDs = noradIDs
        self.owner = owner
        self.receivedSince = receivedSince
        self.limit = limit
    }
}
