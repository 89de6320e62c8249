import CCurl
import CCurlShim
import Dispatch
import Foundation
import Synchronization

/// Uploads files to SFTP servers with libcurl (issue 10 §3).
///
/// Each upload: the host passes the ``AddressGuard`` and libcurl is pinned to the checked address
/// (`CURLOPT_RESOLVE`); the server's host key must match the destination's SHA-256 fingerprint
/// (`CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256`, without which libcurl would accept any key, so none means no attempt);
/// the login is by the subscription's ed25519 key only; the file is written as `.<name>.part` and renamed to
/// `<name>` by a post-quote command, so the final name never shows a partial file (SFTP v3 `rename` also refuses to
/// replace an existing file, so names must be unique: the caller's `<kind>_<product id>_<creation time>.<ext>`).
///
/// At most `connectionsPerDestination` uploads run at once per destination (URL, user, key), each on an easy handle
/// kept for the next one, so that a burst of uploads reuses a few SSH connections that curl keeps alive. Every curl call runs on the handle's own serial dispatch queue, never on Swift's
/// cooperative pool. Key files exist only during a transfer, 0600 in a 0700 runtime folder.
public final class SFTPTransport: Sendable {
    /// The SSRF guard the host passes (the same ranges as webhooks).
    public let addressGuard: AddressGuard
    /// The configuration.
    public let configuration: SFTPTransportConfiguration
    private let handles = Mutex(HandleTable())
    private let runtimeFolder: String

    /// Creates a transport.
    public init(addressGuard: AddressGuard = AddressGuard(), configuration: SFTPTransportConfiguration = .init()) {
        _ = SFTPTransport.globalInit
        self.addressGuard = addressGuard
        self.configuration = configuration
        self.runtimeFolder =
            configuration.runtimeFolder
            ?? NSTemporaryDirectory() + "essor-sftp-\(ProcessInfo.processInfo.processIdentifier)"
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Uploads `bytes` as `fileName` into the destination's folder (one attempt; the caller schedules retries).
    public func upload(destination: SFTPDestination, fileName: String, bytes: [UInt8]) async -> SFTPOutcome {
        let start = ContinuousClock.now
        var outcome = await attempt(destination: destination, fileName: fileName, bytes: bytes)
        outcome.seconds = (ContinuousClock.now - start).secondsDouble
        return outcome
    }

    private func attempt(destination: SFTPDestination, fileName: String, bytes: [UInt8]) async -> SFTPOutcome {
        guard let fingerprint = destination.pinnedFingerprint else {
            return SFTPOutcome(
                errorClass: "host-key",
                message: "no host key fingerprint is pinned for \(destination.url): not connecting")
        }
        let parsed: SFTPURL
        do {
            parsed = try SFTPURL(destination.url, fileName: fileName)
        } catch {
            return SFTPOutcome(errorClass: error.errorClass, message: error.message)
        }
        let checked: [IPAddress]
        do {
            checked = try await addressGuard.check(host: parsed.host, port: parsed.port)
        } catch {
            return SFTPOutcome(errorClass: error.errorClass, message: error.message)
        }
        let request = SFTPRequest(
            url: parsed, address: checked[0], username: destination.username, fingerprint: fingerprint,
            key: destination.key, bytes: bytes)
        let key = HandleKey(
            url: destination.url, username: destination.username, publicKey: destination.key.publicKeyAuthorized)
        guard let (handle, stale) = await checkOut(key) else {
            return SFTPOutcome(errorClass: "io", message: "the SFTP transport is shut down")
        }
        for old in stale { old.close() }
        let outcome = await handle.perform(request, configuration: configuration, runtimeFolder: runtimeFolder)
        checkIn(key, handle, keep: outcome.delivered)
        return outcome
    }

    /// Closes every handle (and SSH connection) and refuses further uploads.
    public func shutdown() {
        let (closing, waiting) = handles.withLock { table in
            table.closed = true
            defer {
                table.idle.removeAll()
                table.waiters.removeAll()
            }
            return (table.idle.values.flatMap { $0.map(\.handle) }, table.waiters.values.flatMap { $0 })
        }
        for handle in closing { handle.close() }
        for waiter in waiting { waiter.resume() }
        try? FileManager.default.removeItem(atPath: runtimeFolder)
    }

    /// The handles kept for reuse (for tests).
    public var idleHandleCount: Int { handles.withLock { $0.idle.values.reduce(0) { $0 + $1.count } } }

    /// Takes one of the destination's idle handles, or a new one, waiting while the destination already has
    /// `connectionsPerDestination` uploads in flight (a burst reuses a few SSH connections instead of opening one
    /// per file); also hands back handles idle for too long. Nil once shut down.
    private func checkOut(_ key: HandleKey) async -> (SFTPHandle, [SFTPHandle])? {
        let limit = max(1, configuration.connectionsPerDestination)
        while true {
            let now = ContinuousClock.now
            let taken = handles.withLock { table -> (SFTPHandle, [SFTPHandle])?? in
                guard !table.closed else { return .some(nil) }
                guard table.busy[key, default: 0] < limit else { return nil }
                var stale: [SFTPHandle] = []
                for (other, entries) in table.idle {
                    let fresh = entries.filter { (now - $0.since).secondsDouble <= configuration.idleSeconds }
                    if fresh.count != entries.count {
                        stale += entries.filter { (now - $0.since).secondsDouble > configuration.idleSeconds }.map(\.handle)
                        table.idle[other] = fresh.isEmpty ? nil : fresh
                    }
                }
                table.busy[key, default: 0] += 1
                if let entry = table.idle[key]?.popLast() {
                    if table.idle[key]?.isEmpty == true { table.idle[key] = nil }
                    return .some((entry.handle, stale))
                }
                return .some((SFTPHandle(), stale))
            }
            if let taken { return taken }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = handles.withLock { table -> Bool in
                    if table.closed || table.busy[key, default: 0] < limit { return true }
                    table.waiters[key, default: []].append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        }
    }

    /// Returns a handle for reuse after a success (up to `connectionsPerDestination` idle per destination, and
    /// `maximumHandles` in all); closes it after a failure (a fresh connection next time). Lets the next waiting
    /// upload of the destination go.
    private func checkIn(_ key: HandleKey, _ handle: SFTPHandle, keep: Bool) {
        let limit = max(1, configuration.connectionsPerDestination)
        let (evicted, waiter) = handles.withLock { table -> ([SFTPHandle], CheckedContinuation<Void, Never>?) in
            table.busy[key, default: 1] -= 1
            if table.busy[key] == 0 { table.busy[key] = nil }
            var waiter: CheckedContinuation<Void, Never>?
            if var queue = table.waiters[key], !queue.isEmpty {
                waiter = queue.removeFirst()
                table.waiters[key] = queue.isEmpty ? nil : queue
            }
            guard keep, !table.closed, (table.idle[key]?.count ?? 0) < limit else { return ([handle], waiter) }
            table.idle[key, default: []].append(HandleTable.Entry(handle: handle, since: ContinuousClock.now))
            var evicted: [SFTPHandle] = []
            while table.idle.values.reduce(0, { $0 + $1.count }) > configuration.maximumHandles,
                let oldest = table.idle.min(by: { ($0.value.first?.since ?? .now) < ($1.value.first?.since ?? .now) })
            {
                var entries = oldest.value
                evicted.append(entries.removeFirst().handle)
                table.idle[oldest.key] = entries.isEmpty ? nil : entries
            }
            return (evicted, waiter)
        }
        for handle in evicted { handle.close() }
        waiter?.resume()
    }
}

/// A destination's handle identity: a different user or key needs a different SSH login.
struct HandleKey: Hashable {
    var url: String
    var username: String
    var publicKey: String
}

/// The handles not in use.
struct HandleTable: ~Copyable {
    struct Entry {
        var handle: SFTPHandle
        var since: ContinuousClock.Instant
    }

    /// Idle handles per destination, oldest first.
    var idle: [HandleKey: [Entry]] = [:]
    /// Uploads in flight per destination.
    var busy: [HandleKey: Int] = [:]
    /// Uploads waiting for a destination's turn.
    var waiters: [HandleKey: [CheckedContinuation<Void, Never>]] = [:]
    var closed = false
}

extension AddressGuard {
    /// Resolves and judges an SFTP host as ``check(url:)`` judges a webhook's (no scheme rule: SSH authenticates
    /// the server by its pinned key).
    /// - Returns: the addresses, every one passed; connect to the first.
    public func check(host: String, port: Int) async throws(AddressRefusal) -> [IPAddress] {
        let addresses: [IPAddress]
        if let literal = IPAddress(host) {
            addresses = [literal]
        } else {
            addresses = try await resolve(host)
            guard !addresses.isEmpty else { throw AddressRefusal(.dns, "\(host) has no address") }
        }
        for address in addresses {
            if let refused = refusal(of: address) {
                let named = address.description == host ? "\(address)" : "\(host) resolves to \(address)"
                throw AddressRefusal(
                    .addressRefused,
                    "\(named), \(refused.phrase); SFTP destinations may only be global addresses or a range allowed "
                        + "with --webhook-allow")
            }
        }
        return addresses
    }
}
