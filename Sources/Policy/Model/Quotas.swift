/// The limits granted with an access (DESIGN §4; issue 4 item 5).
///
/// Every allow rule carries a complete set (stated in the rule or taken from its file's defaults). When several
/// allow rules match, each limit is the most generous of theirs, so adding an allow rule never narrows access.
public struct Quotas: Sendable, Hashable, CustomStringConvertible {
    /// Requests per minute, counted per user.
    public var requestsPerMinute: QuotaLimit
    /// Requests per UTC day, counted per user.
    public var requestsPerDay: QuotaLimit
    /// The longest span, in seconds, of one ephemeris (OEM) request.
    public var longestEphemerisSpanSeconds: QuotaLimit
    /// The most objects one bulk call (catalogue extract, list page) may return.
    public var mostObjectsPerBulkCall: QuotaLimit
    /// The limits on observation requests (optional in a policy file: `TaskingQuotas.standard` when unstated).
    public var tasking: TaskingQuotas

    /// Creates a set of limits.
    public init(
        requestsPerMinute: QuotaLimit, requestsPerDay: QuotaLimit, longestEphemerisSpanSeconds: QuotaLimit,
        mostObjectsPerBulkCall: QuotaLimit, tasking: TaskingQuotas = .standard
    ) {
        self.requestsPerMinute = requestsPerMinute
        self.requestsPerDay = requestsPerDay
        self.longestEphemerisSpanSeconds = longestEphemerisSpanSeconds
        self.mostObjectsPerBulkCall = mostObjectsPerBulkCall
        self.tasking = tasking
    }

    /// No limit at all.
    public static let unlimited = Quotas(
        requestsPerMinute: .unlimited, requestsPerDay: .unlimited, longestEphemerisSpanSeconds: .unlimited,
        mostObjectsPerBulkCall: .unlimited, tasking: .unlimited)

    /// Each limit the larger of `self`'s and `other`'s.
    public func mostGenerous(with other: Quotas) -> Quotas {
        Quotas(
            requestsPerMinute: max(requestsPerMinute, other.requestsPerMinute),
            requestsPerDay: max(requestsPerDay, other.requestsPerDay),
            longestEphemerisSpanSeconds: max(longestEphemerisSpanSeconds, other.longestEphemerisSpanSeconds),
            mostObjectsPerBulkCall: max(mostObjectsPerBulkCall, other.mostObjectsPerBulkCall),
            tasking: tasking.mostGenerous(with: other.tasking))
    }

    /// True when every limit of `self` is at least `other`'s.
    public func isAtLeastAsGenerous(as other: Quotas) -> Bool {
        requestsPerMinute >= other.requestsPerMinute && requestsPerDay >= other.requestsPerDay
            && longestEphemerisSpanSeconds >= other.longestEphemerisSpanSeconds
            && mostObjectsPerBulkCall >= other.mostObjectsPerBulkCall
            && tasking.isAtLeastAsGenerous(as: other.tasking)
    }

    /// `60/min, 10000/day, ephemeris ≤ 604800 s, ≤ 1000 objects per bulk call`.
    public var description: String {
        "\(requestsPerMinute)/min, \(requestsPerDay)/day, ephemeris ≤ \(longestEphemerisSpanSeconds) s, "
            + "≤ \(mostObjectsPerBulkCall) objects per bulk call"
    }
}

/// One limit: a positive count, or none.
public enum QuotaLimit: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// At most this many (always ≥ 1: to forbid, write a deny rule).
    case limited(Int)
    /// No limit.
    case unlimited

    /// The count, nil when unlimited.
    public var value: Int? {
        if case .limited(let count) = self { return count }
        return nil
    }

    /// Unlimited is the greatest; counts compare as numbers.
    public static func < (lhs: QuotaLimit, rhs: QuotaLimit) -> Bool {
        switch (lhs, rhs) {
        case (.limited(let left), .limited(let right)): left < right
        case (.limited, .unlimited): true
        case (.unlimited, _): false
        }
    }

    /// The count, or `unlimited`.
    public var description: String { value.map(String.init) ?? "unlimited" }
}
