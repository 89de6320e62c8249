import Foundation
import GatewayCore
import Policy

/// An observation request's row as every engine writes and reads it (migration 7): times in microseconds, the
/// measurements and the schedule as JSON, the inline orbit in four columns.
struct ObservationRequestRecord: Sendable {
    var id: String
    var requester: String
    var organisation: String
    var state: String
    var noradID: Int?
    var orbitKind: String?
    var orbitText: String?
    var orbitObjectName: String?
    var orbitObjectID: String?
    var windowStartUS: Int64
    var windowStopUS: Int64
    /// JSON array of measurement types, in the order given.
    var measurements: String
    var tracks: Int
    var priority: String
    var sensor: String?
    var purpose: String?
    var marking: String
    var createdUS: Int64
    var updatedUS: Int64
    var idempotencyKey: String?
    var bodyDigest: String?
    var proposedStartUS: Int64?
    var proposedStopUS: Int64?
    /// JSON array of `PassRow`s.
    var schedule: String

    /// The columns, in the order `init(columns:)` reads them.
    static let columns = """
        id, requester, organisation, state, norad_id, orbit_kind, orbit_text, orbit_object_name, orbit_object_id, \
        window_start_us, window_stop_us, measurements, tracks, priority, sensor, purpose, marking, created_us, \
        updated_us, idempotency_key, body_digest, proposed_start_us, proposed_stop_us, schedule
        """

    /// The row of `request`, after the checks every engine applies: `invalid` for a malformed id, an empty
    /// requester, a request that is not `SUBMITTED` or asks for no track.
    init(_ request: ObservationRequest) throws(StoreError) {
        guard ObservationRequest.isID(request.id) else {
            throw .invalid("'\(request.id)' is not a request id (req_ and 16 lowercase hexadecimal digits)")
        }
        guard !request.requester.isEmpty else { throw .invalid("an observation request needs a requester") }
        guard request.state == .submitted else {
            throw .invalid("a new observation request is SUBMITTED, not \(request.state.rawValue)")
        }
        guard request.tracks > 0 else { throw .invalid("an observation request asks for at least one track") }
        id = request.id
        requester = request.requester
        organisation = request.organisation
        state = request.state.rawValue
        noradID = request.target.noradID
        orbitKind = request.target.orbit?.kind.rawValue
        orbitText = request.target.orbit?.text
        orbitObjectName = request.target.orbit?.objectName
        orbitObjectID = request.target.orbit?.objectID
        windowStartUS = StoreTime.microseconds(request.window.start)
        windowStopUS = StoreTime.microseconds(request.window.end)
        measurements = JSONList.encode(request.measurements.map(\.rawValue))
        tracks = request.tracks
        priority = request.priority.rawValue
        sensor = request.sensor
        purpose = request.purpose
        marking = request.marking.description
        createdUS = StoreTime.microseconds(request.created)
        updatedUS = StoreTime.microseconds(request.updated)
        idempotencyKey = request.idempotencyKey
        bodyDigest = request.bodyDigest
        proposedStartUS = request.proposedWindow.map { StoreTime.microseconds($0.start) }
        proposedStopUS = request.proposedWindow.map { StoreTime.microseconds($0.end) }
        schedule = Self.schedule(request.schedule)
    }

    /// A row as read, column by column (each engine fills it from its own row type).
    init(
        id: String, requester: String, organisation: String, state: String, noradID: Int?, orbitKind: String?,
        orbitText: String?, orbitObjectName: String?, orbitObjectID: String?, windowStartUS: Int64,
        windowStopUS: Int64, measurements: String, tracks: Int, priority: String, sensor: String?, purpose: String?,
        marking: String, createdUS: Int64, updatedUS: Int64, idempotencyKey: String?, bodyDigest: String?,
        proposedStartUS: Int64?, proposedStopUS: Int64?, schedule: String
    ) {
        self.id = id
        self.requester = requester
        self.organisation = organisation
        self.state = state
        self.noradID = noradID
        self.orbitKind = orbitKind
        self.orbitText = orbitText
        self.orbitObjectName = orbitObjectName
        self.orbitObjectID = orbitObjectID
        self.windowStartUS = windowStartUS
        self.windowStopUS = windowStopUS
        self.measurements = measurements
        self.tracks = tracks
        self.priority = priority
        self.sensor = sensor
        self.purpose = purpose
        self.marking = marking
        self.createdUS = createdUS
        self.updatedUS = updatedUS
        self.idempotencyKey = idempotencyKey
        self.bodyDigest = bodyDigest
        self.proposedStartUS = proposedStartUS
        self.proposedStopUS = proposedStopUS
        self.schedule = schedule
    }

    /// The schedule column of `passes`.
    static func schedule(_ passes: [ScheduledPass]) -> String {
        JSONList.encode(passes.map(PassRow.init))
    }

    /// The request the row holds, with `history` and `productIDs`; `schema` when a column no longer reads.
    func request(history: [RequestHistoryEntry], productIDs: [Int64]) throws(StoreError) -> ObservationRequest {
        guard let requestState = RequestState(rawValue: state),
            let requestPriority = ObservationPriority(rawValue: priority),
            let sharing = Marking(marking)
        else {
            throw .schema(
                "observation request \(id) has state '\(state)', priority '\(priority)', marking '\(marking)'")
        }
        var orbit: InlineOrbit?
        if let orbitKind {
            guard let kind = ProductKind(rawValue: orbitKind), let orbitText else {
                throw .schema("observation request \(id) has the orbit kind '\(orbitKind)' without its message")
            }
            orbit = InlineOrbit(kind: kind, text: orbitText, objectName: orbitObjectName, objectID: orbitObjectID)
        }
        let names: [String] = try Self.list(measurements, of: id)
        let types = names.compactMap(MeasurementType.init(rawValue:))
        guard types.count == names.count else {
            throw .schema("observation request \(id) has the measurements \(names), not all of which exist")
        }
        let passes: [PassRow] = try Self.list(schedule, of: id)
        var proposed: DateInterval?
        if let proposedStartUS, let proposedStopUS {
            proposed = DateInterval(start: StoreTime.date(proposedStartUS), end: StoreTime.date(proposedStopUS))
        }
        return ObservationRequest(
            id: id, requester: requester, organisation: organisation, state: requestState,
            target: RequestTarget(noradID: noradID, orbit: orbit),
            window: DateInterval(start: StoreTime.date(windowStartUS), end: StoreTime.date(windowStopUS)),
            measurements: types, tracks: tracks, priority: requestPriority, sensor: sensor, purpose: purpose,
            marking: sharing, created: StoreTime.date(createdUS), updated: StoreTime.date(updatedUS),
            idempotencyKey: idempotencyKey, bodyDigest: bodyDigest, proposedWindow: proposed,
            schedule: passes.map(\.pass), history: history, productIDs: productIDs)
    }

    private static func list<T: Decodable>(_ text: String, of id: String) throws(StoreError) -> [T] {
        do {
            return try JSONDecoder().decode([T].self, from: Data(text.utf8))
        } catch {
            throw .schema("observation request \(id) has the list '\(text)', which does not read")
        }
    }
}

/// A booked pass in the `schedule` column (times in microseconds, as every other time in the store).
private struct PassRow: Codable {
    var sensor: String
    var startUS: Int64
    var stopUS: Int64

    init(_ pass: ScheduledPass) {
        sensor = pass.sensor
        startUS = StoreTime.microseconds(pass.start)
        stopUS = StoreTime.microseconds(pass.stop)
    }

    var pass: ScheduledPass {
        ScheduledPass(sensor: sensor, start: StoreTime.date(startUS), stop: StoreTime.date(stopUS))
    }
}

/// A request's history entry as every engine reads it.
enum RequestHistoryRecord {
    /// The columns, in the order `entry` takes them (after `request_id`).
    static let columns = "request_id, state, time_us, actor, user_name, reason, event_id"

    /// The entry a row holds; `schema` for an unknown state or actor.
    static func entry(
        requestID: String, state: String, timeUS: Int64, actor: String, user: String?, reason: String?, eventID: Int64
    ) throws(StoreError) -> RequestHistoryEntry {
        guard let entered = RequestState(rawValue: state), let who = RequestActor(rawValue: actor) else {
            throw .schema("observation request \(requestID) has a history entry '\(state)' by '\(actor)'")
        }
        return RequestHistoryEntry(
            state: entered, time: StoreTime.date(timeUS), actor: who, user: user, reason: reason, eventID: eventID)
    }
}

/// A backend command's columns as every engine reads them.
enum BackendCommandRecord {
    /// The columns, in the order `command` takes them.
    static let columns = "id, request_id, kind, state, attempts, created_us, next_attempt_us, completed_us, last_error"

    /// The command a row holds; `schema` for an unknown kind or state.
    static func command(
        id: Int64, requestID: String, kind: String, state: String, attempts: Int, createdUS: Int64,
        nextAttemptUS: Int64, completedUS: Int64?, lastError: String?
    ) throws(StoreError) -> BackendCommand {
        guard let commandKind = BackendCommandKind(rawValue: kind),
            let commandState = BackendCommandState(rawValue: state)
        else { throw .schema("backend command \(id) has kind '\(kind)' and state '\(state)'") }
        return BackendCommand(
            id: id, requestID: requestID, kind: commandKind, state: commandState, attempts: attempts,
            created: StoreTime.date(createdUS), nextAttempt: StoreTime.date(nextAttemptUS),
            completed: completedUS.map(StoreTime.date), lastError: lastError)
    }
}

/// Pieces both engines share when they write requests.
enum RequestWriting {
    /// The first history entry of `request`: the one it carries, or `SUBMITTED` by the requester at its creation.
    static func firstEntry(_ request: ObservationRequest) -> RequestHistoryEntry {
        var entry =
            request.history.first
            ?? RequestHistoryEntry(
                state: .submitted, time: request.created, actor: .requester, user: request.requester)
        entry.eventID = 0
        return entry
    }

    /// The first limit `limits` would see exceeded by a request asking for `tracks`, given what is used.
    static func exceeded(
        _ limits: RequestLimits, open: Int, requestsToday: Int, tracksToday: Int, tracks: Int
    ) -> RequestLimitExceeded? {
        if let limit = limits.openRequests, open + 1 > limit {
            return RequestLimitExceeded(limit: .openRequests, value: limit, used: open)
        }
        if let limit = limits.requestsPerDay, requestsToday + 1 > limit {
            return RequestLimitExceeded(limit: .requestsPerDay, value: limit, used: requestsToday)
        }
        if let limit = limits.tracksPerDay, tracksToday + tracks > limit {
            return RequestLimitExceeded(limit: .tracksPerDay, value: limit, used: tracksToday)
        }
        return nil
    }

    /// The states a product may be linked in.
    static let productStates: Set<RequestState> = [.accepted, .scheduled, .partial, .collected]

    /// The refusal of linking a product to a request in `state`.
    static func productConflict(_ id: String, _ state: RequestState) -> StoreError {
        .conflict(
            entity: "observation request", key: id,
            reason: "a product cannot be linked to a \(state.rawValue) request (ACCEPTED, SCHEDULED, PARTIAL or "
                + "COLLECTED only)")
    }

    /// The terminal states, as SQL text lists them (`'REJECTED', 'DELIVERED', …`).
    static let terminalStates = RequestState.allCases.filter(\.isTerminal).map { "'\($0.rawValue)'" }
        .joined(separator: ", ")

    /// What a change does to the stored request: the state it enters (or `conflict` naming the illegal move),
    /// checked against the state machine, and the window and proposed window it leaves.
    static func apply(_ change: RequestChange, to stored: ObservationRequest) throws(StoreError) -> ObservationRequest {
        let entered: RequestState
        do {
            entered = try RequestStateMachine.apply(change.to, from: stored.state, by: change.actor)
        } catch {
            throw .conflict(entity: "observation request", key: stored.id, reason: error.description)
        }
        if entered == .proposed && change.proposedWindow == nil {
            throw .invalid("a request entering PROPOSED needs the proposed window")
        }
        var changed = stored
        changed.state = entered
        changed.updated = change.time
        if let window = change.proposedWindow { changed.proposedWindow = window }
        if stored.state == .proposed && entered == .accepted && change.actor == .requester,
            let proposed = changed.proposedWindow
        {
            changed.window = proposed
        }
        if let schedule = change.schedule { changed.schedule = schedule }
        return changed
    }
}

/// What an outcome writes to its command's row (`jsonb_to_recordset` reads it on PostgreSQL); nil columns keep
/// their value.
struct BackendOutcomeRow: Encodable {
    var commandID: Int64
    var state: String
    var nextAttemptUS: Int64?
    var completedUS: Int64?
    var error: String?

    init(_ outcome: BackendCommandOutcome) {
        commandID = outcome.commandID
        switch outcome.result {
        case .done(let time):
            state = BackendCommandState.done.rawValue
            completedUS = StoreTime.microseconds(time)
        case .retry(let time, let error):
            state = BackendCommandState.pending.rawValue
            nextAttemptUS = StoreTime.microseconds(time)
            self.error = error
        case .refused(let error, _):
            state = BackendCommandState.refused.rawValue
            self.error = error
        }
    }
}
