import Foundation
import Policy

/// A user's request for dedicated observations of one object (issue 11 §1), and everything that happened to it.
public struct ObservationRequest: Sendable, Equatable {
    /// `req_` and 16 lowercase hexadecimal digits, random.
    public var id: String
    /// The user who submitted it.
    public var requester: String
    /// The requester's organisation (the products to come are shared with it).
    public var organisation: String
    /// Where it stands.
    public var state: RequestState
    /// What to observe.
    public var target: RequestTarget
    /// When to observe (UTC). Accepting a proposal replaces it with the proposed window.
    public var window: DateInterval
    /// The measurements wanted, in the order given, without repeats.
    public var measurements: [MeasurementType]
    /// How many tracks (passes) are wanted.
    public var tracks: Int
    /// How urgently.
    public var priority: ObservationPriority
    /// The sensor or site asked for, if any.
    public var sensor: String?
    /// Why (free text).
    public var purpose: String?
    /// The marking the products to come will carry.
    public var marking: Marking
    /// When it was stored.
    public var created: Date
    /// When it last changed state.
    public var updated: Date
    /// The client's `Idempotency-Key`, if it sent one.
    public var idempotencyKey: String?
    /// A digest of the submitted body: the same key with another body is a conflict.
    public var bodyDigest: String?
    /// The alternative window the backend proposed (state `PROPOSED`), kept afterwards for the record.
    public var proposedWindow: DateInterval?
    /// The passes the backend booked (its latest status with a schedule).
    public var schedule: [ScheduledPass]
    /// Every transition, oldest first (the first is `SUBMITTED`).
    public var history: [RequestHistoryEntry]
    /// The products linked to it, ascending.
    public var productIDs: [Int64]

    /// Creates a request.
    public init(
        id: String = ObservationRequest.newID(), requester: String, organisation: String,
        state: RequestState = .submitted, target: RequestTarget, window: DateInterval,
        measurements: [MeasurementType], tracks: Int, priority: ObservationPriority = .routine, sensor: String? = nil,
        purpose: String? = nil, marking: Marking, created: Date, updated: Date? = nil, idempotencyKey: String? = nil,
        bodyDigest: String? = nil, proposedWindow: DateInterval? = nil, schedule: [ScheduledPass] = [],
        history: [RequestHistoryEntry] = [], productIDs: [Int64] = []
    ) {
        self.id = id
        self.requester = requester
        self.organisation = organisation
        self.state = state
        self.target = target
        self.window = window
        self.measurements = measurements
        self.tracks = tracks
        self.priority = priority
        self.sensor = sensor
        self.purpose = purpose
        self.marking = marking
        self.created = created
        self.updated = updated ?? created
        self.idempotencyKey = idempotencyKey
        self.bodyDigest = bodyDigest
        self.proposedWindow = proposedWindow
        self.schedule = schedule
        self.history = history
        self.productIDs = productIDs
    }

    /// A new random id.
    public static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = UInt64.random(in: .min ... .max, using: &generator)
        let hex = String(value, radix: 16)
        return "req_" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether `text` has the shape of a request id.
    public static func isID(_ text: String) -> Bool {
        text.hasPrefix("req_") && text.utf8.count == 20
            && text.utf8.dropFirst(4).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The NORAD catalogue numbers the request concerns (its target's, when it has one).
    public var noradIDs: [Int] { target.noradID.map { [$0] } ?? [] }
}

/// What an observation request is about: a catalogue object, or an object described by an orbit given inline.
public struct RequestTarget: Sendable, Equatable {
    /// The catalogue number (given, or read from the inline orbit when it names one).
    public var noradID: Int?
    /// The inline orbit, for an object not in the catalogue.
    public var orbit: InlineOrbit?

    /// Creates a target.
    public init(noradID: Int? = nil, orbit: InlineOrbit? = nil) {
        self.noradID = noradID
        self.orbit = orbit
    }
}

/// An orbit given with a request: a CCSDS OMM, OEM or OPM exactly as sent (KVN or XML), already validated.
public struct InlineOrbit: Sendable, Equatable {
    /// The message type.
    public var kind: ProductKind
    /// The message text.
    public var text: String
    /// The object's name in the message (`OBJECT_NAME`).
    public var objectName: String?
    /// The object's international designator in the message (`OBJECT_ID`).
    public var objectID: String?

    /// Creates an orbit.
    public init(kind: ProductKind, text: String, objectName: String? = nil, objectID: String? = nil) {
        self.kind = kind
        self.text = text
        self.objectName = objectName
        self.objectID = objectID
    }
}

/// A kind of measurement a request asks for (issue 11 §1).
public enum MeasurementType: String, Sendable, CaseIterable, Codable {
    /// Right ascension and declination from a telescope.
    case opticalAngles = "optical-angles"
    /// Range from a radar.
    case radarRange = "radar-range"
    /// Range rate from a radar.
    case radarDoppler = "radar-doppler"
}

/// A pass booked on a sensor (the backend's `schedule`).
public struct ScheduledPass: Sendable, Equatable, Codable {
    /// The sensor's name.
    public var sensor: String
    /// When the pass starts.
    public var start: Date
    /// When it ends.
    public var stop: Date

    /// Creates a pass.
    public init(sensor: String, start: Date, stop: Date) {
        self.sensor = sensor
        self.start = start
        self.stop = stop
    }
}

/// One transition of a request: the state entered, when, by whom and why.
public struct RequestHistoryEntry: Sendable, Equatable {
    /// The state entered.
    public var state: RequestState
    /// When.
    public var time: Date
    /// Who moved it.
    public var actor: RequestActor
    /// The user who acted (the requester, the administrator, the backend's user; nil for the gateway).
    public var user: String?
    /// Why, when it was said.
    public var reason: String?
    /// The feed event recording it (0 before it is stored).
    public var eventID: Int64

    /// Creates an entry.
    public init(
        state: RequestState, time: Date, actor: RequestActor, user: String? = nil, reason: String? = nil,
        eventID: Int64 = 0
    ) {
        self.state = state
        self.time = time
        self.actor = actor
        self.user = user
        self.reason = reason
        self.eventID = eventID
    }
}
