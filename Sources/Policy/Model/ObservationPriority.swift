/// How urgently an observation is wanted (issue 11 §1). A policy grants a highest priority per rule
/// (`highest_observation_priority`); a request may ask for that priority or a lower one.
public enum ObservationPriority: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Observed when the schedule allows.
    case routine
    /// Scheduled ahead of routine work.
    case urgent
    /// Scheduled at once, displacing other work.
    case emergency

    /// Orders routine < urgent < emergency.
    public static func < (lhs: ObservationPriority, rhs: ObservationPriority) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The limits on observation requests a rule grants (issue 11 §1), besides the request-rate quotas.
///
/// They apply to `request:observation`; a policy file may leave them out, and then the conservative built-in
/// values hold (`TaskingQuotas.standard`). When several allow rules match, each is the most generous of theirs.
public struct TaskingQuotas: Sendable, Hashable, CustomStringConvertible {
    /// Requests not yet in a final state, per user.
    public var openRequests: QuotaLimit
    /// Requests submitted per UTC day, per user.
    public var requestsPerDay: QuotaLimit
    /// Tracks asked for per UTC day (the sum of the requests' `tracks`), per user.
    public var tracksPerDay: QuotaLimit
    /// The longest observation window, in days.
    public var longestWindowDays: QuotaLimit
    /// The highest priority a request may ask for.
    public var highestPriority: ObservationPriority

    /// Creates the limits.
    public init(
        openRequests: QuotaLimit, requestsPerDay: QuotaLimit, tracksPerDay: QuotaLimit, longestWindowDays: QuotaLimit,
        highestPriority: ObservationPriority
    ) {
        self.openRequests = openRequests
        self.requestsPerDay = requestsPerDay
        self.tracksPerDay = tracksPerDay
        self.longestWindowDays = longestWindowDays
        self.highestPriority = highestPriority
    }

    /// What holds when a policy file says nothing: 5 open requests, 10 a day, 50 tracks a day, windows of at most
    /// 7 days, routine priority.
    public static let standard = TaskingQuotas(
        openRequests: .limited(5), requestsPerDay: .limited(10), tracksPerDay: .limited(50),
        longestWindowDays: .limited(7), highestPriority: .routine)

    /// No limit; every priority.
    public static let unlimited = TaskingQuotas(
        openRequests: .unlimited, requestsPerDay: .unlimited, tracksPerDay: .unlimited, longestWindowDays: .unlimited,
        highestPriority: .emergency)

    /// Each limit the larger of `self`'s and `other`'s.
    public func mostGenerous(with other: TaskingQuotas) -> TaskingQuotas {
        TaskingQuotas(
            openRequests: max(openRequests, other.openRequests),
            requestsPerDay: max(requestsPerDay, other.requestsPerDay),
            tracksPerDay: max(tracksPerDay, other.tracksPerDay),
            longestWindowDays: max(longestWindowDays, other.longestWindowDays),
            highestPriority: max(highestPriority, other.highestPriority))
    }

    /// True when every limit of `self` is at least `other`'s.
    public func isAtLeastAsGenerous(as other: TaskingQuotas) -> Bool {
        openRequests >= other.openRequests && requestsPerDay >= other.requestsPerDay
            && tracksPerDay >= other.tracksPerDay && longestWindowDays >= other.longestWindowDays
            && highestPriority >= other.highestPriority
    }

    /// `5 open, 10 requests/day, 50 tracks/day, windows ≤ 7 days, up to routine`.
    public var description: String {
        "\(openRequests) open, \(requestsPerDay) requests/day, \(tracksPerDay) tracks/day, "
            + "windows ≤ \(longestWindowDays) days, up to \(highestPriority.rawValue)"
    }
}
