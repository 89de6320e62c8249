/// Who moves a request (issue 11 §2): the rules differ by actor, and an illegal move is refused whoever asks.
public enum RequestActor: String, Sendable, CaseIterable, Codable {
    /// The user who submitted the request.
    case requester
    /// An administrator.
    case admin
    /// The collection / tasking backend, through its status callbacks.
    case backend
    /// The gateway itself (a product linked to a scheduled request makes it `PARTIAL`; a request the backend
    /// refuses for good makes it `FAILED`).
    case gateway
}

/// A refused transition: the request stays as it was (HTTP 409).
public struct IllegalTransition: Error, Sendable, Equatable, CustomStringConvertible {
    /// The state the request is in.
    public var from: RequestState
    /// The state asked for.
    public var to: RequestState
    /// Who asked.
    public var actor: RequestActor

    /// Creates the refusal.
    public init(from: RequestState, to: RequestState, actor: RequestActor) {
        self.from = from
        self.to = to
        self.actor = actor
    }

    /// `the backend cannot move a DELIVERED request to SCHEDULED`.
    public var description: String {
        let who = actor == .backend ? "the backend" : actor == .gateway ? "the gateway" : "the \(actor.rawValue)"
        let why = from.isTerminal ? " (\(from.rawValue) is final)" : ""
        return "\(who) cannot move a \(from.rawValue) request to \(to.rawValue)\(why)"
    }
}

/// The state machine of observation requests (DESIGN §7): which moves each actor may make.
public enum RequestStateMachine {
    /// The states `actor` may move a request in `from` to.
    public static func successors(of from: RequestState, by actor: RequestActor) -> Set<RequestState> {
        if from.isTerminal { return [] }
        switch actor {
        case .requester:
            // Withdraw while open; answer a proposal (accept its window, or decline it: cancelled).
            return from == .proposed ? [.accepted, .cancelled] : [.cancelled]
        case .admin:
            return [.cancelled, .failed]
        case .backend:
            switch from {
            case .submitted: return [.accepted, .rejected, .proposed, .failed]
            case .accepted: return [.scheduled, .proposed, .failed]
            case .proposed: return [.failed]
            case .scheduled: return [.partial, .collected, .failed]
            case .partial: return [.partial, .collected, .failed]
            case .collected: return [.delivered, .failed]
            case .rejected, .delivered, .failed, .cancelled: return []
            }
        case .gateway:
            // The first (or a further) product linked to a request being collected; a request the backend refused
            // outright (the outbox's command was refused for good) fails.
            return from == .scheduled || from == .partial ? [.partial, .failed] : [.failed]
        }
    }

    /// The state after `actor` moves a request in `from` to `to`; throws when the move is illegal.
    public static func apply(_ to: RequestState, from: RequestState, by actor: RequestActor) throws(IllegalTransition)
        -> RequestState
    {
        guard successors(of: from, by: actor).contains(to) else {
            throw IllegalTransition(from: from, to: to, actor: actor)
        }
        return to
    }
}
