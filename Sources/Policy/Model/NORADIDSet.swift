/// A set of NORAD catalogue numbers written as single numbers and inclusive ranges (`90001`, `90011-90020`).
public struct NORADIDSet: Sendable, Hashable, CustomStringConvertible {
    /// The inclusive ranges, in the order written.
    public var ranges: [ClosedRange<Int>]

    /// Creates a set from inclusive ranges.
    public init(_ ranges: [ClosedRange<Int>]) {
        self.ranges = ranges
    }

    /// True when `noradID` is in one of the ranges.
    public func contains(_ noradID: Int) -> Bool {
        ranges.contains { $0.contains(noradID) }
    }

    /// True when any of `noradIDs` is in the set.
    public func containsAny(of noradIDs: Set<Int>) -> Bool {
        noradIDs.contains { contains($0) }
    }

    /// `90001, 90011-90020`.
    public var description: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ", ")
    }
}
