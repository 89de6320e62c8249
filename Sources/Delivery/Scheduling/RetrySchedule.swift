import Foundation

/// When a failed delivery is tried again (issue 10 §5): after attempt n (1-based) wait 5 s, 5 min, 30 min, 2 h, 5 h,
/// 10 h, 14 h, 20 h, 24 h, then give up (the delivery is dead) — about three days in all, the schedule Standard
/// Webhooks' reference implementation (Svix) uses. Each delay is spread by ±10 % so that receivers coming back
/// after an outage are not hit by every queued message at the same second.
public struct RetrySchedule: Sendable {
    /// The delays after attempts 1, 2, … in seconds, before `scale` and jitter.
    public static let standardDelaysSeconds: [Double] = [
        5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600, 20 * 3600, 24 * 3600,
    ]

    /// The delays in seconds, unscaled.
    public var delaysSeconds: [Double]
    /// The spread of each delay, as a fraction (0.1: ±10 %).
    public var jitter: Double
    /// A factor applied to every delay: 1 in service, 0.001 in tests to run three days in a few minutes.
    public var scale: Double
    /// A number in [0, 1) for each delay; random in service, fixed in tests.
    public var unitRandom: @Sendable () -> Double

    /// Creates a schedule.
    public init(
        delaysSeconds: [Double] = RetrySchedule.standardDelaysSeconds, jitter: Double = 0.1, scale: Double = 1,
        unitRandom: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.delaysSeconds = delaysSeconds
        self.jitter = jitter
        self.scale = scale
        self.unitRandom = unitRandom
    }

    /// The number of attempts made before a delivery is dead (the first one plus one per delay).
    public var maximumAttempts: Int { delaysSeconds.count + 1 }

    /// The wait after attempt `n` (1-based), jittered and scaled; nil once the schedule is exhausted.
    public func delay(afterAttempt n: Int) -> TimeInterval? {
        guard n >= 1, n <= delaysSeconds.count else { return nil }
        let spread = 1 + jitter * (2 * unitRandom() - 1)
        return delaysSeconds[n - 1] * spread * scale
    }

    /// When to make attempt `n + 1` if attempt `n` failed at `time`; nil means give up.
    public func nextAttempt(afterAttempt n: Int, at time: Date) -> Date? {
        delay(afterAttempt: n).map { time.addingTimeInterval($0) }
    }
}
