import Foundation
import GatewayCore
import Policy

extension RequestLimits {
    /// The per-requester limits of the tasking quotas a decision granted.
    public init(_ quotas: TaskingQuotas) {
        self.init(
            openRequests: quotas.openRequests.value, requestsPerDay: quotas.requestsPerDay.value,
            tracksPerDay: quotas.tracksPerDay.value)
    }
}

extension Date {
    /// The start of this instant's UTC day (the day the per-day quotas count).
    public var startOfUTCDay: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
    }
}
