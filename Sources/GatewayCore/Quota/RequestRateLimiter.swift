import Foundation
import Policy
import Synchronization

/// Counts each user's requests in fixed windows (the current UTC minute and the current UTC day) against the
/// limits their policy grants (`requests_per_minute`, `requests_per_day`; DESIGN §4).
///
/// Counts live in this process: with several gateway instances behind a balancer each enforces the limits on
/// its own share of the traffic. Safe to share between tasks.
public final class RequestRateLimiter: Sendable {
    /// One user's counts.
    struct Counts {
        var minute: Int64 = -1
        var inMinute = 0
        var day: Int64 = -1
        var inDay = 0
    }

    private let counts = Mutex<[String: Counts]>([:])

    /// Creates a limiter with no counts.
    public init() {}

    /// Counts one request of `userName` at `time` when it fits both limits and returns nil; otherwise returns the
    /// seconds until the window that is full starts again (the request is not counted).
    public func admit(userName: String, quotas: Quotas, at time: Date) -> RateLimitRefusal? {
        let seconds = Int64(time.timeIntervalSince1970.rounded(.down))
        let minute = seconds.floorDivided(by: 60)
        let day = seconds.floorDivided(by: 86_400)
        return counts.withLock { table in
            var entry = table[userName] ?? Counts()
            if entry.minute != minute {
                entry.minute = minute
                entry.inMinute = 0
            }
            if entry.day != day {
                entry.day = day
                entry.inDay = 0
            }
            if let limit = quotas.requestsPerDay.value, entry.inDay >= limit {
                table[userName] = entry
                return RateLimitRefusal(
                    window: .day, limit: limit, retryAfterSeconds: Int((day + 1) * 86_400 - seconds))
            }
            if let limit = quotas.requestsPerMinute.value, entry.inMinute >= limit {
                table[userName] = entry
                return RateLimitRefusal(
                    window: .minute, limit: limit, retryAfterSeconds: Int((minute + 1) * 60 - seconds))
            }
            entry.inMinute += 1
            entry.inDay += 1
            table[userName] = entry
            return nil
        }
    }
}

/// A request refused for going over a rate limit.
public struct RateLimitRefusal: Sendable, Equatable, CustomStringConvertible {
    /// The window that is full.
    public enum Window: String, Sendable {
        /// The current UTC minute.
        case minute
        /// The current UTC day.
        case day
    }

    /// The window that is full.
    public var window: Window
    /// Its limit.
    public var limit: Int
    /// Seconds until the window starts again (≥ 1): the `Retry-After` value.
    public var retryAfterSeconds: Int

    /// Creates a refusal.
    public init(window: Window, limit: Int, retryAfterSeconds: Int) {
        self.window = window
        self.limit = limit
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// `60 requests per minute used up; retry in 12 s`.
    public var description: String {
        "\(limit) requests per \(window.rawValue) used up; retry in \(retryAfterSeconds) s"
    }
}

extension Int64 {
    /// Division rounding towards minus infinity.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor < 0) ? quotient - 1 : quotient
    }
}
