import Delivery
import Foundation
import GatewayCore
import GatewayHTTP
import Logging
import Policy
import ServiceLifecycle

/// Composes push (issue 10) from the configuration: the SSRF guard, the three transports, the workers and what the
/// subscription routes need. One instance per gateway process; `shutdown()` closes the transports' connections.
struct PushComposition: Sendable {
    let endpoints: PushEndpoints
    let services: [any Service]
    let shutdown: @Sendable () async -> Void

    init(
        configuration: GatewayConfiguration, store: any GatewayStore, policy: ActivePolicy, logger: Logger
    ) throws {
        let guardian: AddressGuard
        do {
            guardian = try AddressGuard(allowing: configuration.webhookAllow)
        } catch {
            throw ConfigurationError(key: "--webhook-allow", message: error.message)
        }
        var webhookSettings = WebhookTransportConfiguration(addressGuard: guardian)
        webhookSettings.responseTimeout = .milliseconds(Int64(configuration.webhookTimeoutSeconds * 1000))
        webhookSettings.trustedCAFile = configuration.webhookCA
        webhookSettings.connectionsPerClient = 32  // many subscriptions often share one receiver
        let webhooks = try WebhookTransport(configuration: webhookSettings)
        let sftp = SFTPTransport(addressGuard: guardian)
        let drops = DropFolder(root: configuration.dropsDirectory)
        let transports = DeliveryTransports(
            webhook: { url, headers, body in
                let outcome = await webhooks.post(url: url, headers: headers, body: body)
                return TransportOutcome(
                    delivered: outcome.delivered, gone: outcome.status == 410, errorClass: outcome.errorClass,
                    status: outcome.status, message: outcome.message, seconds: outcome.seconds)
            },
            sftp: { subscription, fileName, bytes in
                guard case .sftp(let url, let username, let hostKey) = subscription.channel,
                    let key = subscription.sshKey
                else { return TransportOutcome(delivered: false, errorClass: "config", message: "not an SFTP channel") }
                let destination = SFTPDestination(url: url, username: username, hostKeySHA256: hostKey, key: key)
                let outcome = await sftp.upload(destination: destination, fileName: fileName, bytes: bytes)
                return TransportOutcome(
                    delivered: outcome.delivered, errorClass: outcome.errorClass, status: outcome.curlCode,
                    message: outcome.message, seconds: outcome.seconds)
            },
            drop: { subscription, fileName, bytes in
                let start = ContinuousClock.now
                do {
                    try await drops.write(
                        user: subscription.owner, subscriptionID: subscription.id, fileName: fileName, bytes: bytes)
                    return TransportOutcome(delivered: true, seconds: (ContinuousClock.now - start).seconds)
                } catch {
                    return TransportOutcome(
                        delivered: false, errorClass: "io", message: "\(error)",
                        seconds: (ContinuousClock.now - start).seconds)
                }
            })
        var settings = DeliverySettings()
        settings.retryScale = configuration.deliveryRetryScale
        settings.leaseSeconds = configuration.deliveryLeaseSeconds
        settings.dropRetentionSeconds = configuration.dropRetentionDays * 86_400
        let schedule = RetrySchedule(scale: configuration.deliveryRetryScale)
        let current: @Sendable () -> PolicySet = { policy.policy }
        let retention = settings.dropRetentionSeconds
        if configuration.pushWorkers {
            services = [
                FanOutWorker(store: store, settings: settings, policy: current, logger: logger),
                DeliveryWorker(
                    store: store, settings: settings, transports: transports,
                    schedule: { attempts, time in schedule.nextAttempt(afterAttempt: attempts, at: time) },
                    policy: current, logger: logger),
                DeliveryQueueMonitor(
                    store: store,
                    prune: { _ = drops.pruneSynchronously(olderThan: Date().addingTimeInterval(-retention)) },
                    logger: logger),
            ]
        } else {
            services = []
        }
        endpoints = PushEndpoints(
            checkWebhookURL: { url in
                do {
                    _ = try await guardian.check(url: url)
                    return nil
                } catch let refusal as AddressRefusal {
                    return refusal.message
                } catch {
                    return "\(error)"
                }
            },
            checkSFTPHost: { host, port in
                let literal = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
                do {
                    _ = try await guardian.check(url: "https://\(literal):\(port)/")
                    return nil
                } catch let refusal as AddressRefusal {
                    return refusal.message
                } catch {
                    return "\(error)"
                }
            },
            newSecret: { StandardWebhookSignature.generateSecret() },
            newSSHKey: { comment in SSHKeyGenerator.generate(comment: comment) })
        shutdown = {
            await webhooks.shutdown()
            sftp.shutdown()
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
