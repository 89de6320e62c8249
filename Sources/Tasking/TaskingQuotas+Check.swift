import Foundation
import Policy

/// Why a submission exceeds what the caller's policy grants (before anything is stored).
public enum TaskingRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The window is longer than `longest_observation_window_days`.
    case windowTooLong(limitDays: Int)
    /// The priority is above `highest_observation_priority`.
    case priorityNotAllowed(asked: ObservationPriority, highest: ObservationPriority)

    /// The field at fault.
    public var field: String {
        switch self {
        case .windowTooLong: "window.stop"
        case .priorityNotAllowed: "priority"
        }
    }

    /// The policy limit at fault.
    public var limit: String {
        switch self {
        case .windowTooLong: "longest_observation_window_days"
        case .priorityNotAllowed: "highest_observation_priority"
        }
    }

    /// A sentence naming the limit.
    public var description: String {
        switch self {
        case .windowTooLong(let days):
            "the window is longer than your policy's longest_observation_window_days (\(days))"
        case .priorityNotAllowed(let asked, let highest):
            "priority \(asked.rawValue) is above your policy's highest_observation_priority (\(highest.rawValue))"
        }
    }
}

extension TaskingQuotas {
    /// Whether a request over `window` at `priority` is within these limits; the refusal when not.
    public func check(window: DateInterval, priority: ObservationPriority) -> TaskingRefusal? {
        if priority > highestPriority { return .priorityNotAllowed(asked: priority, highest: highestPriority) }
        if let days = longestWindowDays.value, window.duration > Double(days) * 86_400 {
            return .windowTooLong(limitDays: days)
        }
        return nil
    }
}
