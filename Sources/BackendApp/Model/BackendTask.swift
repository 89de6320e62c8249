import Foundation

/// Where an observation request stands in the reference backend. The gateway's states (docs/observation-requests.md)
/// are what the backend reports; these are the backend's own steps between reports.
public enum BackendTaskState: String, Codable, Sendable, CaseIterable {
    /// Received from the gateway; not planned yet.
    case received
    /// The requester accepted a proposed window: plan again inside it.
    case replan
    /// A window was proposed; waiting for the requester.
    case proposed
    /// Planned: slots wait for their time.
    case scheduled
    /// Every slot observed (or lost) and every product handed to the outbox.
    case collected
    /// Final: delivered, rejected, failed or cancelled.
    case finished
}

/// A request as the backend keeps it: what the gateway sent, the plan, and what has happened.
public struct BackendTask: Codable, Sendable, Equatable {
    /// The gateway's request id (`req_…`).
    public var id: String
    /// The backend's own step.
    public var state: BackendTaskState
    /// The submission as the gateway sent it.
    public var submission: Submission
    /// The window the plan must respect: the submission's, or the proposed one once accepted.
    public var window: TimeWindow
    /// The window proposed to the requester, if any.
    public var proposedWindow: TimeWindow?
    /// The planned slots (tracks), in time order.
    public var slots: [TaskSlot]
    /// Why the task was rejected, failed or proposed; nil otherwise.
    public var reason: String?
    /// How many times a lost night made the task look for new slots.
    public var replans: Int
    /// When the backend received it (real time).
    public var received: Date
    /// Where the task's accelerated clock starts (`BackendClock`): when it was received, or when its proposal was
    /// accepted.
    public var clockBase: Date
    /// The last state reported to the gateway (`ACCEPTED`, `SCHEDULED` …); nil before the first report.
    public var reported: String?

    public init(submission: Submission, received: Date) {
        id = submission.id
        state = .received
        self.submission = submission
        window = submission.window
        proposedWindow = nil
        slots = []
        reason = nil
        replans = 0
        self.received = received
        reported = nil
        clockBase = received
    }
}

/// One planned track of a task.
public struct TaskSlot: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        /// Waiting for its time.
        case planned
        /// Observed; its TDM is in the outbox.
        case observed
        /// Lost to clouds.
        case clouded
        /// The truth orbit could not be propagated (decayed …).
        case failed
    }
    /// Which track of the request (0-based).
    public var track: Int
    /// The sensor's name.
    public var sensor: String
    /// The object.
    public var noradID: Int
    /// The tracklet's first and last observation (UTC, ISO 8601 with milliseconds).
    public var start: Date
    public var end: Date
    public var outcome: Outcome

    public init(track: Int, sensor: String, noradID: Int, start: Date, end: Date, outcome: Outcome = .planned) {
        self.track = track
        self.sensor = sensor
        self.noradID = noradID
        self.start = start
        self.end = end
        self.outcome = outcome
    }
}

/// A UTC time window.
public struct TimeWindow: Codable, Sendable, Equatable {
    public var start: Date
    public var stop: Date

    public init(start: Date, stop: Date) {
        self.start = start
        self.stop = stop
    }
}
