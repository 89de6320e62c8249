import CCSDS
import Foundation
import GatewayCore
import Logging
import Metrics
import ServiceLifecycle

/// Sends the backend outbox (issue 11 §3): claims due commands (only the oldest pending one of each request, so a
/// request's commands go out in order), sends each over mutual TLS, and records every outcome of a round in one
/// transaction. A command is stored before it is sent (in the transaction of the change that caused it), retried
/// with backoff while the backend is down, and never sent again once acknowledged; a gateway that dies between
/// sending and recording lets the lease lapse, and the backend sees the command again under the same request id.
public struct BackendForwarder: Service {
    let store: any GatewayStore
    let client: BackendClient
    let settings: BackendSettings
    let logger: Logger

    /// Creates the forwarder.
    public init(store: any GatewayStore, client: BackendClient, settings: BackendSettings, logger: Logger) {
        self.store = store
        self.client = client
        self.settings = settings
        self.logger = logger
    }

    /// Forwards until cancelled (or a graceful shutdown), waking on queued commands and polling as a fallback.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let generation = store.backendChanges.generation
                var sent = 0
                do {
                    sent = try await round(at: Date())
                } catch {
                    logger.error("backend forwarding round failed", metadata: ["error": "\(error)"])
                }
                if sent == 0 {
                    await store.backendChanges.wait(after: generation, timeout: settings.pollInterval)
                }
            }
        }
        await client.shutdown()
    }

    /// One round: claims, reads the claimed commands' requests in one call (and each catalogue target's latest
    /// element set once), sends concurrently, records; returns how many commands were sent.
    public func round(at time: Date) async throws(StoreError) -> Int {
        let commands = try await store.claimBackendCommands(
            dueAt: time, limit: settings.batch, leaseUntil: time.addingTimeInterval(settings.lease.seconds))
        guard !commands.isEmpty else { return 0 }
        let ids = Set(commands.map(\.requestID))
        let requests = Dictionary(
            try await store.observationRequests(RequestListFilter(ids: ids, limit: ids.count)).map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first })
        var latest: [Int: Message] = [:]
        for command in commands where command.kind == .submit {
            guard let request = requests[command.requestID], request.target.orbit == nil,
                let norad = request.target.noradID, latest[norad] == nil
            else { continue }
            latest[norad] = try? await store.latestElementSet(noradID: norad).omm
        }
        let outcomes = await withTaskGroup(of: BackendCommandOutcome.self) { group in
            for command in commands {
                let request = requests[command.requestID]
                let omm = request?.target.noradID.flatMap { latest[$0] }
                group.addTask { await forward(command, request: request, latestOMM: omm) }
            }
            var outcomes: [BackendCommandOutcome] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        try await store.recordBackendCommands(outcomes)
        return commands.count
    }

    private func forward(_ command: BackendCommand, request: ObservationRequest?, latestOMM: Message?) async
        -> BackendCommandOutcome
    {
        let started = ContinuousClock.now
        let answer: BackendClient.Answer
        if let request {
            answer = await client.send(command, request: request, latestOMM: command.kind == .submit ? latestOMM : nil)
        } else {
            answer = .retry("the request \(command.requestID) could not be read")
        }
        let now = Date()
        let result: String
        let outcome: BackendCommandOutcome
        switch answer {
        case .acknowledged:
            result = "acknowledged"
            outcome = BackendCommandOutcome(commandID: command.id, result: .done(now))
        case .retry(let error):
            result = "retry"
            let delay = settings.retryDelay(afterAttempts: command.attempts + 1)
            outcome = BackendCommandOutcome(
                commandID: command.id, result: .retry(at: now.addingTimeInterval(delay), error: error))
            logger.warning(
                "backend command not acknowledged; will retry",
                metadata: [
                    "request.id": "\(command.requestID)", "command": "\(command.kind.rawValue)",
                    "attempt": "\(command.attempts + 1)", "retry.seconds": "\(Int(delay.rounded()))", "error": "\(error)",
                ])
        case .refused(let error):
            result = "refused"
            outcome = BackendCommandOutcome(commandID: command.id, result: .refused(error: error, at: now))
            logger.error(
                "backend refused a command", metadata: ["request.id": "\(command.requestID)", "error": "\(error)"])
        }
        Counter(label: "essor_backend_commands_total", dimensions: [("kind", command.kind.rawValue), ("result", result)])
            .increment()
        Timer(label: "essor_backend_call_seconds", dimensions: [("kind", command.kind.rawValue)])
            .recordNanoseconds(Int64((ContinuousClock.now - started).components.attoseconds / 1_000_000_000)
                + (ContinuousClock.now - started).components.seconds * 1_000_000_000)
        return outcome
    }
}
