import Foundation
import Policy

/// One line of the audit log: a policy decision worth keeping (every write, tasking request and denied read,
/// DESIGN §4), with who asked, what for, the answer, the rule that gave it and where the request came from.
///
/// The record copies names rather than referring to users or objects, so it outlives them.
public struct AuditRecord: Sendable, Hashable {
    /// The store's identifier, assigned when the record is appended (nil before); increases with each append.
    public var id: Int64?
    /// When the decision was made.
    public var time: Date
    /// The user who asked.
    public var userName: String
    /// The user's organisation at the time.
    public var organisation: String
    /// The action asked for (`read:elements`, `ingest` …).
    public var action: String
    /// What the request touched: `kind [identifier] [norad ids]` (`Resource.summary`).
    public var resource: String
    /// Allowed or denied.
    public var effect: Rule.Effect
    /// The id of the rule that decided; nil when no rule applied (deny by default).
    public var ruleID: String?
    /// The revision of the policy set that answered.
    public var policyRevision: String
    /// The request's correlation id (`request.id` in logs), when there was an HTTP request.
    public var requestID: String?
    /// The route that asked (`GET /api/v1/objects/{norad}` …), when there was an HTTP request.
    public var route: String?

    /// Creates a record.
    public init(
        id: Int64? = nil, time: Date, userName: String, organisation: String, action: String, resource: String,
        effect: Rule.Effect, ruleID: String? = nil, policyRevision: String, requestID: String? = nil,
        route: String? = nil
    ) {
        self.id = id
        self.time = time
        self.userName = userName
        self.organisation = organisation
        self.action = action
        self.resource = resource
        self.effect = effect
        self.ruleID = ruleID
        self.policyRevision = policyRevision
        self.requestID = requestID
        self.route = route
    }
}

/// Which audit records a query returns, newest first. Every condition left nil matches all.
public struct AuditFilter: Sendable, Hashable {
    /// Only records of this user.
    public var userName: String?
    /// Only records at or after this time.
    public var since: Date?
    /// At most this many records (the newest).
    public var limit: Int?

    /// Creates a filter.
    public init(userName: String? = nil, since: Date? = nil, limit: Int? = nil) {
        self.userName = userName
        self.since = since
        self.limit = limit
    }
}
