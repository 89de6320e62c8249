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
/// One easy handle is kept per destination (URL, user, key) so that a burst of uploads reuses the SSH connection
/// curl keeps alive on it. Every curl call runs on the handle's own serial dispatch queue, never on Swift's
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
        guard let (handle, stale) = checkOut(key) else {
            return SFTPOutcome(errorClass: "io", message: "the SFTP transport is shut down")
        }
        for old in stale { old.close() }
        let outcome = await handle.perform(request, configuration: configuration, runtimeFolder: runtimeFolder)
        checkIn(key, handle, keep: outcome.delivered)
        return outcome
    }

    /// Closes every handle (and SSH connection) and refuses further uploads.
    public func shutdown() {
        let closing = handles.withLock { table in
            table.closed = true
            defer { table.idle.removeAll() }
            return table.idle.values.map(\.handle)
        }
        for handle in closing { handle.close() }
        try? FileManager.default.removeItem(atPath: runtimeFolder)
    }

    /// The handles kept for reuse (for tests).
    public var idleHandleCount: Int { handles.withLock { $0.idle.count } }

    /// Takes the destination's idle handle, or a new one; also hands back handles idle for too long.
    private func checkOut(_ key: HandleKey) -> (SFTPHandle, [SFTPHandle])? {
        let now = ContinuousClock.now
        return handles.withLock { table -> (SFTPHandle, [SFTPHandle])? in
            guard !table.closed else { return nil }
            var stale: [SFTPHandle] = []
            for (other, entry) in table.idle where (now - entry.since).secondsDouble > configuration.idleSeconds {
                stale.append(entry.handle)
                table.idle[other] = nil
            }
            if let entry = table.idle.removeValue(forKey: key) { return (entry.handle, stale) }
            return (SFTPHandle(), stale)
        }
    }

    /// Returns a handle for reuse after a success; closes it after a failure (a fresh connection next time).
    private func checkIn(_ key: HandleKey, _ handle: SFTPHandle, keep: Bool) {
        let evicted = handles.withLock { table -> [SFTPHandle] in
            guard keep, !table.closed, table.idle[key] == nil else { return [handle] }
            table.idle[key] = HandleTable.Entry(handle: handle, since: ContinuousClock.now)
            guard table.idle.count > configuration.maximumHandles,
                let oldest = table.idle.min(by: { $0.value.since < $1.value.since })
            else { return [] }
            table.idle[oldest.key] = nil
            return [oldest.value.handle]
        }
        for handle in evicted { handle.close() }
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

    var idle: [HandleKey: Entry] = [:]
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
