import Foundation

/// The backend's time: real, or accelerated (`--clock accelerated:N`). Accelerated time is kept per request: a
/// request's clock runs N times faster than real time from the moment the backend received it, so a request for
/// tonight is observed within a minute whatever the backend's uptime, and requests received later are not
/// pushed into the past by earlier acceleration. Slots and observations carry their simulated UTC times.
public struct BackendClock: Sendable, Equatable {
    /// Simulated seconds per real second (1: real time).
    public let factor: Double

    /// A clock running `factor` times real time.
    public init(factor: Double) {
        self.factor = factor
    }

    /// Real time.
    public static let real = BackendClock(factor: 1)

    /// Reads `real` or `accelerated:N` (1 ≤ N ≤ 1,000,000); nil for anything else.
    public static func parse(_ text: String) -> BackendClock? {
        if text == "real" { return .real }
        guard text.hasPrefix("accelerated:"), let factor = Double(text.dropFirst("accelerated:".count)),
            factor >= 1, factor <= 1_000_000
        else { return nil }
        return BackendClock(factor: factor)
    }

    /// The simulated time, at real time `now`, of a request received at `received`.
    public func simulated(receivedAt received: Date, now: Date = Date()) -> Date {
        received.addingTimeInterval(max(now.timeIntervalSince(received), 0) * factor)
    }

    /// The real time at which a request received at `received` reaches simulated time `simulated`.
    public func real(receivedAt received: Date, simulated: Date) -> Date {
        received.addingTimeInterval(max(simulated.timeIntervalSince(received), 0) / factor)
    }
}
