import Foundation

/// Observation requests, their history and products, and the outbox of commands to the backend (issue 11).
/// Implemented by each storage engine; every engine passes the same conformance suite.
///
/// Every transition is one transaction with its history entry and its feed event (`FeedEvent(request:entry:)`),
/// and with the backend command it implies. Commands are forwarded at least once, in order per request: a command
/// is claimed for a lease, sent, then recorded; the backend makes them idempotent by request id.
public protocol ObservationRequestStore: Sendable {
    /// In ONE transaction: when `request.requester` already has a request with the same `idempotencyKey`, returns
    /// it (`.existing`) and writes nothing; otherwise checks `limits` (open requests; requests and tracks since
    /// `dayStart`) and, within them, stores `request` (state `SUBMITTED`, its one history entry), appends its feed
    /// event and queues its `submit` command, due at `request.created`. Exact under concurrency (per requester).
    /// `notFound` when the requester is no user.
    func createObservationRequest(_ request: ObservationRequest, limits: RequestLimits, dayStart: Date)
        async throws(StoreError) -> RequestCreation
    /// The request with `id`, with its history, schedule and products; `notFound` when there is none.
    func observationRequest(id: String) async throws(StoreError) -> ObservationRequest
    /// The requests `filter` selects, newest first (by creation, then id), with their history and products.
    func observationRequests(_ filter: RequestListFilter) async throws(StoreError) -> [ObservationRequest]
    /// Moves a request, in ONE transaction: checks the move with `RequestStateMachine` against the stored state
    /// (`conflict` naming the illegal transition, nothing written), updates the request (schedule, proposed window,
    /// the window when a proposal is accepted), appends the history entry and the feed event, and queues the
    /// backend command the move implies (`BackendCommandKind.implied`). `notFound` when there is no such request,
    /// or when `change.requester` is set and the request is someone else's. Returns the request as it now is.
    func changeObservationRequest(_ change: RequestChange) async throws(StoreError) -> ObservationRequest
    /// In ONE transaction: stores `product` exactly as `storeProduct` does (with its `product.stored` event), links
    /// it to the request and, when the request is `SCHEDULED`, moves it to `PARTIAL` (actor `gateway`, with its
    /// history entry and event). `notFound` when there is no such request; `conflict` (nothing stored) when the
    /// request is not `ACCEPTED`, `SCHEDULED`, `PARTIAL` or `COLLECTED`.
    func storeRequestProduct(_ product: Product, requestID: String, at time: Date)
        async throws(StoreError) -> (StoredProduct, ObservationRequest)

    /// Claims up to `limit` due commands (`pending`, `nextAttempt` ≤ `time`), oldest due first, and only the
    /// oldest pending command of each request (commands of one request go out in order). Each claimed one's
    /// `nextAttempt` becomes `leaseUntil`. Several gateways never claim one command at once.
    func claimBackendCommands(dueAt time: Date, limit: Int, leaseUntil: Date) async throws(StoreError)
        -> [BackendCommand]
    /// Records what came of sending commands, in one transaction (attempts + 1). A `refused` outcome also moves
    /// the request, if still open, to `FAILED` (actor `gateway`, the reason given), with its event.
    func recordBackendCommands(_ outcomes: [BackendCommandOutcome]) async throws(StoreError)
    /// The commands of one request, oldest first (for the request's page and for tests).
    func backendCommands(requestID: String) async throws(StoreError) -> [BackendCommand]
    /// Commands not yet sent, for metrics.
    func backendOutboxStatistics() async throws(StoreError) -> BackendOutboxStatistics
    /// Signalled after a commit that queued backend commands (across processes on PostgreSQL): what wakes the
    /// forwarder.
    var backendChanges: ChangeSignal { get }
}

/// The per-requester limits a submission is checked against (from the policy's `TaskingQuotas`); nil is no limit.
public struct RequestLimits: Sendable, Hashable {
    /// Requests not yet final.
    public var openRequests: Int?
    /// Requests created since the start of the UTC day.
    public var requestsPerDay: Int?
    /// Tracks asked for by the requests created since the start of the UTC day (the new one's included).
    public var tracksPerDay: Int?

    /// Creates limits.
    public init(openRequests: Int? = nil, requestsPerDay: Int? = nil, tracksPerDay: Int? = nil) {
        self.openRequests = openRequests
        self.requestsPerDay = requestsPerDay
        self.tracksPerDay = tracksPerDay
    }

    /// No limit.
    public static let none = RequestLimits()
}

/// What came of `createObservationRequest`.
public enum RequestCreation: Sendable, Equatable {
    /// Stored, with its first history entry (carrying its feed event id).
    case created(ObservationRequest)
    /// The requester's request with the same idempotency key, as it now is (the caller compares bodies).
    case existing(ObservationRequest)
    /// Refused: a limit would be exceeded.
    case overLimit(RequestLimitExceeded)
}

/// A limit a submission would exceed.
public struct RequestLimitExceeded: Sendable, Equatable, CustomStringConvertible {
    /// Which limit.
    public enum Limit: String, Sendable, CaseIterable {
        /// `open_observation_requests`.
        case openRequests = "open_observation_requests"
        /// `observation_requests_per_day`.
        case requestsPerDay = "observation_requests_per_day"
        /// `observation_tracks_per_day`.
        case tracksPerDay = "observation_tracks_per_day"
    }

    /// Which limit.
    public var limit: Limit
    /// Its value.
    public var value: Int
    /// How much is used already (without the refused request).
    public var used: Int

    /// Creates the refusal.
    public init(limit: Limit, value: Int, used: Int) {
        self.limit = limit
        self.value = value
        self.used = used
    }

    /// `open_observation_requests is 10 and 10 are in use`.
    public var description: String {
        switch limit {
        case .openRequests: "\(limit.rawValue) is \(value) and \(used) are open"
        case .requestsPerDay: "\(limit.rawValue) is \(value) and \(used) were submitted today (UTC)"
        case .tracksPerDay: "\(limit.rawValue) is \(value) and \(used) tracks were asked for today (UTC)"
        }
    }
}

/// Which requests a listing returns, newest first. Every condition left nil matches all.
public struct RequestListFilter: Sendable, Hashable {
    /// Only this user's.
    public var requester: String?
    /// Only these requests (a claimed batch's, read in one call).
    public var ids: Set<String>?
    /// Only in these states.
    public var states: Set<RequestState>?
    /// Only about this object.
    public var noradID: Int?
    /// Only those changed at or after this time.
    public var updatedSince: Date?
    /// Only those after this one in the listing's order (keyset paging).
    public var afterID: String?
    /// At most this many.
    public var limit: Int?

    /// Creates a filter.
    public init(
        requester: String? = nil, ids: Set<String>? = nil, states: Set<RequestState>? = nil, noradID: Int? = nil,
        updatedSince: Date? = nil, afterID: String? = nil, limit: Int? = nil
    ) {
        self.requester = requester
        self.ids = ids
        self.states = states
        self.noradID = noradID
        self.updatedSince = updatedSince
        self.afterID = afterID
        self.limit = limit
    }
}

/// One move of a request, as asked.
public struct RequestChange: Sendable, Equatable {
    /// The request.
    public var id: String
    /// The state asked for.
    public var to: RequestState
    /// Who asks.
    public var actor: RequestActor
    /// The user who asks (nil for the gateway).
    public var user: String?
    /// Why.
    public var reason: String?
    /// When.
    public var time: Date
    /// When set, the request must be this user's (a requester acting on their own), else `notFound`.
    public var requester: String?
    /// The booked passes, replacing the stored schedule when given.
    public var schedule: [ScheduledPass]?
    /// The alternative window (required when entering `PROPOSED`).
    public var proposedWindow: DateInterval?

    /// Creates a change.
    public init(
        id: String, to: RequestState, actor: RequestActor, user: String? = nil, reason: String? = nil, time: Date,
        requester: String? = nil, schedule: [ScheduledPass]? = nil, proposedWindow: DateInterval? = nil
    ) {
        self.id = id
        self.to = to
        self.actor = actor
        self.user = user
        self.reason = reason
        self.time = time
        self.requester = requester
        self.schedule = schedule
        self.proposedWindow = proposedWindow
    }
}

/// What the gateway tells the backend about a request (the backend protocol, `openapi-backend.yaml`).
public enum BackendCommandKind: String, Sendable, CaseIterable, Codable {
    /// `POST /v1/requests`: a new request.
    case submit
    /// `POST /v1/requests/{id}/accept`: the requester accepted the proposed window.
    case acceptProposal = "accept-proposal"
    /// `DELETE /v1/requests/{id}`: withdrawn (cancelled, or given up by an administrator).
    case cancel

    /// The command a transition sends, if any: a proposal accepted by the requester, and a request ended by the
    /// requester or an administrator (a declined proposal included). Moves made by the backend itself, or by the
    /// gateway, send nothing.
    public static func implied(from: RequestState, to: RequestState, by actor: RequestActor) -> BackendCommandKind? {
        guard actor == .requester || actor == .admin else { return nil }
        if from == .proposed && to == .accepted { return .acceptProposal }
        if to == .cancelled || to == .failed { return .cancel }
        return nil
    }
}

/// Whether a command still has to go.
public enum BackendCommandState: String, Sendable, CaseIterable, Codable {
    /// Not yet acknowledged by the backend (first try, or retrying).
    case pending
    /// Acknowledged.
    case done
    /// Refused by the backend for good (a 4xx other than 408 and 429, except 409 to a submission and 404 to a
    /// withdrawal, which acknowledge): not retried.
    case refused
}

/// A queued message to the backend.
public struct BackendCommand: Sendable, Equatable {
    /// The store's id, ascending in queueing order.
    public var id: Int64
    /// The request concerned.
    public var requestID: String
    /// What to send.
    public var kind: BackendCommandKind
    /// Where it stands.
    public var state: BackendCommandState
    /// Tries so far.
    public var attempts: Int
    /// When it was queued.
    public var created: Date
    /// When it is next due (or its lease ends).
    public var nextAttempt: Date
    /// When the backend acknowledged it.
    public var completed: Date?
    /// The last failure, if any.
    public var lastError: String?

    /// Creates a command.
    public init(
        id: Int64, requestID: String, kind: BackendCommandKind, state: BackendCommandState = .pending,
        attempts: Int = 0, created: Date, nextAttempt: Date, completed: Date? = nil, lastError: String? = nil
    ) {
        self.id = id
        self.requestID = requestID
        self.kind = kind
        self.state = state
        self.attempts = attempts
        self.created = created
        self.nextAttempt = nextAttempt
        self.completed = completed
        self.lastError = lastError
    }
}

/// What came of sending one command.
public struct BackendCommandOutcome: Sendable, Equatable {
    /// What happened.
    public enum Result: Sendable, Equatable {
        /// Acknowledged at this time.
        case done(Date)
        /// Not acknowledged (backend down, 5xx, timeout …): try again at this time.
        case retry(at: Date, error: String)
        /// Refused for good; the request fails with this reason.
        case refused(error: String, at: Date)
    }

    /// The command.
    public var commandID: Int64
    /// What happened.
    public var result: Result

    /// Creates an outcome.
    public init(commandID: Int64, result: Result) {
        self.commandID = commandID
        self.result = result
    }
}

/// The commands not yet sent.
public struct BackendOutboxStatistics: Sendable, Equatable {
    /// Pending commands.
    public var pending: Int
    /// The oldest pending command's queueing time.
    public var oldestPending: Date?

    /// Creates statistics.
    public init(pending: Int, oldestPending: Date?) {
        self.pending = pending
        self.oldestPending = oldestPending
    }
}
