import Foundation
import Logging

/// Sends the backend's outbox to the gateway: each task's messages in order, each until the gateway answers,
/// retrying with doubling waits (1 s, 2 s, 4 s … up to a cap, with jitter) while it is unreachable or busy.
struct OutboxSender: Sendable {
    let store: any BackendStore
    let link: GatewayLink
    let retryMaxSeconds: Double
    let logger: Logger

    /// Sends what is due; returns how many messages were settled (accepted or refused).
    func sendDue(now: Date = Date()) async throws -> Int {
        var settled = 0
        while true {
            let due = try await store.dueMessages(now: now, limit: 64)
            if due.isEmpty { return settled }
            var progressed = false
            for message in due {
                switch await link.send(message) {
                case .accepted:
                    try await store.complete(message.sequence)
                    settled += 1
                    progressed = true
                case .refused(let why):
                    // The gateway will never take it (e.g. the request was cancelled meanwhile): drop it, say so.
                    logger.warning(
                        "the gateway refused a message; dropped",
                        metadata: [
                            "request": "\(message.taskID)", "kind": "\(message.kind.rawValue)", "answer": "\(why)",
                        ])
                    try await store.complete(message.sequence)
                    settled += 1
                    progressed = true
                case .retry(let why):
                    let attempts = message.attempts + 1
                    let wait = min(pow(2, Double(attempts - 1)), retryMaxSeconds) * Double.random(in: 0.8...1.2)
                    try await store.retry(
                        message.sequence, attempts: attempts, due: Date().addingTimeInterval(wait), error: why)
                    if attempts == 1 || attempts % 10 == 0 {
                        logger.notice(
                            "the gateway did not take a message; will retry",
                            metadata: ["request": "\(message.taskID)", "attempts": "\(attempts)", "error": "\(why)"])
                    }
                }
            }
            if !progressed { return settled }
        }
    }
}
