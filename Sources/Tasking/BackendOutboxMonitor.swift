import Foundation
import GatewayCore
import Logging
import Metrics
import ServiceLifecycle

/// Refreshes the backend outbox gauges every few seconds: `essor_backend_outbox_pending` (commands not yet
/// acknowledged) and `essor_backend_outbox_oldest_pending_seconds` (how long the oldest has waited), what an
/// operator alerts on when the backend is down or refusing; with a backend configured, also `essor_backend_up`
/// (1 when `GET /v1/health` answers 200).
public struct BackendOutboxMonitor: Service {
    let store: any GatewayStore
    let client: BackendClient?
    let interval: Duration
    let logger: Logger

    /// Creates the monitor; `client` is the backend's, when one is configured.
    public init(store: any GatewayStore, client: BackendClient? = nil, interval: Duration = .seconds(5), logger: Logger) {
        self.store = store
        self.client = client
        self.interval = interval
        self.logger = logger
    }

    /// Runs until cancelled.
    public func run() async throws {
        let pending = Gauge(label: "essor_backend_outbox_pending")
        let oldest = Gauge(label: "essor_backend_outbox_oldest_pending_seconds")
        let up = client.map { _ in Gauge(label: "essor_backend_up") }
        for kind in BackendCommandKind.allCases {
            for result in ["acknowledged", "retry", "refused"] {
                Counter(label: "essor_backend_commands_total", dimensions: [("kind", kind.rawValue), ("result", result)])
                    .increment(by: 0)
            }
        }
        await cancelWhenGracefulShutdown {
            var wasUp: Bool?
            while !Task.isCancelled {
                do {
                    let statistics = try await store.backendOutboxStatistics()
                    pending.record(statistics.pending)
                    oldest.record(statistics.oldestPending.map { max(0, Date().timeIntervalSince($0)) } ?? 0)
                } catch {
                    logger.warning("backend outbox statistics not read", metadata: ["error": "\(error)"])
                }
                if let client, let up {
                    let healthy = await client.healthy()
                    up.record(healthy ? 1 : 0)
                    if healthy != wasUp {
                        if healthy {
                            logger.info("the backend answers GET /v1/health")
                        } else {
                            logger.warning("the backend does not answer GET /v1/health with 200")
                        }
                        wasUp = healthy
                    }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
