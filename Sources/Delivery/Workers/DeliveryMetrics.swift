import Foundation
import GatewayCore
import Logging
import Metrics
import ServiceLifecycle

/// The push metrics (issue 10 §6), exported by the gateway's Prometheus registry:
/// `essor_deliveries_total{channel, outcome}` (outcome `delivered`, `failed`, `gone`, `refused`),
/// `essor_delivery_attempt_duration_seconds{channel}` (histogram), `essor_delivery_queue_depth` and
/// `essor_delivery_oldest_pending_seconds` (gauges, refreshed by `DeliveryQueueMonitor`).
enum DeliveryMetrics {
    static func record(channel: String, outcome: TransportOutcome) {
        let name =
            outcome.delivered
            ? "delivered" : outcome.gone ? "gone" : outcome.errorClass == DeliveryWorker.policyRefusal ? "refused" : "failed"
        Counter(label: "essor_deliveries_total", dimensions: [("channel", channel), ("outcome", name)]).increment()
        if outcome.seconds > 0 {
            Timer(label: "essor_delivery_attempt_duration_seconds", dimensions: [("channel", channel)])
                .recordNanoseconds(Int64(outcome.seconds * 1e9))
        }
    }
}

/// Refreshes the queue gauges every few seconds, and prunes the drop folders now and then.
public struct DeliveryQueueMonitor: Service {
    let store: any GatewayStore
    let interval: Duration
    let prune: @Sendable () -> Void
    let logger: Logger

    /// Creates the monitor; `prune` removes expired drop files (called hourly).
    public init(store: any GatewayStore, interval: Duration = .seconds(5), prune: @escaping @Sendable () -> Void = {}, logger: Logger) {
        self.store = store
        self.interval = interval
        self.prune = prune
        self.logger = logger
    }

    /// Runs until cancelled.
    public func run() async throws {
        let depth = Gauge(label: "essor_delivery_queue_depth")
        let oldest = Gauge(label: "essor_delivery_oldest_pending_seconds")
        for channel in ["webhook", "sftp", "drop"] {
            for outcome in ["delivered", "failed", "gone", "refused"] {
                Counter(label: "essor_deliveries_total", dimensions: [("channel", channel), ("outcome", outcome)])
                    .increment(by: 0)
            }
        }
        await cancelWhenGracefulShutdown {
            var lastPrune = ContinuousClock.now - .seconds(3600)
            while !Task.isCancelled {
                do {
                    let statistics = try await store.deliveryQueueStatistics()
                    depth.record(statistics.open)
                    oldest.record(statistics.oldestOpenCreated.map { max(0, Date().timeIntervalSince($0)) } ?? 0)
                } catch {
                    logger.warning("delivery queue statistics not read", metadata: ["error": "\(error)"])
                }
                if ContinuousClock.now - lastPrune >= .seconds(3600) {
                    prune()
                    lastPrune = ContinuousClock.now
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
