import Foundation
import GatewayHTTP
import Logging
import Policy
import ServiceLifecycle
import UnixSignals

/// Reloads the policy files on SIGHUP. A set that fails to load is reported and the one in force stays: the
/// gateway never runs without a policy.
struct PolicyReloadService: Service {
    let directory: URL
    let active: ActivePolicy
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            reload()
        }
    }

    /// One reload.
    func reload() {
        do {
            let policy = try PolicyLoader.load(directory: directory)
            active.replace(with: policy)
            logger.info(
                "policy reloaded",
                metadata: ["policy.revision": "\(policy.revision)", "policy.rules": "\(policy.rules.count)"])
        } catch {
            logger.error(
                "policy reload refused; the previous policy stays in force",
                metadata: [
                    "policy.revision": "\(active.policy.revision)",
                    "policy.problems": "\(error.problems.map(\.description).joined(separator: " | "))",
                ])
        }
    }
}
