import CCSDS
import Foundation
import Policy

/// One stored CCSDS product (CDM, TDM, OEM, OPM or OMM) with its provenance (DESIGN §1 flow 2, issue 5).
///
/// The original submission (`bytes`) is kept and re-served exactly; `message` is its parsed model (stored in the
/// project's JSON encoding). The other fields are what listings filter on and policies decide by, extracted once at
/// ingest so that queries never parse messages.
public struct Product: Sendable, Equatable {
    /// The store's identifier, assigned when the product is stored (nil before).
    public var id: Int64?
    /// The message type.
    public var kind: ProductKind
    /// The encoding of `bytes`: `kvn` or `xml`.
    public var encoding: String
    /// The submission exactly as received.
    public var bytes: [UInt8]
    /// The parsed message.
    public var message: Message
    /// The lowercase hexadecimal SHA-256 of `bytes`: the same file twice is one product.
    public var contentHash: String
    /// The name of the user who submitted it.
    public var submitter: String
    /// The organisation that provides the data.
    public var provider: String
    /// The sensor or originator, when known.
    public var source: String?
    /// The message's `CREATION_DATE`, when it has one.
    public var created: Date?
    /// When the gateway received it.
    public var received: Date
    /// Who beyond the owners may see it.
    public var marking: Marking
    /// What the data is for.
    public var dataMode: DataMode
    /// The catalogue objects it concerns, ascending (CDM objects, OEM/OPM/OMM object, TDM targets).
    public var noradIDs: [Int]
    /// The owners of those objects when it was stored, sorted.
    public var ownerOrganisations: [String]
    /// The TDM `PARTICIPANT_n` values or the CDM `OBJECT_DESIGNATOR`s, in message order.
    public var participants: [String]
    /// The start of the time the data covers: first TDM observation, CDM TCA, OEM first state, OPM/OMM epoch.
    public var timeStart: Date?
    /// The end of the time the data covers: last TDM observation, CDM TCA, OEM last state, OPM/OMM epoch.
    public var timeStop: Date?
    /// CDM only: the probability of collision given by the originator (`COLLISION_PROBABILITY`).
    public var collisionProbability: Double?
    /// CDM only: the miss distance (`MISS_DISTANCE`) in metres.
    public var missDistanceMetres: Double?
    /// TDM observation lines, OEM states, else 1.
    public var recordCount: Int

    /// Creates a product. `contentHash` is computed from `bytes` when nil (give it only for bytes already hashed,
    /// as stores do when reading); `noradIDs` and `ownerOrganisations` are sorted and de-duplicated.
    public init(
        id: Int64? = nil, kind: ProductKind, encoding: String, bytes: [UInt8], message: Message,
        contentHash: String? = nil, submitter: String, provider: String, source: String? = nil, created: Date? = nil,
        received: Date, marking: Marking, dataMode: DataMode, noradIDs: [Int] = [], ownerOrganisations: [String] = [],
        participants: [String] = [], timeStart: Date? = nil, timeStop: Date? = nil,
        collisionProbability: Double? = nil, missDistanceMetres: Double? = nil, recordCount: Int = 1
    ) {
        self.id = id
        self.kind = kind
        self.encoding = encoding
        self.bytes = bytes
        self.message = message
        self.contentHash = contentHash ?? Product.contentHash(of: bytes)
        self.submitter = submitter
        self.provider = provider
        self.source = source
        self.created = created
        self.received = received
        self.marking = marking
        self.dataMode = dataMode
        self.noradIDs = Array(Set(noradIDs)).sorted()
        self.ownerOrganisations = Array(Set(ownerOrganisations)).sorted()
        self.participants = participants
        self.timeStart = timeStart
        self.timeStop = timeStop
        self.collisionProbability = collisionProbability
        self.missDistanceMetres = missDistanceMetres
        self.recordCount = recordCount
    }
}

/// The answer to `ProductStore.storeProduct(_:)`.
public struct StoredProduct: Sendable, Equatable {
    /// The product as stored, with its `id` (the earlier one when the same bytes were already stored).
    public var product: Product
    /// True when this call stored it; false when a product with the same content hash already existed.
    public var created: Bool

    /// Creates an answer.
    public init(product: Product, created: Bool) {
        self.product = product
        self.created = created
    }
}
