/// Where an observation request stands (DESIGN §7, issue 11 §2). Raw values are the API's spellings.
///
/// `SUBMITTED → ACCEPTED | REJECTED | PROPOSED → SCHEDULED → PARTIAL* → COLLECTED → DELIVERED`; a proposal (an
/// alternative window from the backend) is accepted (→ `ACCEPTED`) or declined (→ `CANCELLED`) by the requester;
/// `FAILED` and `CANCELLED` end any open request.
public enum RequestState: String, Sendable, CaseIterable, Codable, Comparable {
    /// Stored by the gateway, not yet answered by the backend.
    case submitted = "SUBMITTED"
    /// The backend will try to observe.
    case accepted = "ACCEPTED"
    /// The backend will not observe (the reason says why).
    case rejected = "REJECTED"
    /// The backend offers another window, which the requester accepts or declines.
    case proposed = "PROPOSED"
    /// Passes are booked on sensors.
    case scheduled = "SCHEDULED"
    /// Some products are delivered, more are expected.
    case partial = "PARTIAL"
    /// Every track is collected; products are being made.
    case collected = "COLLECTED"
    /// Every product is delivered.
    case delivered = "DELIVERED"
    /// The backend could not carry it out.
    case failed = "FAILED"
    /// Withdrawn by the requester or an administrator.
    case cancelled = "CANCELLED"

    /// Whether nothing can follow.
    public var isTerminal: Bool {
        switch self {
        case .rejected, .delivered, .failed, .cancelled: true
        default: false
        }
    }

    /// Whether the request is still open (counted against the open-requests quota, cancellable).
    public var isOpen: Bool { !isTerminal }

    /// The feed event type of entering this state: `observation-request.<state>` in lower case.
    public var eventType: String { "observation-request." + rawValue.lowercased() }

    /// Orders by the life of a request.
    public static func < (lhs: RequestState, rhs: RequestState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
