import Foundation
import GatewayCore
import Logging
import Metrics
import ServiceLifecycle

/// Refreshes the backend outbox gauges every few seconds: `essor_backend_outbox_pending` (commands not yet
/// acknowledged) and `essor_backend_outbox_oldest_pending_seconds` (how long the oldest has waited), what an
/// operator alerts on when the backend is down or refusing.
public struct BackendOutboxMonitor: Service {
    let store: any GatewayStore
    let interval: Duration
    let logger: Logger

    /// Creates the monitor.
    public init(store: any GatewayStore, interval: Duration = .seconds(5), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    /// Runs until cancelled.
    public func run() async throws {
        let pending = Gauge(label: "essor_backend_outbox_pending")
        let oldest = Gauge(label: "essor_backend_outbox_oldest_pending_seconds")
        for kind in BackendCommandKind.allCases {
            for result in ["acknowledged", "retry", "refused"] {
                Counter(label: "essor_backend_commands_total", dimensions: [("kind", kind.rawValue), ("result", result)])
                    .increment(by: 0)
            }
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let statistics = try await store.backendOutboxStatistics()
                    pending.record(statistics.pending)
                    oldest.record(statistics.oldestPending.map { max(0, Date().timeIntervalSince($0)) } ?? 0)
                } catch {
                    logger.warning("backend outbox statistics not read", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
