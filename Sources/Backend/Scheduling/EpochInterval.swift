import Astrodynamics

/// A span of time `[start, end]`: a request window, a plan's period, a night.
public struct EpochInterval: Sendable, Hashable, CustomStringConvertible {
    /// The first instant.
    public var start: Epoch
    /// The last instant (not before `start`).
    public var end: Epoch

    /// The span from `start` to `end`.
    public init(start: Epoch, end: Epoch) {
        self.start = start
        self.end = end
    }

    /// The length, seconds.
    public var durationSeconds: Double { end.seconds(since: start) }

    /// Whether the two spans share more than an instant.
    public func overlaps(_ other: EpochInterval) -> Bool { start < other.end && other.start < end }

    /// The common part of the two spans, nil when they share nothing.
    public func clipped(to other: EpochInterval) -> EpochInterval? {
        let from = max(start, other.start)
        let to = min(end, other.end)
        return from < to ? EpochInterval(start: from, end: to) : nil
    }

    /// The span moved by `seconds` (later when positive).
    public func shifted(bySeconds seconds: Double) -> EpochInterval {
        EpochInterval(start: start.adding(seconds: seconds), end: end.adding(seconds: seconds))
    }

    /// `start–end` in UTC ISO 8601 to the second.
    public var description: String { "\(start.iso8601(fractionDigits: 0))–\(end.iso8601(fractionDigits: 0))" }
}
