/// What the scheduler decided for a request, with the reason a requester reads (plain English).
public enum TaskDecision: Sendable, Hashable {
    /// Every wanted track is placed (spread over different intervals when the window allows).
    case scheduled([PlannedSlot], reason: String)
    /// Some tracks are placed, not all: the placed ones are observed and the reason says what is missing and why.
    /// (The scheduler keeps what fits rather than proposing another window: the requester gets data at once and
    /// may submit again for the rest.)
    case partial([PlannedSlot], wanted: Int, reason: String)
    /// No track fits in the window; `window` is the nearest window (searched up to the scheduler's
    /// `proposalSearchDays` before and after) in which all the tracks fit.
    case proposed(window: EpochInterval, reason: String)
    /// No track fits and no window nearby would do, or the request cannot be met at all.
    case rejected(reason: String)
    /// The window opens after the plan's period: a later plan takes it.
    case deferred(reason: String)

    /// The reason, as sent to the gateway.
    public var reason: String {
        switch self {
        case .scheduled(_, let reason), .partial(_, _, let reason), .proposed(_, let reason), .rejected(let reason),
            .deferred(let reason):
            reason
        }
    }

    /// The placed slots (none unless scheduled or partial), in time order.
    public var slots: [PlannedSlot] {
        switch self {
        case .scheduled(let slots, _), .partial(let slots, _, _): slots
        case .proposed, .rejected, .deferred: []
        }
    }

    /// The backend protocol's state for this decision (`SCHEDULED`, `PROPOSED`, `REJECTED`), nil when deferred.
    /// A partial plan is `SCHEDULED` (the protocol's `PARTIAL` means some products arrived).
    public var protocolState: String? {
        switch self {
        case .scheduled, .partial: "SCHEDULED"
        case .proposed: "PROPOSED"
        case .rejected: "REJECTED"
        case .deferred: nil
        }
    }

    /// One word for the explanation: scheduled, partial, proposed, rejected, deferred.
    public var word: String {
        switch self {
        case .scheduled: "scheduled"
        case .partial: "partial"
        case .proposed: "proposed"
        case .rejected: "rejected"
        case .deferred: "deferred"
        }
    }
}
