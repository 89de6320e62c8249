import Foundation

/// A span of time with optional bounds, both inclusive: the `time_window` and `valid` conditions of a rule.
public struct TimeWindow: Sendable, Hashable, CustomStringConvertible {
    /// The earliest instant inside the window; nil for no lower bound.
    public var from: Date?
    /// The latest instant inside the window; nil for no upper bound.
    public var until: Date?

    /// Creates a window.
    public init(from: Date? = nil, until: Date? = nil) {
        self.from = from
        self.until = until
    }

    /// True when `instant` lies inside.
    public func contains(_ instant: Date) -> Bool {
        if let from, instant < from { return false }
        if let until, instant > until { return false }
        return true
    }

    /// True when the whole of `interval` lies inside.
    public func contains(_ interval: DateInterval) -> Bool {
        contains(interval.start) && contains(interval.end)
    }

    /// `[FROM, UNTIL]` in ISO 8601, `…` for an open bound.
    public var description: String {
        let style = Date.ISO8601FormatStyle()
        return "[\(from.map { style.format($0) } ?? "…"), \(until.map { style.format($0) } ?? "…")]"
    }
}
