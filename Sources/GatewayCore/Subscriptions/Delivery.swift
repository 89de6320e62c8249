import Foundation

/// One (feed event, subscription) pair in the durable outbox (issue 10 §5): created by the fan-out, claimed and
/// attempted by the delivery workers until delivered or dead. Its `webhookID` is the same on every attempt.
public struct Delivery: Sendable, Equatable {
    /// The store's id (assigned on insert).
    public var id: Int64
    /// The subscription.
    public var subscriptionID: String
    /// The feed event delivered.
    public var eventID: Int64
    /// Where it stands.
    public var state: DeliveryState
    /// Attempts made so far.
    public var attempts: Int
    /// When the next attempt is due (for `pending` and `failed`); while claimed, when the claim lapses.
    public var nextAttempt: Date?
    /// When the row was created.
    public var created: Date
    /// When the last attempt ended.
    public var lastAttempt: Date?
    /// What went wrong last (`connect`, `timeout`, `http-status`, `tls`, `address-refused`, `host-key`, `auth`,
    /// `io`, `policy` …); nil after a success.
    public var lastErrorClass: String?
    /// The last HTTP status (webhooks) or libcurl code (SFTP), when there was one.
    public var lastStatus: Int?
    /// A one-line description of the last failure.
    public var lastError: String?
    /// When it was delivered.
    public var delivered: Date?

    /// Creates a delivery.
    public init(
        id: Int64 = 0, subscriptionID: String, eventID: Int64, state: DeliveryState = .pending, attempts: Int = 0,
        nextAttempt: Date? = nil, created: Date, lastAttempt: Date? = nil, lastErrorClass: String? = nil,
        lastStatus: Int? = nil, lastError: String? = nil, delivered: Date? = nil
    ) {
        self.id = id
        self.subscriptionID = subscriptionID
        self.eventID = eventID
        self.state = state
        self.attempts = attempts
        self.nextAttempt = nextAttempt
        self.created = created
        self.lastAttempt = lastAttempt
        self.lastErrorClass = lastErrorClass
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.delivered = delivered
    }

    /// The message id receivers de-duplicate by (`webhook-id`; in SFTP and drop file names through the event): the
    /// same for every attempt and every replay of the pair.
    public var webhookID: String { Delivery.webhookID(subscriptionID: subscriptionID, eventID: eventID) }

    /// The message id of the pair.
    public static func webhookID(subscriptionID: String, eventID: Int64) -> String {
        "msg_\(eventID)_\(subscriptionID.dropFirst(4))"
    }
}

/// Where a delivery stands (issue 10 §5).
public enum DeliveryState: String, Sendable, CaseIterable, Codable {
    /// Waiting for its first attempt.
    case pending
    /// Received (2xx, or the file renamed into place).
    case delivered
    /// The last attempt failed; another is scheduled.
    case failed
    /// Given up: the retry schedule is exhausted, the receiver is gone (410), or the owner may no longer see it.
    case dead
}

/// A pair the fan-out (or a replay) queues.
public struct NewDelivery: Sendable, Hashable {
    /// The subscription.
    public var subscriptionID: String
    /// The feed event.
    public var eventID: Int64

    /// Creates a pair.
    public init(subscriptionID: String, eventID: Int64) {
        self.subscriptionID = subscriptionID
        self.eventID = eventID
    }
}

/// The outcome of one attempt, as the workers record it.
public struct DeliveryAttempt: Sendable, Equatable {
    /// The delivery attempted.
    public var deliveryID: Int64
    /// When the attempt ended.
    public var time: Date
    /// The state after it: `delivered`, `failed` (with `nextAttempt`) or `dead`.
    public var state: DeliveryState
    /// When to try again (for `failed`).
    public var nextAttempt: Date?
    /// The error's class (nil on success).
    public var errorClass: String?
    /// The HTTP status or libcurl code.
    public var status: Int?
    /// The error's description.
    public var error: String?

    /// Creates an attempt record.
    public init(
        deliveryID: Int64, time: Date, state: DeliveryState, nextAttempt: Date? = nil, errorClass: String? = nil,
        status: Int? = nil, error: String? = nil
    ) {
        self.deliveryID = deliveryID
        self.time = time
        self.state = state
        self.nextAttempt = nextAttempt
        self.errorClass = errorClass
        self.status = status
        self.error = error
    }
}

/// Which deliveries a listing returns, newest first (descending id).
public struct DeliveryFilter: Sendable, Hashable {
    /// Only this subscription's.
    public var subscriptionID: String?
    /// Only in these states.
    public var states: Set<DeliveryState>?
    /// Only with an id below this (keyset paging, newest first).
    public var beforeID: Int64?
    /// At most this many.
    public var limit: Int?

    /// Creates a filter.
    public init(
        subscriptionID: String? = nil, states: Set<DeliveryState>? = nil, beforeID: Int64? = nil, limit: Int? = nil
    ) {
        self.subscriptionID = subscriptionID
        self.states = states
        self.beforeID = beforeID
        self.limit = limit
    }
}

/// The outbox at a glance, for metrics.
public struct DeliveryQueueStatistics: Sendable, Equatable {
    /// Deliveries `pending` or `failed` (not yet delivered nor dead).
    public var open: Int
    /// The creation time of the oldest open delivery.
    public var oldestOpenCreated: Date?

    /// Creates statistics.
    public init(open: Int, oldestOpenCreated: Date?) {
        self.open = open
        self.oldestOpenCreated = oldestOpenCreated
    }
}
