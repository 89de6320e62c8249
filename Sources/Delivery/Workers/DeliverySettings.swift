import Foundation

/// How the push workers run (issue 10 §5). The gateway's configuration fills it from `essor serve`'s flags.
public struct DeliverySettings: Sendable, Equatable {
    /// Multiplies the retry schedule's delays (`--delivery-retry-scale`): 1 in production, 0.001 in tests.
    public var retryScale = 1.0
    /// How long a claimed delivery is held before another attempt may take it (`--delivery-lease-seconds`); longer
    /// than any attempt can take.
    public var leaseSeconds = 60.0
    /// Attempts in flight at once per round.
    public var concurrency = 128
    /// Rounds running at once per gateway (one sends while another claims, loads or records).
    public var rounds = 2
    /// Deliveries claimed per round.
    public var claimBatch = 512
    /// Feed events fanned out per transaction.
    public var fanOutBatch = 500
    /// Messages up to this size are inlined in a webhook's `data.content`; larger ones are sent as a link only.
    public var inlineLimitBytes = 256 * 1024
    /// The longest a worker sleeps before polling the store again when no signal woke it.
    public var pollInterval: Duration = .seconds(1)
    /// How long dropped files are kept (`--drop-retention-days`).
    public var dropRetentionSeconds = 30.0 * 86_400

    /// The defaults.
    public init() {}

    /// The poll interval in force: short enough for the scaled retry schedule's first delay (5 s × scale).
    var effectivePollInterval: Duration {
        let firstRetry = Duration.milliseconds(Int64(max(20, 5_000 * retryScale)))
        return min(pollInterval, firstRetry)
    }
}
